"""The plan page driven in headless Chromium (skipped where Chromium is missing)."""

import pytest

from remediation.models import Task
from scoring.models import Role
from tests.browser.conftest import browser, log_in  # noqa: F401 - the fixture
from tests.factories import user_with_role
from tests.remediation.builders import district_with_commune, plan_with_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 390
OVERFLOW = "document.documentElement.scrollWidth"
EMPTY = "Nhiệm vụ mới chưa có nội dung: nhập mục tiêu hoặc tên nhiệm vụ, hoặc bỏ dòng này."


def open_plan(browser, live_server, width: int = 1366, tasks: int = 2):  # noqa: F811
    _, commune = district_with_commune()
    plan = plan_with_tasks(commune, tasks)
    user_with_role(Role.UNIT, commune, username="xa.thumot")
    page = log_in(browser, live_server, "xa.thumot", "secret-pass-123", width=width)
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/")
    return page, plan


def test_unit_user_types_a_deadline_and_sees_when_the_task_becomes_overdue(
    browser,  # noqa: F811
    live_server,
):
    page, plan = open_plan(browser, live_server)
    task = plan.tasks.order_by("pk").first()

    page.click(f"#nhiem-vu-{task.pk} summary")
    page.fill(f"#id_t{task.pk}-deadline", "Quý II, III/2024")
    page.fill(f"#id_t{task.pk}-budget", "27 triệu đồng/đơn vị")
    page.click("text=Lưu kế hoạch")

    page.wait_for_selector("text=Đã lưu kế hoạch (1 phần thay đổi).")
    # Back at the task being edited, opened.
    assert page.url.endswith(f"#nhiem-vu-{task.pk}")
    assert page.locator(f"#nhiem-vu-{task.pk}").get_attribute("open") == ""
    assert "hạn 30/09/2024" in page.locator(f"#nhiem-vu-{task.pk} summary").inner_text()
    assert page.locator(".glance div").nth(4).locator("strong").inner_text() == "27"
    task.refresh_from_db()
    assert task.deadline == "Quý II, III/2024"
    assert Task.objects.filter(plan=plan, budget_amount=27).count() == 1


def test_a_whole_field_and_its_tasks_are_filled_in_one_save_on_a_phone(
    browser,  # noqa: F811
    live_server,
):
    page, plan = open_plan(browser, live_server, width=PHONE, tasks=3)
    section = plan.sections.get()
    tasks = list(plan.tasks.order_by("order", "pk"))
    assert page.evaluate(OVERFLOW) <= PHONE

    s = f"#id_s{section.pk}"
    page.fill(f"{s}-deductions", "Tiêu chí 1.1: đạt 0,5/1 điểm, bị trừ 0,5 điểm.")
    page.fill(f"{s}-deadline", "Quý II/2024")
    page.fill(f"{s}-lead", "Công chức Văn phòng - Thống kê")
    page.fill(f"{s}-coordinators", "Các ban, ngành, đoàn thể")
    page.fill(f"{s}-solutions", "Rà soát hằng quý.\nCông khai kết quả.")
    page.check(f"{s}-apply_to_tasks")
    for number, task in enumerate(tasks, start=1):
        page.click(f"#nhiem-vu-{task.pk} summary")
        page.fill(f"#id_t{task.pk}-name", f"Nhiệm vụ số {number}")
        page.fill(f"#id_t{task.pk}-deadline", "Quý II/2024")
    # The page shows what "áp dụng cho mọi nhiệm vụ" will do.
    assert page.input_value(f"#id_t{tasks[2].pk}-lead") == "Công chức Văn phòng - Thống kê"
    assert page.evaluate(OVERFLOW) <= PHONE
    page.click("text=Lưu kế hoạch")

    page.wait_for_selector("text=Đã lưu kế hoạch (4 phần thay đổi).")
    assert page.evaluate(OVERFLOW) <= PHONE
    section.refresh_from_db()
    assert (section.deadline, section.lead) == ("Quý II/2024", "Công chức Văn phòng - Thống kê")
    assert section.solutions == "Rà soát hằng quý.\nCông khai kết quả."
    saved = list(plan.tasks.order_by("order", "pk"))
    assert [t.name for t in saved] == ["Nhiệm vụ số 1", "Nhiệm vụ số 2", "Nhiệm vụ số 3"]
    assert {(t.lead, t.coordinators, str(t.due_date)) for t in saved} == {
        ("Công chức Văn phòng - Thống kê", "Các ban, ngành, đoàn thể", "2024-06-30")
    }
    page.goto(f"{live_server.url}/ke-hoach/")
    assert page.locator("table.plans").inner_text().count("Xã Thử Một") == 1
    assert page.evaluate(OVERFLOW) <= PHONE


