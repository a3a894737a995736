"""The service that moves the scoring sheet's concurrency token."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.models import Assessment
from scoring.services import assessments_bump_version
from tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db


def test_bumping_many_assessments_is_one_update_and_leaves_the_others_alone():
    moved = [AssessmentFactory(), AssessmentFactory(), AssessmentFactory()]
    untouched = AssessmentFactory()
    before = {a.pk: a.updated_at for a in Assessment.objects.all()}

    with CaptureQueriesContext(connection) as queries:
        count = assessments_bump_version(assessment_ids=[a.pk for a in moved] + [moved[0].pk])

    assert count == 3
    assert [q["sql"].split()[0] for q in queries] == ["UPDATE"]
    after = {a.pk: (a.version, a.updated_at) for a in Assessment.objects.all()}
    for assessment in moved:
        assert after[assessment.pk][0] == 1
        assert after[assessment.pk][1] > before[assessment.pk]
    assert after[untouched.pk] == (0, before[untouched.pk])


def test_bumping_no_assessment_runs_no_query():
    AssessmentFactory()

    with CaptureQueriesContext(connection) as queries:
        assert assessments_bump_version(assessment_ids=[None]) == 0

    assert len(queries) == 0
    assert list(Assessment.objects.values_list("version", flat=True)) == [0]
