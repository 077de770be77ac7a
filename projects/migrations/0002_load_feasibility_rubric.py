"""The active feasibility rubric with the five criteria the issue names.

Names are data in Italian (the interface language); weights add up to 100 so each reads as a
percentage. The steering coordinator or staff may edit them, or activate another rubric.
"""

from django.db import migrations

RUBRIC_NAME = "Valutazione di fattibilità"
CRITERIA = [
    (
        "Bisogno coperto",
        "Il progetto risponde a un bisogno reale del territorio, compresi i bisogni che oggi "
        "restano in una “terra di nessuno”.",
        25,
    ),
    (
        "Integrazione tra politiche",
        "Il progetto mette in rete politiche oggi frammentate (lavoro, casa, territorio, trasporti, "
        "istruzione, formazione, servizi sociali e sanitari, fiscalità locale e tariffe).",
        20,
    ),
    (
        "Partenariato",
        "Il progetto nasce da un partenariato tra soggetti diversi, ciascuno con un apporto chiaro.",
        20,
    ),
    (
        "Sostenibilità",
        "Le risorse messe in rete rendono il progetto sostenibile nel tempo, come investimento "
        "sul capitale sociale.",
        15,
    ),
    (
        "Fattibilità del piano",
        "Attività, tempi, destinatari e indicatori sono realistici e verificabili.",
        20,
    ),
]


def load(apps, schema_editor):
    Rubric = apps.get_model("projects", "Rubric")
    Criterion = apps.get_model("projects", "Criterion")
    rubric, _created = Rubric.objects.get_or_create(
        name=RUBRIC_NAME,
        defaults={
            "description": "Criteri del gruppo di regia per valutare la fattibilità delle proposte progettuali.",
            "is_active": not Rubric.objects.filter(is_active=True).exists(),
        },
    )
    for order, (name, description, weight) in enumerate(CRITERIA, start=1):
        Criterion.objects.update_or_create(
            rubric=rubric, name=name,
            defaults={"description": description, "weight": weight, "order": order * 10},
        )


def unload(apps, schema_editor):
    apps.get_model("projects", "Rubric").objects.filter(name=RUBRIC_NAME).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("projects", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
