"""Allauth's pages and emails speak the portal's formal Italian. Allauth's (and Django's) own
Italian says "tu"; locale_overrides/it/LC_MESSAGES/django.po replaces those strings and must
stay in step with the catalogues it overrides, so an upgrade that renames a string fails here."""

import html
import re
import shutil
from pathlib import Path

import allauth
import django
import polib
import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from welfare_portal.tests.factories import DEFAULT_PASSWORD, UserFactory
from welfare_portal.tests.test_catalogues import IT_PO, _placeholders

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

OVERRIDES_DIR = Path(settings.BASE_DIR) / "locale_overrides"
OVERRIDES_PO = OVERRIDES_DIR / "it" / "LC_MESSAGES" / "django.po"
DJANGO_DIR = Path(django.__file__).parent
UPSTREAM_PO = {
    name: folder / "locale" / "it" / "LC_MESSAGES" / "django.po"
    for name, folder in {
        "allauth": Path(allauth.__file__).parent,
        "django": DJANGO_DIR / "conf",
        "django.contrib.auth": DJANGO_DIR / "contrib" / "auth",
    }.items()
}

# Words that address the reader as "tu": pronouns, possessives, second-person verbs and the
# imperatives allauth's and Django's catalogues use in sentences. Imperative labels of buttons
# and links ("Accedi", "Registrati", "Vai al contenuto principale") are the portal's own style
# and are not listed.
INFORMAL = re.compile(
    r"\b(tu|ti|te|tuo|tua|tuoi|tue|hai|sei|puoi|vuoi|devi|stai|avete|abbi|assicurati|clicca"
    r"|contattaci|controlla|inserisci|inseriscil[oa]|riprova|riceverai|riconosci|adotta|ignora"
    r"|salval[ie]|scannerizza|scegli|scegline|segui|volerti|fidarti|fidati)\b",
    re.IGNORECASE,
)
BRACE_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
TAG = re.compile(r"</?[a-z]+")


def _overrides():
    return [entry for entry in polib.pofile(str(OVERRIDES_PO)) if not entry.obsolete]


def _key(entry):
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def _upstream(entry):
    match = re.search(r"^upstream: (\S+)$", entry.comment, re.MULTILINE)
    assert match, f"no 'upstream:' comment on {entry.msgid!r}"
    return match.group(1)


def _translations(entry):
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def _markup(text):
    return _placeholders(text), sorted(BRACE_PLACEHOLDER.findall(text)), sorted(TAG.findall(text))


def _visible_text(response):
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", response.content.decode())
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_overrides_catalogue_is_complete():
    catalogue = polib.pofile(str(OVERRIDES_PO))

    assert catalogue.metadata.get("Language") == "it"
    assert not catalogue.metadata_is_fuzzy
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


def test_every_override_is_a_string_of_the_catalogue_it_overrides():
    upstream_keys = {
        name: {_key(e) for e in polib.pofile(str(path)) if not e.obsolete}
        for name, path in UPSTREAM_PO.items()
    }

    unknown = [
        (_upstream(entry), entry.msgctxt, entry.msgid)
        for entry in _overrides()
        if _key(entry) not in upstream_keys.get(_upstream(entry), set())
    ]

    assert unknown == [], "msgids gone from the upstream catalogue: update or drop these overrides"


def test_overrides_keep_the_placeholders_and_markup_of_their_msgid():
    mismatches = []
    for entry in _overrides():
        if entry.msgid_plural:
            expected = [_markup(entry.msgid), _markup(entry.msgid_plural)]
        else:
            expected = [_markup(entry.msgid)]
        found = [_markup(text) for text in _translations(entry)]
        if found != expected:
            mismatches.append((entry.msgid, found, expected))
    assert mismatches == []


def test_no_override_addresses_the_reader_as_tu():
    informal = [
        (entry.msgid, INFORMAL.findall(text))
        for entry in _overrides()
        for text in _translations(entry)
        if INFORMAL.search(text)
    ]
    assert informal == []


def test_every_informal_string_of_the_installed_allauth_apps_is_overridden():
    apps = {name.split(".")[1] for name in settings.INSTALLED_APPS if name.startswith("allauth.")}
    folders = tuple(f"{app}/" for app in apps) + tuple(f"templates/{app}/" for app in apps)
    overridden = {_key(e) for e in _overrides() if _upstream(e) == "allauth"}

    informal = [
        entry
        for entry in polib.pofile(str(UPSTREAM_PO["allauth"]))
        if not entry.obsolete and any(INFORMAL.search(text) for text in _translations(entry))
    ]
    in_use = [e for e in informal if any(path.startswith(folders) for path, _ in e.occurrences)]

    assert len(informal) > 50, "the INFORMAL pattern no longer recognises allauth's Italian"
    assert [e.msgid for e in in_use if _key(e) not in overridden] == []


def test_no_override_is_hidden_by_the_portal_catalogue():
    # LOCALE_PATHS gives locale/ the last word: an msgid in both would never use the override.
    portal_keys = {_key(e) for e in polib.pofile(str(IT_PO)) if not e.obsolete}
    assert [e.msgid for e in _overrides() if _key(e) in portal_keys] == []