def test_a_task_is_added_without_reloading_and_an_empty_one_is_refused_on_a_phone(
    browser,  # noqa: F811
    live_server,
    tmp_path,
):
    page, plan = open_plan(browser, live_server, width=PHONE, tasks=1)
    section = plan.sections.get()
    prefix = f"n{section.pk}"
    page.evaluate("window.notReloaded = true")

    add = f"[data-add-task={prefix}]"
    page.click(add)
    page.click(add)
    page.click(add)
    # Drop the first row: the others are numbered again, as the formset counts them.
    page.click(f"#moi-{prefix}-0 [data-remove-task]")
    assert page.input_value(f"[name={prefix}-TOTAL_FORMS]") == "2"
    page.fill(f"#id_{prefix}-0-name", "Tổ chức đối thoại với người dân")
    page.fill(f"#id_{prefix}-0-deadline", "Tháng 2 đến tháng 7 năm 2024")
    assert page.evaluate("window.notReloaded") is True
    assert page.evaluate(OVERFLOW) <= PHONE
    page.click("text=Lưu kế hoạch")

    # The second row says nothing: refused, nothing saved, the typed row kept.
    page.wait_for_selector(f"text={EMPTY} >> nth=0")
    assert page.evaluate("window.notReloaded") is None
    assert plan.tasks.count() == 1
    assert page.input_value(f"#id_{prefix}-0-name") == "Tổ chức đối thoại với người dân"
    assert page.evaluate(OVERFLOW) <= PHONE
    page.click(f"#moi-{prefix}-1 [data-remove-task]")
    page.keyboard.press("Control+s")

    page.wait_for_selector("text=Đã lưu kế hoạch (1 phần thay đổi).")
    task = Task.objects.get(plan=plan, name="Tổ chức đối thoại với người dân")
    card = f"#nhiem-vu-{task.pk}"
    page.click(f"{card} summary")
    assert "hạn 31/07/2024" in page.locator(f"{card} summary").inner_text()

    # Progress stays per task, with its evidence file, beside the one form.
    evidence = tmp_path / "bien-ban.pdf"
    evidence.write_bytes(b"%PDF-1.4 bien ban")
    page.select_option(f"#id_p{task.pk}-status", "in_progress")
    page.fill(f"#id_p{task.pk}-progress", "40")
    page.fill(f"#id_p{task.pk}-note", "Đã tổ chức 01 hội nghị.")
    page.set_input_files(f"#id_p{task.pk}-evidence", str(evidence))
    page.click(f"{card} >> text=Ghi tiến độ")

    page.wait_for_selector("text=Đã cập nhật tiến độ.")
    row = page.locator(f"{card} table.updates tbody tr").inner_text()
    assert "Đang thực hiện" in row and "40%" in row and "bien-ban.pdf" in row
    task.refresh_from_db()
    assert (task.status, task.progress) == ("in_progress", 40)
    assert page.evaluate(OVERFLOW) <= PHONE


def test_saving_the_plan_warns_of_progress_typed_but_not_recorded(
    browser,  # noqa: F811
    live_server,
):
    page, plan = open_plan(browser, live_server)
    task = plan.tasks.order_by("pk").first()
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))

    page.click(f"#nhiem-vu-{task.pk} summary")
    status = page.locator(f'select[form="tien-do-{task.pk}"][name$="status"]')
    status.select_option(label="Hoàn thành")
    page.click("text=Lưu kế hoạch")
    page.wait_for_timeout(300)

    # Dismissed: nothing sent, the choice kept, so «Ghi tiến độ» can still record it.
    assert asked == [
        "Tiến độ vừa nhập của 1 nhiệm vụ chưa được ghi (nút «Ghi tiến độ» của từng nhiệm "
        "vụ) và sẽ mất. Vẫn lưu kế hoạch?"
    ]
    assert status.input_value() == "done"
    page.locator(f"#nhiem-vu-{task.pk}").get_by_role("button", name="Ghi tiến độ").click()
    page.wait_for_load_state()
    # Recording the progress leaves without asking: nothing else was typed.
    assert len(asked) == 1
    task.refresh_from_db()
    assert task.status == "done"
