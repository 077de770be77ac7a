"""Notifications: one message per person, the subject on one line behind the portal's prefix."""

import pytest

from welfare_portal.mail import send_to_address, send_to_people
from welfare_portal.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOCMEM_TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", {
        "note_subject.txt": "News for\n  {{ recipient.full_name }}\n",
        "note_body.txt": "{% autoescape off %}{{ text }} – {{ portal_name }}{% endautoescape %}",
        "invite_subject.txt": "Invitation",
        "invite_body.txt": "Hello {{ name }}",
    })]},
}]


@pytest.fixture(autouse=True)
def _templates(settings):
    settings.TEMPLATES = LOCMEM_TEMPLATES
    settings.ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Portale] "
    settings.PORTAL_NAME = "Welfare generativo"


def test_each_person_gets_their_own_message_once(mailoutbox):
    anna = UserFactory(full_name="Anna Galli", email="anna@example.org")
    luca = UserFactory(full_name="Luca Neri", email="luca@example.org")
    gone = UserFactory(is_active=False)

    send_to_people("note", [anna, luca, anna, gone], {"text": "A & B"})

    assert [m.to for m in mailoutbox] == [["anna@example.org"], ["luca@example.org"]]
    assert mailoutbox[0].subject == "[Portale] News for Anna Galli"
    assert mailoutbox[0].body == "A & B – Welfare generativo"


def test_a_message_to_an_address_can_name_where_replies_go(mailoutbox):
    send_to_address("invite", "ente@example.org", {"name": "Ente"}, reply_to="regia@example.org")

    (message,) = mailoutbox
    assert (message.to, message.reply_to, message.body) == (["ente@example.org"], ["regia@example.org"], "Hello Ente")
