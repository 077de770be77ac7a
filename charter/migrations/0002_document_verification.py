"""Verification codes and the platform seal on documents.

Existing documents get a code here (their PDFs stay as they are, without it printed); the
column becomes unique and required only afterwards.
"""

import secrets

from django.db import migrations, models

import charter.models.documents

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def fill_codes(apps, schema_editor):
    Document = apps.get_model("charter", "Document")
    used = set()
    for document in Document.objects.filter(verification_code__isnull=True).only("pk"):
        while True:
            raw = "".join(secrets.choice(ALPHABET) for _ in range(10))
            code = f"{raw[:5]}-{raw[5:]}"
            if code not in used and not Document.objects.filter(verification_code=code).exists():
                break
        used.add(code)
        Document.objects.filter(pk=document.pk).update(verification_code=code)


class Migration(migrations.Migration):
    dependencies = [("charter", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="document", name="verification_code",
            field=models.CharField(editable=False, max_length=11, null=True, unique=True,
                                   verbose_name="verification code"),
        ),
        migrations.RunPython(fill_codes, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="document", name="verification_code",
            field=models.CharField(default=charter.models.documents.new_verification_code, editable=False,
                                   max_length=11, unique=True, verbose_name="verification code"),
        ),
        migrations.AddField(
            model_name="document", name="sealed",
            field=models.BooleanField(default=False, editable=False, verbose_name="sealed by the portal"),
        ),
        migrations.AddField(
            model_name="document", name="seal_subject",
            field=models.CharField(blank=True, editable=False, max_length=500,
                                   verbose_name="seal certificate's subject"),
        ),
    ]
