"""Notifications about the Patto: the request to sign, reminders, receipts, declines, closing.

Services call these inside `transaction.on_commit`, so nothing is sent for a change that rolls
back.
"""

from .base import legal_representatives, link, referents, send, steering_members

__all__ = [
    "send_pact_closed", "send_pact_declined", "send_pact_opened", "send_pact_reminders", "send_pact_signed",
]


def _pact_link(pact):
    return link("charter:pact-detail", pact.pk)


def _sign_link(signatory):
    return link("charter:signatory-sign", signatory.pk)


def _progress_link(pact):
    return link("charter:pact-progress", pact.pk)


def _ask_to_sign(template, pact, signatories):
    for signatory in signatories:
        context = {"pact": pact, "signatory": signatory, "link": _sign_link(signatory)}
        representatives = legal_representatives(signatory.organisation)
        if representatives:
            send(template, representatives, context)
        else:
            # Nobody can sign yet: the referents must have the legal representative confirmed.
            send("pact_no_representative", referents(signatory.organisation), context)


def send_pact_opened(pact):
    """To each signatory's confirmed legal representative, who signs or declines."""
    _ask_to_sign("pact_sign_request", pact, pact.signatories.select_related("organisation"))


def send_pact_reminders(pact, signatories):
    _ask_to_sign("pact_reminder", pact, signatories)


def _all_answered(pact):
    send("pact_all_answered", steering_members(), {"pact": pact, "link": _progress_link(pact)})


def send_pact_signed(signature, *, everyone_answered=False):
    """A receipt to the signer, with the fingerprint of what they signed; the steering group
    hears when the last signatory has answered."""
    send("pact_signed", [signature.signer], {"signature": signature, "pact": signature.pact,
                                              "link": _pact_link(signature.pact)})
    if everyone_answered:
        _all_answered(signature.pact)


def send_pact_declined(decline, *, everyone_answered=False):
    """To the steering group, who may want to talk to the organisation."""
    send("pact_declined", steering_members(), {"decline": decline, "pact": decline.pact,
                                                "link": _progress_link(decline.pact)})
    if everyone_answered:
        _all_answered(decline.pact)


def send_pact_closed(pact):
    """To the signatories' legal representatives and the steering group: the signed document
    is available."""
    recipients = steering_members()
    for signatory in pact.signatories.select_related("organisation"):
        recipients += legal_representatives(signatory.organisation)
    send("pact_closed", recipients, {"pact": pact, "link": _pact_link(pact)})
