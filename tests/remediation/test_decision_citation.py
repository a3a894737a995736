"""Plans cite the decision publishing their khối's results as their legal basis
("Căn cứ Quyết định số 9471/QĐ-UBND ngày 26/12/2023 …"), recorded before or after
they were drafted, never over what a person wrote."""

from datetime import date

import pytest
from django.urls import reverse

from remediation.models import Plan, PlanStatus
from remediation.services import plan_draft, plan_update
from scoring.cycles.publication import group_publish
from scoring.models import Role
from tests.factories import RankingGroupFactory, user_with_role
from tests.remediation.pdfs import all_text, read
from tests.scoring.publication_setup import YEAR, appraised_sheet, group_world

pytestmark = pytest.mark.django_db
CITATION = (
    "Căn cứ Quyết định số 9471/QĐ-UBND ngày 26/12/2023 của UBND huyện Thử về việc phê "
    "duyệt Chỉ số cải cách hành chính năm 2023;"
)
DRAFTED = "Căn cứ kết quả xác định Chỉ số cải cách hành chính năm 2023 do UBND huyện Thử công bố;"


def publish(world, number: str = "9471/QĐ-UBND"):
    return group_publish(
        group=world.group,
        year=YEAR,
        user=world.home_affairs,
        number=number,
        signed_on=date(2023, 12, 26),
        issuer="UBND huyện Thử",
        subject="phê duyệt Chỉ số cải cách hành chính năm 2023",
    )


def test_a_plan_drafted_after_the_decision_cites_it():
    world = group_world(2)
    publish(world)

    plan = plan_draft(unit=world.sheets[1].unit, year=YEAR)

    assert plan.legal_bases == CITATION


def test_plans_drafted_before_the_decision_cite_it_once_it_is_recorded():
    world = group_world(3)
    plans = [plan_draft(unit=sheet.unit, year=YEAR) for sheet in world.sheets]
    assert {plan.legal_bases for plan in plans} == {DRAFTED}

    outcome = publish(world)

    assert outcome.plans_updated == 3
    assert {plan.legal_bases for plan in Plan.objects.all()} == {CITATION}


def test_a_corrected_decision_is_cited_again():
    world = group_world(2)
    plan = plan_draft(unit=world.sheets[1].unit, year=YEAR)
    publish(world)

    publish(world, number="9472/QĐ-UBND")

    plan.refresh_from_db()
    assert plan.legal_bases == CITATION.replace("9471", "9472")


def test_a_legal_basis_a_person_wrote_and_an_issued_plan_are_left_as_they_are():
    world = group_world(3)
    written, issued, drafted = (plan_draft(unit=sheet.unit, year=YEAR) for sheet in world.sheets)
    plan_update(plan=written, data={"legal_bases": "Căn cứ Kế hoạch số 12/KH-UBND;"})
    Plan.objects.filter(pk=issued.pk).update(status=PlanStatus.ISSUED)

    outcome = publish(world)

    assert outcome.plans_updated == 1
    legal_bases = dict(Plan.objects.values_list("pk", "legal_bases"))
    assert legal_bases == {
        written.pk: "Căn cứ Kế hoạch số 12/KH-UBND;",
        issued.pk: DRAFTED,
        drafted.pk: CITATION,
    }


def test_a_plan_of_another_khoi_is_not_touched():
    world = group_world(2)
    other_group = RankingGroupFactory(name="Khối phường")
    other = appraised_sheet(world.sheets[0].framework, world.district, other_group, 9)
    plan = plan_draft(unit=other.unit, year=YEAR)

    publish(world)

    plan.refresh_from_db()
    assert plan.legal_bases == DRAFTED


@pytest.fixture
def published_plan(client):
    world = group_world(2)
    publish(world)
    unit = world.sheets[1].unit
    client.force_login(user_with_role(Role.UNIT, unit, username="xa.so2"))
    return plan_draft(unit=unit, year=YEAR)


def test_the_plan_page_shows_the_citation(client, published_plan):
    page = client.get(reverse("remediation:plan", args=[published_plan.pk])).content.decode()

    assert CITATION in page


@pytest.mark.pdf
def test_the_plan_pdf_prints_the_citation(client, published_plan):
    response = client.get(reverse("remediation:pdf", args=[published_plan.pk]))

    assert CITATION in all_text(read(response.content))
