"""The plan page's one form as a browser would post it, for the tests to change."""

from datetime import date

from django.urls import reverse


def page_data(client, plan) -> dict:
    """Every input of the plan page's one form, as loaded (the version token included)."""
    response = client.get(reverse("remediation:plan", args=[plan.pk]))
    editor = response.context["editor"]
    data = {"version": response.context["version"], "tai": ""}
    forms = [editor.header]
    for part in editor.sections.values():
        forms += [part.form, *[form for _, form in part.tasks]]
        data.update(_management(part.new_tasks.prefix, 0))
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if isinstance(value, date):
                value = value.strftime("%d/%m/%Y")
            data[field.html_name] = "true" if value is True else value
    return data


def new_rows(data: dict, section, rows: list[dict]) -> dict:
    """`data` with rows added under a field, as "+ Thêm nhiệm vụ" adds them."""
    prefix = f"n{section.pk}"
    data = {**data, **_management(prefix, len(rows))}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def _management(prefix: str, total: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
