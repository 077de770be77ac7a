"""The target groups the issue names and the usual age bands of social planning.

Names are data in Italian (the interface language); staff may edit them and add more.
"""

from django.db import migrations

TARGET_GROUPS = [
    ("families", "Famiglie"),
    ("children", "Minori"),
    ("young-people", "Giovani"),
    ("older-people", "Anziani"),
    ("people-with-disabilities", "Persone con disabilità"),
    ("people-in-poverty", "Persone in povertà"),
    ("migrants", "Migranti"),
    ("carers", "Caregiver"),
]

# (label, from age, to age included; None: no upper limit)
AGE_BANDS = [
    ("0-5 anni", 0, 5),
    ("6-13 anni", 6, 13),
    ("14-17 anni", 14, 17),
    ("18-29 anni", 18, 29),
    ("30-64 anni", 30, 64),
    ("65 anni e oltre", 65, None),
]


def load(apps, schema_editor):
    TargetGroup = apps.get_model("welfare_portal", "TargetGroup")
    AgeBand = apps.get_model("welfare_portal", "AgeBand")
    for position, (slug, name) in enumerate(TARGET_GROUPS, start=1):
        TargetGroup.objects.update_or_create(slug=slug, defaults={"name": name, "position": position * 10})
    for label, min_age, max_age in AGE_BANDS:
        AgeBand.objects.update_or_create(label=label, defaults={"min_age": min_age, "max_age": max_age})


def unload(apps, schema_editor):
    apps.get_model("welfare_portal", "TargetGroup").objects.filter(
        slug__in=[slug for slug, _name in TARGET_GROUPS]
    ).delete()
    apps.get_model("welfare_portal", "AgeBand").objects.filter(
        label__in=[label for label, *_ages in AGE_BANDS]
    ).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("welfare_portal", "0004_targetgroup_ageband"),
    ]

    operations = [
        migrations.RunPython(load, unload),
    ]
