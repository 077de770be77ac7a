"""The weighted score kept on each proposal (ProposalQuerySet.refresh_scores), filled for the
proposals that already have evaluations."""

from django.db import migrations, models
from django.db.models import FloatField, OuterRef, Subquery, Sum
from django.db.models.functions import Cast, Coalesce


def fill_scores(apps, schema_editor):
    """The same UPDATE as ProposalQuerySet.refresh_scores, on the historical models."""
    Proposal = apps.get_model("projects", "Proposal")
    Score = apps.get_model("projects", "Score")
    Evaluation = apps.get_model("projects", "Evaluation")
    weighted = (
        Score.objects.filter(
            evaluation__proposal=OuterRef("pk"), evaluation__submitted_at__isnull=False,
            evaluation__conflict_declared=False,
        )
        .order_by().values("evaluation__proposal")
        .annotate(
            average=Sum(Cast("value", FloatField()) * Cast("criterion__weight", FloatField()))
            / Sum(Cast("criterion__weight", FloatField()))
        )
        .values("average")
    )
    counted = (
        Evaluation.objects.filter(proposal=OuterRef("pk"), submitted_at__isnull=False, conflict_declared=False)
        .order_by().values("proposal")
        .annotate(count=models.Count("pk")).values("count")
    )
    Proposal.objects.filter(pk__in=Evaluation.objects.values("proposal_id")).update(
        average_score=Subquery(weighted, output_field=FloatField()),
        scored_count=Coalesce(Subquery(counted, output_field=models.IntegerField()), 0),
    )


class Migration(migrations.Migration):

    dependencies = [
        ("projects", "0003_names_cleaned_and_texts_bounded"),
    ]

    operations = [
        migrations.AddField(
            model_name="proposal",
            name="average_score",
            field=models.FloatField(blank=True, editable=False, null=True, verbose_name="weighted score"),
        ),
        migrations.AddField(
            model_name="proposal",
            name="scored_count",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="evaluations scored"),
        ),
        migrations.AddIndex(
            model_name="proposal",
            index=models.Index(fields=["average_score", "submitted_at"], name="proposal_score_idx"),
        ),
        migrations.RunPython(fill_scores, migrations.RunPython.noop),
    ]
