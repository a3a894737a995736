"""The plan page's one save: the header, every field and all its tasks, all or nothing."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from remediation import services
from remediation.models import Agency, Plan, PlanStatus, ProgressUpdate, Task
from remediation.selectors import plan_gaps
from scoring.models import Role
from tests.factories import UnitFactory, user_with_role
from tests.remediation.builders import district_with_commune, plan_with_tasks
from tests.remediation.editing import new_rows, page_data

pytestmark = pytest.mark.django_db

EMPTY = "Nhiệm vụ mới chưa có nội dung: nhập mục tiêu hoặc tên nhiệm vụ, hoặc bỏ dòng này."


@pytest.fixture
def units():
    return district_with_commune()


@pytest.fixture
def plan(units):
    return plan_with_tasks(units[1], 3)


@pytest.fixture
def unit_client(client, units):
    client.force_login(user_with_role(Role.UNIT, units[1]))
    return client


def save(client, plan, data):
    return client.post(reverse("remediation:save", args=[plan.pk]), data)


def tasks_of(plan) -> list[Task]:
    return list(plan.tasks.order_by("order", "pk"))


def test_one_save_writes_the_header_a_field_and_all_its_tasks(unit_client, plan):
    section = plan.sections.get()
    first, second, third = tasks_of(plan)
    data = page_data(unit_client, plan)
    data.update(
        {
            "number": "05/KH-UBND",
            "signer_name": "Hoàng Văn Hiệp",
            f"s{section.pk}-deductions": "Tiêu chí 1.1: bị trừ 0,5 điểm.",
            f"s{section.pk}-lead": "Công chức Văn phòng - Thống kê",
            f"s{section.pk}-solutions": "Rà soát hằng quý.",
            f"t{first.pk}-name": "Ban hành kế hoạch rà soát TTHC",
            f"t{first.pk}-deadline": "Quý II, III/2024",
            f"t{second.pk}-name": "Cập nhật phần mềm",
            f"t{second.pk}-budget": "27 triệu đồng/đơn vị",
            f"t{third.pk}-name": "Tuyên truyền",
            f"t{third.pk}-due_date": "15/07/2024",
        }
    )
    data = new_rows(data, section, [{"name": "Tổ chức đối thoại", "deadline": "Quý I/2024"}])

    response = save(unit_client, plan, data)

    assert response.status_code == 302
    assert response.url == reverse("remediation:plan", args=[plan.pk])
    plan.refresh_from_db()
    section.refresh_from_db()
    assert (plan.number, plan.signer_name) == ("05/KH-UBND", "Hoàng Văn Hiệp")
    assert {"number", "signer_name"} <= set(plan.edited_fields)
    assert section.deductions == "Tiêu chí 1.1: bị trừ 0,5 điểm."
    assert set(section.edited_fields) == {"deductions", "lead", "solutions"}
    first, second, third, added = tasks_of(plan)
    assert (first.name, first.due_date) == ("Ban hành kế hoạch rà soát TTHC", date(2024, 9, 30))
    assert {"name", "deadline", "due_date"} <= set(first.edited_fields) | {"due_date"}
    assert (second.budget_amount, third.due_date) == (27, date(2024, 7, 15))
    assert "due_date" in third.edited_fields
    assert (added.name, added.order, added.due_date) == ("Tổ chức đối thoại", 4, date(2024, 3, 31))
    assert {"name", "deadline"} <= set(added.edited_fields)
    assert added.section == section and not added.criteria.exists()
    assert Agency.objects.filter(unit=plan.unit, name="Công chức Văn phòng - Thống kê").exists()
    page = unit_client.get(response.url).content.decode()
    assert "Đã lưu kế hoạch (6 phần thay đổi)." in page
    assert '<option value="Công chức Văn phòng - Thống kê">' in page


def test_saving_the_page_as_loaded_changes_nothing(unit_client, plan):
    before = plan.updated_at

    response = save(unit_client, plan, page_data(unit_client, plan))

    page = unit_client.get(response.url).content.decode()
    assert "Không có gì thay đổi, kế hoạch giữ nguyên." in page
    plan.refresh_from_db()
    assert plan.edited_fields == [] and plan.updated_at > before
    assert all(task.edited_fields == [] for task in tasks_of(plan))


def test_lines_sent_with_crlf_as_browsers_do_are_no_change(unit_client, plan):
    services.plan_update(plan=plan, data={"recipients": "UBND huyện;\nLưu: VT."})
    plan.refresh_from_db()
    plan.edited_fields = []
    plan.save()
    data = page_data(unit_client, plan)
    assert data["recipients"] == "UBND huyện;\nLưu: VT."

    save(unit_client, plan, {**data, "recipients": "UBND huyện;\r\nLưu: VT."})

    plan.refresh_from_db()
    assert (plan.recipients, plan.edited_fields) == ("UBND huyện;\nLưu: VT.", [])


def test_a_refused_part_refuses_the_whole_save_and_keeps_every_typed_value(unit_client, plan):
    section = plan.sections.get()
    first, second, _ = tasks_of(plan)
    data = page_data(unit_client, plan)
    data.update(
        {
            "number": "05/KH-UBND",
            "summary": "",
            f"s{section.pk}-lead": "Văn phòng UBND xã",
            f"t{first.pk}-name": "Nhiệm vụ đã gõ",
            f"t{second.pk}-due_date": "31/02/2024",
        }
    )

    response = save(unit_client, plan, new_rows(data, section, [{"name": "Dòng mới đã gõ"}]))

    body = response.content.decode()
    assert response.status_code == 400
    assert "Chưa lưu: 2 chỗ cần xem lại" in body
    assert (
        '<a href="#id_summary">Thông tin văn bản — Trích yếu: Trường này là bắt buộc.</a>' in body
    )
    assert (
        f'<a href="#id_t{second.pk}-due_date">Nhiệm vụ 2 của Lĩnh vực 1. Tiêu chí 1 — '
        "Hạn tính quá hạn: Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy.</a>"
    ) in body
    assert 'value="05/KH-UBND"' in body and 'value="Văn phòng UBND xã"' in body
    assert "Nhiệm vụ đã gõ</textarea>" in body and "Dòng mới đã gõ</textarea>" in body
    assert 'value="31/02/2024"' in body
    assert f'id="nhiem-vu-{second.pk}" open>' in body
    plan.refresh_from_db()
    section.refresh_from_db()
    assert (plan.number, plan.edited_fields, section.lead) == ("/KH-UBND", [], "")
    assert [task.name for task in tasks_of(plan)] == ["", "", ""]


def test_a_stale_page_is_refused_and_what_was_typed_kept(unit_client, plan):
    section = plan.sections.get()
    stale = page_data(unit_client, plan)
    # Someone else saves the plan after this page was loaded.
    theirs = page_data(unit_client, plan)
    theirs[f"s{section.pk}-lead"] = "Công chức Tư pháp - Hộ tịch"
    assert save(unit_client, plan, theirs).status_code == 302
    stale.update({"number": "07/KH-UBND", f"s{section.pk}-lead": "Văn phòng UBND xã"})

    response = save(unit_client, plan, stale)

    body = response.content.decode()
    assert response.status_code == 409
    assert "Có người khác đã lưu kế hoạch này sau khi bạn mở trang" in body
    assert 'value="07/KH-UBND"' in body and 'value="Văn phòng UBND xã"' in body
    assert "Bản đã lưu: «Công chức Tư pháp - Hộ tịch»." in body
    section.refresh_from_db()
    plan.refresh_from_db()
    assert (section.lead, plan.number) == ("Công chức Tư pháp - Hộ tịch", "/KH-UBND")
    # The page refused carries the new version: saving it again keeps what the user typed.
    stale["version"] = response.context["version"]
    assert save(unit_client, plan, stale).status_code == 302
    section.refresh_from_db()
    assert section.lead == "Văn phòng UBND xã"


def test_after_a_stale_refusal_a_task_added_meanwhile_shows_as_saved_and_is_kept(unit_client, plan):
    section = plan.sections.get()
    stale = page_data(unit_client, plan)
    theirs = new_rows(page_data(unit_client, plan), section, [{"name": "Nhiệm vụ của họ"}])
    save(unit_client, plan, theirs)
    added = plan.tasks.get(name="Nhiệm vụ của họ")

    response = save(unit_client, plan, {**stale, "number": "07/KH-UBND"})

    assert response.status_code == 409
    assert "Nhiệm vụ của họ</textarea>" in response.content.decode()
    again = {**stale, "number": "07/KH-UBND", "version": response.context["version"]}
    assert save(unit_client, plan, again).status_code == 302
    added.refresh_from_db()
    plan.refresh_from_db()
    assert (added.name, plan.number) == ("Nhiệm vụ của họ", "07/KH-UBND")


def test_a_page_refused_for_a_typing_error_keeps_the_version_it_was_loaded_with(unit_client, plan):
    stale = page_data(unit_client, plan)
    save(unit_client, plan, {**page_data(unit_client, plan), "number": "01/KH-UBND"})

    response = save(unit_client, plan, {**stale, "summary": ""})

    assert response.status_code == 400
    assert response.context["version"] == stale["version"]
    retry = {**stale, "summary": "Kế hoạch khắc phục", "number": "09/KH-UBND"}
    assert save(unit_client, plan, retry).status_code == 409
    plan.refresh_from_db()
    assert plan.number == "01/KH-UBND"


def test_apply_to_all_gives_the_field_lead_and_coordinators_to_every_task(unit_client, plan):
    section = plan.sections.get()
    first = tasks_of(plan)[0]
    data = page_data(unit_client, plan)
    data.update(
        {
            f"s{section.pk}-lead": "Công chức Văn phòng - Thống kê",
            f"s{section.pk}-coordinators": "Các ban, ngành; UBND các thôn",
            f"s{section.pk}-apply_to_tasks": "on",
            f"t{first.pk}-lead": "Ai đó khác",
        }
    )

    save(unit_client, plan, new_rows(data, section, [{"name": "Nhiệm vụ thêm"}]))

    tasks = tasks_of(plan)
    assert len(tasks) == 4
    assert {(t.lead, t.coordinators) for t in tasks} == {
        ("Công chức Văn phòng - Thống kê", "Các ban, ngành; UBND các thôn")
    }
    assert all({"lead", "coordinators"} <= set(t.edited_fields) for t in tasks)
    assert Agency.objects.filter(unit=plan.unit, name="UBND các thôn").exists()


def test_without_apply_to_all_the_tasks_keep_their_own_lead(unit_client, plan):
    section = plan.sections.get()
    data = page_data(unit_client, plan)
    data[f"s{section.pk}-lead"] = "Công chức Văn phòng - Thống kê"

    save(unit_client, plan, data)

    assert [t.lead for t in tasks_of(plan)] == ["", "", ""]


def test_an_empty_new_task_is_refused_and_nothing_is_saved(unit_client, plan):
    section = plan.sections.get()
    data = page_data(unit_client, plan)
    data["number"] = "05/KH-UBND"
    rows = [{"name": "Nhiệm vụ có tên"}, {"lead": "Chỉ có chủ trì", "budget": ""}]

    response = save(unit_client, plan, new_rows(data, section, rows))

    body = response.content.decode()
    assert response.status_code == 400
    assert (
        f'<a href="#moi-n{section.pk}-1">Nhiệm vụ mới 2 của Lĩnh vực 1. Tiêu chí 1: {EMPTY}' in body
    )
    assert 'value="Chỉ có chủ trì"' in body
    assert plan.tasks.count() == 3
    plan.refresh_from_db()
    assert plan.number == "/KH-UBND"


def test_the_service_refuses_an_empty_new_task_whoever_calls_it(plan):
    section = plan.sections.get()

    with pytest.raises(ValidationError, match="Nhiệm vụ mới chưa có nội dung"):
        services.plan_save(
            plan=plan,
            version=services.plan_version(plan),
            header={"number": "05/KH-UBND"},
            sections={},
            tasks={},
            new_tasks={section.pk: [{"name": " ", "objective": "", "lead": "Văn phòng"}]},
        )

    plan.refresh_from_db()
    assert (plan.tasks.count(), plan.number) == (3, "/KH-UBND")


def test_a_part_the_model_refuses_late_undoes_the_parts_written_before_it(plan):
    task = tasks_of(plan)[0]

    with pytest.raises(ValidationError):
        services.plan_save(
            plan=plan,
            version=services.plan_version(plan),
            header={"number": "05/KH-UBND"},
            sections={},
            tasks={task.pk: {"name": "Tên mới", "lead": "x" * 501}},
            new_tasks={},
        )

    plan.refresh_from_db()
    task.refresh_from_db()
    assert (plan.number, plan.edited_fields, task.name) == ("/KH-UBND", [], "")


def test_the_service_refuses_parts_of_another_plan(units, plan):
    other = plan_with_tasks(UnitFactory(code="H1-X2", name="Xã Hai", parent=units[0]), 1)
    foreign = other.tasks.get()

    with pytest.raises(ValidationError, match="không thuộc kế hoạch này"):
        services.plan_save(
            plan=plan,
            version=services.plan_version(plan),
            header={},
            sections={},
            tasks={foreign.pk: {"name": "Sửa trộm"}},
            new_tasks={},
        )

    foreign.refresh_from_db()
    assert foreign.name == ""


def test_an_issued_plan_shows_no_form_refuses_a_save_and_still_takes_progress(unit_client, plan):
    data = page_data(unit_client, plan)
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.ISSUED)
    task = tasks_of(plan)[0]
    data["number"] = "05/KH-UBND"

    response = save(unit_client, plan, data)

    body = response.content.decode()
    assert response.status_code == 409
    assert services.ISSUED in body
    assert 'id="plan-form"' not in body and "Lưu kế hoạch" not in body
    assert "Cập nhật theo điểm hiện tại" not in body
    assert f'id="tien-do-{task.pk}"' in body
    plan.refresh_from_db()
    assert plan.number == "/KH-UBND"
    progress = {
        f"p{task.pk}-reported_on": "05/01/2024",
        f"p{task.pk}-status": "in_progress",
        f"p{task.pk}-progress": "40",
    }
    unit_client.post(reverse("remediation:progress_add", args=[task.pk]), progress)
    assert ProgressUpdate.objects.filter(task=task, progress=40).exists()


def test_the_service_refuses_an_issued_plan(plan):
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.ISSUED)
    plan.refresh_from_db()

    with pytest.raises(ValidationError, match="Kế hoạch đã ban hành, không sửa được nội dung"):
        services.plan_save(
            plan=plan, version=services.plan_version(plan), header={}, sections={}, tasks={},
            new_tasks={},
        )  # fmt: skip


def test_an_issued_plan_is_not_drafted_again(unit_client, plan):
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.ISSUED)
    plan.tasks.all().delete()

    response = unit_client.post(reverse("remediation:redraft", args=[plan.pk]), follow=True)

    assert services.ISSUED in response.content.decode()
    assert plan.tasks.count() == 0


def test_outsiders_are_refused_the_save(client, plan):
    client.force_login(user_with_role(Role.UNIT, UnitFactory(code="OTHER"), username="other"))

    response = save(client, plan, {"number": "99/KH"})

    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.number == "/KH-UBND"


def test_the_save_refuses_get(unit_client, plan):
    assert unit_client.get(reverse("remediation:save", args=[plan.pk])).status_code == 405


def test_the_save_comes_back_to_the_part_being_edited(unit_client, plan):
    task = tasks_of(plan)[0]
    data = page_data(unit_client, plan)

    response = save(unit_client, plan, {**data, "tai": f"nhiem-vu-{task.pk}"})
    assert response.url.endswith(f"#nhiem-vu-{task.pk}")

    response = save(unit_client, plan, {**page_data(unit_client, plan), "tai": "x\nLocation"})
    assert response.url == reverse("remediation:plan", args=[plan.pk])


@pytest.mark.parametrize("count", [5, 50])
def test_the_page_and_the_save_cost_the_same_queries_for_5_or_50_tasks(
    client, units, count, django_assert_max_num_queries
):
    district = units[0]
    plan = plan_with_tasks(UnitFactory(code=f"H1-Q{count}", name="Xã Q", parent=district), count)
    client.force_login(user_with_role(Role.HOME_AFFAIRS, district))
    url = reverse("remediation:plan", args=[plan.pk])

    # 20, and 1 for the next year's result (the effectiveness section).
    with django_assert_max_num_queries(21):
        assert client.get(url).status_code == 200
    data = page_data(client, plan)
    for task in plan.tasks.all():
        data[f"t{task.pk}-name"] = f"Nhiệm vụ {task.pk}"
    section = plan.sections.get()
    data = new_rows(data, section, [{"name": "Mới 1"}, {"name": "Mới 2"}])
    with django_assert_max_num_queries(22):
        assert save(client, plan, data).status_code == 302

    assert plan.tasks.exclude(name="").count() == count + 2


def test_the_page_lists_what_is_still_empty_before_issuing(unit_client, plan):
    section = plan.sections.get()
    first = tasks_of(plan)[0]
    services.task_update(task=first, data={"name": "Ban hành kế hoạch"})
    # Drafting wrote what the field lost; a person who clears it leaves a gap.
    services.section_update(section=section, data={"deductions": ""})

    gaps = plan_gaps(plan)
    page = unit_client.get(reverse("remediation:plan", args=[plan.pk])).content.decode()

    assert [(gap.anchor, gap.text) for gap in gaps] == [
        (
            f"linh-vuc-{section.pk}",
            "Lĩnh vực 1. Tiêu chí 1: chưa có nội dung bị trừ điểm, chủ trì thực hiện, phối hợp,"
            " giải pháp thực hiện, tên 2 nhiệm vụ",
        ),
        ("nguoi-ky", "Người ký: chưa có họ tên người ký"),
    ]
    assert "Còn trống trước khi ban hành" in page
    assert '<a href="#nguoi-ky">Người ký: chưa có họ tên người ký</a>' in page


def test_a_filled_plan_has_no_gaps(plan):
    section = plan.sections.get()
    services.section_update(
        section=section,
        data={
            "deductions": "Tiêu chí 1.1 bị trừ 0,5 điểm.",
            "lead": "Văn phòng",
            "coordinators": "Các ban",
            "solutions": "Rà soát.",
        },
    )
    for task in tasks_of(plan):
        services.task_update(task=task, data={"name": f"Nhiệm vụ {task.pk}"})
    services.plan_update(plan=plan, data={"signer_name": "Hoàng Văn Hiệp"})

    assert plan_gaps(plan) == []
