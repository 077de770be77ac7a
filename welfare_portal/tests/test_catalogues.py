"""The Italian catalogue is complete, consistent with its placeholders and in step with the
source strings, so the default language never shows an English msgid."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.django_db

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
IT_PO = LOCALE_DIR / "it" / "LC_MESSAGES" / "django.po"

# printf-style conversions as Python's % operator reads them; "%%" is a literal percent sign.
# The space flag is left out, or prose such as "il 20% dei comuni" would read as "% d".
PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0+-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<conv>[diouxXeEfFgGcrsa%])"
)

# Not part of the source: tools, caches, catalogues and the ignored folders of .gitignore.
IGNORED_EVERYWHERE = shutil.ignore_patterns(".*", "__pycache__", "*.pyc", "*.mo", "*.po", "*.pot")
IGNORED_AT_TOP = {"locale", "media", "staticfiles", "test-artifacts", "node_modules", "db.sqlite3"}


def _not_source(directory, names):
    ignored = IGNORED_EVERYWHERE(directory, names)
    if Path(directory) == Path(settings.BASE_DIR):
        ignored |= IGNORED_AT_TOP & set(names)
    return ignored


def _italian_entries():
    return [entry for entry in polib.pofile(str(IT_PO)) if not entry.obsolete]


def _placeholders(text):
    return sorted(
        (match["name"], match["conv"])
        for match in PLACEHOLDER.finditer(text)
        if match["conv"] != "%"
    )


def _key(entry):
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def test_italian_catalogue_has_no_untranslated_or_fuzzy_entries():
    catalogue = polib.pofile(str(IT_PO))

    assert not catalogue.metadata_is_fuzzy, "the header of it/django.po is still marked fuzzy"
    assert catalogue.metadata.get("Language") == "it"
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


def test_italian_translations_keep_the_placeholders_of_their_msgid():
    mismatches = []
    for entry in _italian_entries():
        if entry.msgid_plural:
            # The plural forms must use the msgid_plural's placeholders; the singular may
            # leave the count out ("un ente"), but may not bring in a name of its own.
            plural = _placeholders(entry.msgid_plural)
            known = set(_placeholders(entry.msgid)) | set(plural)
            for index, translation in sorted(entry.msgstr_plural.items()):
                found = _placeholders(translation)
                if (index > 0 and found != plural) or not set(found) <= known:
                    mismatches.append((entry.msgid, index, translation))
        elif _placeholders(entry.msgid) != _placeholders(entry.msgstr):
            mismatches.append((entry.msgid, entry.msgstr))
    assert mismatches == []


def test_italian_catalogue_is_up_to_date_with_the_source(tmp_path):
    missing_tools = [tool for tool in ("xgettext", "msgmerge", "msguniq") if not shutil.which(tool)]
    if missing_tools:
        reason = f"GNU gettext ({', '.join(missing_tools)}) is not installed: cannot extract msgids"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    # makemessages writes into the tree it scans (the catalogues, and a .py twin of each
    # template while it works), so it runs on a copy of the source, never on the working tree.
    source = tmp_path / "source"
    shutil.copytree(settings.BASE_DIR, source, ignore=_not_source)
    (source / "locale").mkdir()
    extraction = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "it", "--keep-pot", "--no-obsolete"],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert extraction.returncode == 0, extraction.stderr

    extracted = {_key(e) for e in polib.pofile(str(source / "locale" / "django.pot")) if e.msgid}
    committed = {_key(e) for e in _italian_entries()}

    new = sorted(extracted - committed, key=str)
    stale = sorted(committed - extracted, key=str)
    assert not new, f"strings missing from it/django.po (run `make messages`, translate): {new}"
    assert not stale, f"strings no longer in the source (run `make messages`): {stale}"


def test_compiled_catalogue_leaves_fuzzy_entries_out(settings, tmp_path):
    po_path = tmp_path / "it" / "LC_MESSAGES" / "django.po"
    po_path.parent.mkdir(parents=True)
    catalogue = polib.POFile()
    catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    catalogue.append(polib.POEntry(msgid="Log in", msgstr="Accedi"))
    catalogue.append(polib.POEntry(msgid="Log out", msgstr="Disconnetti", flags=["fuzzy"]))
    catalogue.save(str(po_path))
    settings.LOCALE_PATHS = [tmp_path]

    call_command("compile_catalogues", verbosity=0)

    compiled = {e.msgid: e.msgstr for e in polib.mofile(str(po_path.with_suffix(".mo")))}
    assert compiled.get("Log in") == "Accedi"
    assert "Log out" not in compiled


def test_compile_catalogues_recompiles_only_a_catalogue_newer_than_its_mo(settings, tmp_path):
    po_path = tmp_path / "it" / "LC_MESSAGES" / "django.po"
    po_path.parent.mkdir(parents=True)
    shutil.copy(IT_PO, po_path)
    mo_path = po_path.with_suffix(".mo")
    settings.LOCALE_PATHS = [tmp_path]
    call_command("compile_catalogues", verbosity=0)
    first_build = mo_path.stat().st_mtime_ns

    call_command("compile_catalogues", verbosity=0)
    assert mo_path.stat().st_mtime_ns == first_build

    os.utime(po_path, ns=(first_build + 10**9, first_build + 10**9))
    call_command("compile_catalogues", verbosity=0)
    assert mo_path.stat().st_mtime_ns > first_build


def test_home_page_speaks_italian_by_default(client, settings, tmp_path):
    # Compile the committed catalogue into a private folder, so the check does not depend on a
    # stale .mo in the working tree; changing LOCALE_PATHS resets Django's translation cache.
    po_path = tmp_path / "it" / "LC_MESSAGES" / "django.po"
    po_path.parent.mkdir(parents=True)
    shutil.copy(IT_PO, po_path)
    settings.LOCALE_PATHS = [tmp_path]
    call_command("compile_catalogues", verbosity=0)

    page = client.get("/").content.decode()

    assert 'lang="it"' in page
    assert "Accedi" in page
    assert "Vai al contenuto principale" in page
    assert "Log in" not in page
    assert "Skip to main content" not in page
