"""The portal's open data: the published Carta's projects, the directory of verified partners
and the resources committed in the Patto, as CSV and JSON under CC BY 4.0.

Pure functions: the views fetch the rows (`.iterator()` or a snapshot) and hand them here, and
what comes back are generators of text chunks for a StreamingHttpResponse, so a long list is
never built in memory. Every dataset's fields are described once, in DATASETS, which the data
dictionary page shows and the exports follow, so the two cannot drift apart.

No personal data: organisations are legal bodies whose name and tax code are public; their
contact email and phone are left out (they often name a person), and so is a sole trader's
tax code, which is the person's own codice fiscale (partners.validators.public_tax_code).
"""

import csv
import json
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from partners.validators import public_tax_code

from .snapshot import projects_of

LICENCE = {
    "name": "CC BY 4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "url": "https://creativecommons.org/licenses/by/4.0/deed.it",
}
FORMATS = ("csv", "json")
# A spreadsheet runs a cell starting with one of these as a formula: such cells get a quote
# (as partners.views.events does for its CSV).
CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = " | "


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    meaning: str
    example: str


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    fields: tuple

    @property
    def field_names(self):
        return [f.name for f in self.fields]


TEXT, INTEGER, DECIMAL, DATE, LIST, URL = (
    _("text"), _("integer"), _("decimal (euro, point as separator)"), _("date (YYYY-MM-DD)"),
    _("list of texts (in CSV separated by \" | \")"), _("web address"),
)

PROJECTS = Dataset(
    slug="progetti",
    title=_("Projects of the Carta della cittadinanza"),
    description=_("Every project of the published Carta, as the steering group approved it."),
    fields=(
        Field("id", INTEGER, _("Number of the project in the portal."), "12"),
        Field("title", TEXT, _("Title of the project."), "Custodi di quartiere"),
        Field("theme", TEXT, _("Theme of project design the project belongs to."), "Abitare e vicinato"),
        Field("lead_organisation", TEXT, _("Organisation leading the project."), "Cooperativa Il Ponte"),
        Field(
            "co_partners", LIST, _("Organisations taking part as co-partners."),
            "Associazione Auser | Comune di Legnano",
        ),
        Field(
            "municipalities", LIST, _("Municipalities of the ambito where the project is carried out."),
            "Legnano | Rescaldina",
        ),
        Field("policy_areas", LIST, _("Policy areas the project puts in a network."), "Anziani | Famiglia"),
        Field("target_groups", LIST, _("Groups of people the project serves."), "Persone anziane"),
        Field("age_bands", LIST, _("Age bands of the people it serves."), "65+"),
        Field("estimated_beneficiaries", INTEGER, _("Estimated number of beneficiaries (empty if not stated)."), "120"),
        Field("start_date", DATE, _("Planned start (empty if not stated)."), "2026-01-15"),
        Field("end_date", DATE, _("Planned end (empty if not stated)."), "2027-12-31"),
        Field(
            "total_value_eur", DECIMAL, _("Estimated value of every resource committed to the project, in euro."),
            "15000.00",
        ),
    ),
)

PARTNERS = Dataset(
    slug="partner",
    title=_("Directory of partners"),
    description=_("The organisations of the partnership verified by the Ambito's staff. No personal data."),
    fields=(
        Field("id", INTEGER, _("Number of the organisation in the portal."), "7"),
        Field("name", TEXT, _("Name of the organisation."), "Cooperativa Il Ponte"),
        Field(
            "kind", TEXT, _("Kind of actor (local authority, social cooperative, volunteering...)."),
            "Cooperazione sociale",
        ),
        Field("legal_form", TEXT, _("Legal form, as the organisation states it."), "Cooperativa sociale di tipo A"),
        Field(
            "tax_code", TEXT,
            _("Codice fiscale or partita IVA of the legal body (public data); empty for a sole trader, whose code "
              "is a person's own codice fiscale."),
            "01234567890",
        ),
        Field("seat_municipality", TEXT, _("Municipality of the registered seat."), "Legnano"),
        Field("municipalities_served", LIST, _("Municipalities where the organisation works."), "Legnano | Canegrate"),
        Field("policy_areas", LIST, _("Policy areas the organisation works in."), "Disabilità | Minori"),
        Field("website", URL, _("Website of the organisation (empty if none)."), "https://www.example.org"),
    ),
)

RESOURCES = Dataset(
    slug="risorse-patto",
    title=_("Resources committed in the Patto di solidarietà"),
    description=_(
        "What each signatory organisation commits to the Carta's projects: one row per organisation and commitment."
    ),
    fields=(
        Field(
            "organisation", TEXT, _("Signatory organisation, with the name it has in the pact."),
            "Associazione Auser",
        ),
        Field(
            "organisation_tax_code", TEXT,
            _("Its codice fiscale or partita IVA; empty for a sole trader, whose code is a person's own."),
            "91234567890",
        ),
        Field("project_id", INTEGER, _("Number of the project the resource goes to."), "12"),
        Field("project", TEXT, _("Title of that project."), "Custodi di quartiere"),
        Field("kind", TEXT, _("Kind of resource (money, volunteer hours, spaces, goods...)."), "Ore di volontariato"),
        Field("quantity", DECIMAL, _("Quantity committed, in the unit of the next field."), "200"),
        Field("unit", TEXT, _("Unit of the quantity."), "ore"),
        Field("value_eur", DECIMAL, _("Estimated value in euro."), "3000.00"),
    ),
)

