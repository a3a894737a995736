from io import StringIO

import pytest
from django.core.management import call_command

from remediation.services import plan_draft
from scoring.demo import CAM_SON
from scoring.models import Unit


@pytest.fixture
def demo(db) -> None:
    call_command("load_demo", stdout=StringIO())


@pytest.fixture
def cam_son(demo) -> Unit:
    return Unit.objects.get(code=CAM_SON)


@pytest.fixture
def cam_son_plan(cam_son):
    return plan_draft(unit=cam_son, year=2023)
