"""Stored tallies follow scores saved or deleted one at a time through the ORM (the
admin, a shell, a fixture). Bulk writes (sheet saves, imports, workflow steps) do not
send these signals; each calls `scoring.engine.refresh_tallies` itself."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from scoring.engine import refresh_tallies
from scoring.models import Assessment, Score


@receiver(post_save, sender=Assessment, dispatch_uid="tally_new_assessment")
def tally_new_assessment(sender, instance: Assessment, created: bool, raw: bool, **kwargs):
    if created and not raw:
        refresh_tallies([instance.pk])


@receiver(post_save, sender=Score, dispatch_uid="tally_saved_score")
def tally_saved_score(sender, instance: Score, raw: bool, **kwargs):
    if not raw:
        refresh_tallies([instance.assessment_id])


@receiver(post_delete, sender=Score, dispatch_uid="tally_deleted_score")
def tally_deleted_score(sender, instance: Score, origin=None, **kwargs):
    # Scores deleted with their assessment leave nothing to refresh (and a refresh
    # then would write tallies for an assessment about to go).
    if isinstance(origin, Assessment) or getattr(origin, "model", None) is Assessment:
        return
    refresh_tallies([instance.assessment_id])