DATASETS = {dataset.slug: dataset for dataset in (PROJECTS, PARTNERS, RESOURCES)}


# Records: plain dicts with the dataset's fields, lists kept as lists (joined only in CSV).


def project_records(snapshot):
    """The projects of a frozen Carta snapshot."""
    for project in projects_of(snapshot):
        yield {
            "id": project["proposal_id"],
            "title": project["title"],
            "theme": project["theme"]["title"],
            "lead_organisation": project["lead"]["name"],
            "co_partners": [partner["name"] for partner in project["co_partners"]],
            "municipalities": list(project["municipalities"]),
            "policy_areas": list(project["policy_areas"]),
            "target_groups": list(project["target_groups"]),
            "age_bands": list(project["age_bands"]),
            "estimated_beneficiaries": project["estimated_beneficiaries"],
            "start_date": project["start_date"],
            "end_date": project["end_date"],
            "total_value_eur": project["total_value_eur"],
        }


def partner_record(organisation):
    """A verified organisation, with `municipalities_served` and `policy_areas` prefetched. The
    kind is written in the portal's language, as the snapshot's labels are, whoever downloads."""
    with translation.override(settings.LANGUAGE_CODE):
        kind = str(organisation.get_kind_display())
    return {
        "id": organisation.pk,
        "name": organisation.name,
        "kind": kind,
        "legal_form": organisation.legal_form,
        "tax_code": public_tax_code(organisation.tax_code),
        "seat_municipality": organisation.seat_municipality.name,
        "municipalities_served": [m.name for m in organisation.municipalities_served.all()],
        "policy_areas": [area.name for area in organisation.policy_areas.all()],
        "website": organisation.website,
    }


def resource_records(snapshot, signatories):
    """The commitments each signatory states in the snapshot's projects. `signatories` are
    (organisation id, name in the pact, tax code in the pact) triples, in the pact's order."""
    by_organisation = {}
    for project in projects_of(snapshot):
        for commitment in project["commitments"]:
            by_organisation.setdefault(commitment["organisation_id"], []).append((project, commitment))
    for organisation_id, name, tax_code in signatories:
        for project, commitment in by_organisation.get(organisation_id, []):
            yield {
                "organisation": name,
                "organisation_tax_code": public_tax_code(tax_code),
                "project_id": project["proposal_id"],
                "project": project["title"],
                "kind": commitment["kind_label"],
                "quantity": commitment["quantity"],
                "unit": commitment["unit"],
                "value_eur": commitment["estimated_value_eur"],
            }


# Serialisation


def csv_cell(value):
    """A value as CSV text: lists joined, None empty, and a leading =, +, -, @ quoted so a
    spreadsheet shows it as text instead of running it. Numbers are left alone: a negative
    number is data, not a formula."""
    if value is None:
        return ""
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, (list, tuple)):
        value = LIST_SEPARATOR.join(str(item) for item in value)
    text = str(value)
    return "'" + text if text.startswith(CSV_FORMULA_PREFIXES) else text


class _Line:
    """A file-like object whose write returns the line, for csv.writer in a generator."""

    def write(self, value):
        return value


def stream_csv(dataset, records):
    """CSV chunks (comma-separated, RFC 4180 quoting, CRLF lines): the header, then a line per
    record."""
    writer = csv.writer(_Line())
    yield writer.writerow(dataset.field_names)
    for record in records:
        yield writer.writerow([csv_cell(record[name]) for name in dataset.field_names])


def metadata(dataset, *, generated_at, source_url, updated_at=None):
    """The JSON export's header, in the portal's language like the records."""
    with translation.override(settings.LANGUAGE_CODE):
        return _metadata(dataset, generated_at, source_url, updated_at)


def _metadata(dataset, generated_at, source_url, updated_at):
    return {
        "title": str(dataset.title),
        "description": str(dataset.description),
        "licence": {"name": LICENCE["name"], "url": LICENCE["url"]},
        "generated_at": generated_at.isoformat(),
        "updated_at": updated_at.isoformat() if updated_at else None,
        "source": source_url,
        "fields": dataset.field_names,
    }


def stream_json(meta, records):
    """A JSON object: the metadata, then `records`, written one record at a time."""
    head = json.dumps(meta, ensure_ascii=False)
    yield head[:-1] + ', "records": ['
    for index, record in enumerate(records):
        yield ("," if index else "") + "\n" + json.dumps(record, ensure_ascii=False, default=str)
    yield "\n]}\n"