def test_locale_paths_put_the_portal_catalogue_first_and_the_overrides_second():
    base = Path(settings.BASE_DIR)
    assert [Path(p) for p in settings.LOCALE_PATHS] == [base / "locale", base / "locale_overrides"]


@pytest.fixture
def italian_catalogues(settings, tmp_path):
    """The committed catalogues, compiled into a private folder by compile_catalogues, so no
    stale .mo in the working tree decides the outcome (changing LOCALE_PATHS resets Django's
    translation cache)."""
    paths = []
    for source in (IT_PO, OVERRIDES_PO):
        locale_dir = tmp_path / source.parents[2].name
        po_path = locale_dir / "it" / "LC_MESSAGES" / "django.po"
        po_path.parent.mkdir(parents=True)
        shutil.copy(source, po_path)
        paths.append(locale_dir)
    settings.LOCALE_PATHS = paths
    call_command("compile_catalogues", verbosity=0)
    return paths


def test_compile_catalogues_compiles_the_overrides_too(italian_catalogues):
    compiled = polib.mofile(str(italian_catalogues[1] / "it" / "LC_MESSAGES" / "django.mo"))

    assert len(compiled) == len(_overrides())


def test_the_portal_catalogue_wins_over_the_overrides(settings, tmp_path):
    msgid = "Sign Out"  # a variable, so makemessages does not take it for a portal string
    for name, text in (("portal", "Esci dal portale"), ("overrides", "Esci")):
        catalogue = polib.POFile()
        catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "it"}
        catalogue.append(polib.POEntry(msgid=msgid, msgstr=text))
        (tmp_path / name / "it" / "LC_MESSAGES").mkdir(parents=True)
        catalogue.save_as_mofile(str(tmp_path / name / "it" / "LC_MESSAGES" / "django.mo"))
    settings.LOCALE_PATHS = [tmp_path / "portal", tmp_path / "overrides"]

    with translation.override("it"):
        assert translation.gettext(msgid) == "Esci dal portale"


@pytest.fixture
def italian_client(client, italian_catalogues):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "it"
    return client


def test_login_page_and_its_error_speak_formally(italian_client):
    UserFactory(email="mario.rossi@example.org")

    page = _visible_text(italian_client.get(reverse("account_login")))
    assert "Chi non ha ancora un account deve prima registrarsi" in " ".join(page.split())
    assert "Se non hai ancora creato un account" not in page

    refused = _visible_text(
        italian_client.post(
            reverse("account_login"),
            {"login": "mario.rossi@example.org", "password": "not-the-password"},
        )
    )
    assert "L'indirizzo email o la password inseriti non sono corretti." in refused
    assert "che hai usato" not in refused
    assert not INFORMAL.search(refused), INFORMAL.findall(refused)


def test_sign_up_page_and_its_errors_speak_formally(italian_client):
    page = _visible_text(italian_client.get(reverse("account_signup")))
    assert "Chi ha già un account può accedere" in " ".join(page.split())
    assert "La password deve contenere almeno 10 caratteri." in page
    assert "La tua password" not in page

    refused = _visible_text(
        italian_client.post(
            reverse("account_signup"),
            {
                "full_name": "Mario Verdi",
                "email": "mario.verdi@example.org",
                "password1": DEFAULT_PASSWORD,
                "password2": DEFAULT_PASSWORD + "x",
            },
        )
    )
    assert "Digitare la stessa password in entrambi i campi." in refused
    assert not INFORMAL.search(refused), INFORMAL.findall(refused)


def test_no_account_page_says_tu(italian_client):
    italian_client.force_login(UserFactory())
    pages = [
        "account_email",
        "account_change_password",
        "account_reauthenticate",
        "account_logout",
        "mfa_index",
    ]
    informal = {}
    for name in pages:
        response = italian_client.get(reverse(name))
        assert response.status_code == 200, name
        if found := INFORMAL.findall(_visible_text(response)):
            informal[name] = found
    italian_client.logout()
    pages = [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_email_verification_sent",
    ]
    for name in pages:
        if found := INFORMAL.findall(_visible_text(italian_client.get(reverse(name)))):
            informal[name] = found

    assert informal == {}


def test_two_factor_login_asks_for_the_code_formally(italian_client):
    staff = UserFactory(staff=True, totp=True)

    response = italian_client.post(
        reverse("account_login"), {"login": staff.email, "password": DEFAULT_PASSWORD}, follow=True
    )

    page = _visible_text(response)
    assert response.redirect_chain[-1][0] == reverse("mfa_authenticate")
    assert "L'account è protetto dall'autenticazione a due fattori." in page
    assert "Il tuo account" not in page


def test_password_reset_email_addresses_the_reader_as_lei(italian_client):
    user = UserFactory()

    italian_client.post(reverse("account_reset_password"), {"email": user.email})

    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Riceve questa email perché Lei, o un'altra persona, ha chiesto di reimpostare" in body
    assert not INFORMAL.search(body), INFORMAL.findall(body)
