"""What the proposal page tests share: logging in, reading messages, checking refusals, and
the snapshot a refused action must leave untouched."""

from django.contrib.messages import get_messages
from django.urls import reverse

from projects.models import Attachment, Commitment, Proposal, ProposalPartner, ProposalStatusChange


def url(name, *args):
    return reverse(f"projects:{name}", args=args)


def login(client, user):
    client.force_login(user)
    return user


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def assert_login_redirect(response):
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def snapshot():
    """Everything a refused action on proposals must leave as it was."""
    return (
        sorted(Proposal.objects.values_list(
            "pk", "title", "summary", "status", "submitted_at", "updated_at", "start_date", "end_date",
        )),
        sorted(ProposalPartner.objects.values_list("pk", "organisation_id", "status", "decided_at")),
        sorted(Commitment.objects.values_list("pk", "organisation_id", "kind", "quantity", "estimated_value_eur")),
        sorted(Attachment.objects.values_list("pk", "original_name")),
        ProposalStatusChange.objects.count(),
    )
