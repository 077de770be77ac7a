"""The policy areas the seed names as fragmented today and to be networked.

Names are data in Italian (the interface language); staff may edit them afterwards.
"""

from django.db import migrations

POLICY_AREAS = [
    ("work", "Lavoro"),
    ("housing", "Casa"),
    ("land-use", "Territorio e urbanistica"),
    ("transport", "Trasporti"),
    ("education", "Istruzione"),
    ("vocational-training", "Formazione professionale"),
    ("social-services", "Servizi sociali"),
    ("health-services", "Servizi sanitari"),
    ("local-taxation-and-tariffs", "Fiscalità locale e tariffe"),
]


def load_policy_areas(apps, schema_editor):
    PolicyArea = apps.get_model("welfare_portal", "PolicyArea")
    for position, (slug, name) in enumerate(POLICY_AREAS, start=1):
        PolicyArea.objects.update_or_create(slug=slug, defaults={"name": name, "position": position * 10})


def unload_policy_areas(apps, schema_editor):
    PolicyArea = apps.get_model("welfare_portal", "PolicyArea")
    PolicyArea.objects.filter(slug__in=[slug for slug, _name in POLICY_AREAS]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("welfare_portal", "0002_policyarea"),
    ]

    operations = [
        migrations.RunPython(load_policy_areas, unload_policy_areas),
    ]
