import pytest

from remediation.services import plan_draft
from scoring.demo import CAM_SON
from scoring.models import Unit
from tests.factories import load_demo_data
from tests.remediation.pdfs import needs_weasyprint


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers", "pdf: renders a PDF (skipped where WeasyPrint's system libraries are missing)"
    )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item) -> None:
    # Here rather than in a fixture, so pytest's summary folds every skip into one line.
    if item.get_closest_marker("pdf"):
        needs_weasyprint()


@pytest.fixture
def demo(db) -> None:
    load_demo_data()


@pytest.fixture
def cam_son(demo) -> Unit:
    return Unit.objects.get(code=CAM_SON)


@pytest.fixture
def cam_son_plan(cam_son):
    return plan_draft(unit=cam_son, year=2023)
