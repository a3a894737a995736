"""The plan PDF's section II gives the unit's own max where a leaf does not apply."""

import re
from datetime import date

import pytest

from remediation.documents import plan_pdf
from remediation.services import plan_draft
from scoring.models import Assessment, AssessmentStatus
from tests.remediation.pdfs import all_text, read
from tests.web.not_applicable_setup import REASON, appraised_world, post_mark
from tests.web.sheet_setup import logged_in

pytestmark = [pytest.mark.django_db, pytest.mark.pdf]


def test_section_two_prints_the_max_without_the_leaf_that_does_not_apply():
    world = appraised_world()
    post_mark(logged_in(world.home_affairs), world.mine, {"1.2": REASON})
    Assessment.objects.filter(pk=world.mine.pk).update(status=AssessmentStatus.PUBLISHED)
    plan = plan_draft(unit=world.mine.unit, year=2023)

    text = re.sub(r"\s+", " ", all_text(read(plan_pdf(plan, date(2024, 3, 1)))))

    section = text[text.index("II. KẾT QUẢ ĐẠT ĐƯỢC") : text.index("III. NỘI DUNG")]
    assert "1 Tiêu chí 1 1 1 0" in section
    assert "2 Tiêu chí 2 2 2 0" in section
    assert "Tổng điểm 3 3 0" in section
