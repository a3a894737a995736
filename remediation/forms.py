from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.renderers import Jinja2
from django.utils import timezone

from cchc.dates import DayMonthYearField
from cchc.text import RefuseControlCharacters
from remediation.models import Plan, ProgressUpdate, Section, Task
from remediation.services import (
    EMPTY_TASK,
    PLAN_EDITABLE,
    SECTION_EDITABLE,
    TASK_EDITABLE,
    task_is_empty,
)
from scoring.evidence import ALLOWED_LABEL, check_sizes, check_upload

SHORT_TEXT = {"rows": 2}
AGENCY = {"list": "agencies"}
# The plan page draws a form for every task: Django's template engine took 0.9 s of the
# 1.0 s a 150-task plan cost; Jinja2 draws the same widgets (Django's own templates for
# it, the same HTML) about three times faster. One engine for the process.
WIDGETS = Jinja2()


class PlanText(RefuseControlCharacters):
    """A form mixin: text as stored, whatever line endings the browser sent. Browsers send a
    textarea's lines ending in CRLF; kept, every save would change (and mark as edited)
    each text of several lines, and drafting again would no longer refresh it."""

    default_renderer = WIDGETS

    def clean(self) -> dict:
        cleaned = super().clean()
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = value.replace("\r\n", "\n")
        return cleaned


class AppendixSelect(forms.NullBooleanSelect):
    def __init__(self, attrs=None) -> None:
        super().__init__(attrs)
        self.choices = [
            ("unknown", "Tự động: in khi có nhiệm vụ nói rõ hơn tiêu chí"),
            ("true", "In phụ lục"),
            ("false", "Không in phụ lục"),
        ]


class PlanForm(PlanText, forms.ModelForm):
    class Meta:
        model = Plan
        fields = PLAN_EDITABLE
        field_classes = {"issued_on": DayMonthYearField}
        widgets = {
            "legal_bases": forms.Textarea(attrs={"rows": 3}),
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "requirements": forms.Textarea(attrs={"rows": 4}),
            "organisation": forms.Textarea(attrs={"rows": 3}),
            "recipients": forms.Textarea(attrs={"rows": 5}),
            "print_appendix": AppendixSelect,
        }
        help_texts = {"issued_on": "Để trống nếu hệ thống văn bản điện tử cấp số, ngày."}

    # The page shows the document's top (number, date, bases, purpose) above part II and
    # its end (who carries it out, recipients, signer) below part III.
    TOP = PLAN_EDITABLE[:9]
    END = PLAN_EDITABLE[9:]

    def top(self) -> list[forms.BoundField]:
        return [self[name] for name in self.TOP]

    def end(self) -> list[forms.BoundField]:
        return [self[name] for name in self.END]


class SectionForm(PlanText, forms.ModelForm):
    apply_to_tasks = forms.BooleanField(
        label="Áp dụng cho mọi nhiệm vụ của lĩnh vực",
        required=False,
        help_text="Khi lưu, chủ trì và phối hợp của lĩnh vực được ghi vào mọi nhiệm vụ của nó.",
    )

    class Meta:
        model = Section
        fields = SECTION_EDITABLE
        widgets = {
            "deductions": forms.Textarea(attrs={"rows": 4}),
            "solutions": forms.Textarea(attrs={"rows": 3}),
            "lead": forms.TextInput(attrs=AGENCY),
            "coordinators": forms.TextInput(attrs=AGENCY),
        }
        help_texts = {
            "deductions": "Mỗi dòng một đoạn; dòng bắt đầu bằng «+ » in ngay dưới dòng trước.",
        }


class TaskForm(PlanText, forms.ModelForm):
    class Meta:
        model = Task
        fields = TASK_EDITABLE
        field_classes = {"due_date": DayMonthYearField}
        widgets = {
            "objective": forms.Textarea(attrs=SHORT_TEXT),
            "name": forms.Textarea(attrs=SHORT_TEXT),
            "activities": forms.Textarea(attrs=SHORT_TEXT),
            "output": forms.Textarea(attrs=SHORT_TEXT),
            "lead": forms.TextInput(attrs=AGENCY),
            "coordinators": forms.TextInput(attrs=AGENCY),
        }
        help_texts = {
            "deadline": "Ví dụ: Quý II/2024; Quý II, III/2024; 06/2024; Năm 2024; Thường xuyên.",
            "due_date": "Để trống: tính từ thời gian hoàn thành. Điền để sửa hạn.",
            "budget": "Số triệu đồng (30; 27 triệu đồng/đơn vị) hoặc căn cứ "
            "(Theo dự toán được cấp).",
        }


class NewTaskForm(TaskForm):
    """A row added with "+ Thêm nhiệm vụ": refused while it says nothing."""

    def clean(self) -> dict:
        cleaned = super().clean()
        if task_is_empty(cleaned):
            raise ValidationError(EMPTY_TASK)
        return cleaned


class BaseNewTaskFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index: int | None) -> dict:
        # A row exists only because someone added it: an empty one is refused, not skipped.
        return {} if index is None else {"empty_permitted": False}


NewTaskFormSet = forms.formset_factory(NewTaskForm, formset=BaseNewTaskFormSet, extra=0)


class ProgressForm(PlanText, forms.ModelForm):
    class Meta:
        model = ProgressUpdate
        fields = ("reported_on", "status", "progress", "note", "evidence")
        field_classes = {"reported_on": DayMonthYearField}
        widgets = {"note": forms.Textarea(attrs=SHORT_TEXT)}
        help_texts = {
            "evidence": f"{ALLOWED_LABEL}; tối đa {settings.EVIDENCE_MAX_MB} MB.",
        }

    def __init__(self, *args, owner: str = "", **kwargs) -> None:
        """`owner`: the id of the <form> element its inputs belong to, when they sit inside
        the plan's one form on the page (forms cannot nest)."""
        super().__init__(*args, **kwargs)
        if owner:
            for field in self.fields.values():
                field.widget.attrs["form"] = owner

    def clean_reported_on(self):
        reported_on = self.cleaned_data["reported_on"]
        if reported_on > timezone.localdate():
            raise ValidationError("Ngày báo cáo không được sau hôm nay.")
        return reported_on

    def clean_evidence(self):
        """The same files, within the same size, as the scoring sheet's evidence."""
        upload = self.cleaned_data.get("evidence")
        if upload:
            check_sizes([upload])
            check_upload(upload)
        return upload


class ReportDateForm(forms.Form):
    ngay = DayMonthYearField(label="Tính đến ngày")


class SectionPart:
    """A field of the plan page: its form, its tasks' forms and the rows added to it."""

    def __init__(self, section: Section, tasks: list[Task], data=None, posted=()) -> None:
        """`posted`: the prefixes the data holds. A part it lacks (a task added since the
        page was loaded) stays unbound: shown as stored, and left as it is by the save."""

        def bound(prefix: str):
            return data if prefix in posted else None

        pk = section.pk
        self.section = section
        self.where = f"Lĩnh vực {section.field.code}. {section.field.title}"
        self.form = SectionForm(bound(f"s{pk}"), instance=section, prefix=f"s{pk}")
        self.tasks = [
            (
                task,
                TaskForm(
                    bound(f"t{task.pk}"), instance=task, prefix=f"t{task.pk}", initial=_due(task)
                ),
            )
            for task in tasks
        ]
        self.new_tasks = NewTaskFormSet(bound(f"n{pk}"), prefix=f"n{pk}")

    def parts(self):
        """(anchor of the part, what to call it, form) for each form of the field."""
        yield f"linh-vuc-{self.section.pk}", self.where, self.form
        for number, (task, form) in enumerate(self.tasks, start=1):
            yield f"nhiem-vu-{task.pk}", f"Nhiệm vụ {number} của {self.where}", form
        for number, form in enumerate(self.new_tasks, start=1):
            yield f"moi-{form.prefix}", f"Nhiệm vụ mới {number} của {self.where}", form


def _due(task: Task) -> dict:
    """The due date field shows only a person's correction: blank means "from the deadline"."""
    corrected = task.due_date if "due_date" in (task.edited_fields or []) else None
    return {"due_date": corrected}


class PlanEditor:
    """Every form of the plan page's one save, built from objects already read (no query
    per task). Bound to a POST, it validates all of them and says where each error is."""

    def __init__(self, plan: Plan, sections: list[Section], tasks: list[Task], data=None):
        self.header = PlanForm(data, instance=plan)
        posted = {key.split("-", 1)[0] for key in data or ()}
        self.sections = {
            section.pk: SectionPart(
                section, [t for t in tasks if t.section_id == section.pk], data, posted
            )
            for section in sections
        }
        self.task_forms = {
            task.pk: form for part in self.sections.values() for task, form in part.tasks
        }
        self.refusals: list[str] = []  # what the save service refused, for the whole page

    def parts(self):
        yield "thong-tin", "Thông tin văn bản", self.header
        for part in self.sections.values():
            yield from part.parts()

    def is_valid(self) -> bool:
        rows = [part.new_tasks for part in self.sections.values() if part.new_tasks.is_bound]
        forms_ = [form for _, _, form in self.parts() if form.is_bound]
        return all([form.is_valid() for form in forms_] + [rows.is_valid() for rows in rows])

    def save_data(self) -> dict:
        """The keyword arguments of `services.plan_save`, from a valid editor."""
        parts = self.sections.items()
        return {
            "header": self.header.cleaned_data,
            "sections": {pk: part.form.cleaned_data for pk, part in parts if part.form.is_bound},
            "tasks": {
                pk: form.cleaned_data for pk, form in self.task_forms.items() if form.is_bound
            },
            "new_tasks": {
                pk: [form.cleaned_data for form in part.new_tasks]
                for pk, part in parts
                if part.new_tasks.total_form_count()
            },
        }

    def errors(self) -> list[tuple[str, str]]:
        """(anchor, text) of every error, in page order, for the summary at the top."""
        found = [("", text) for text in self.refusals]
        for anchor, where, form in self.parts():
            for name, messages in form.errors.items():
                if name == NON_FIELD_ERRORS:
                    found += [(anchor, f"{where}: {message}") for message in messages]
                else:
                    label = form.fields[name].label
                    found += [(form[name].auto_id, f"{where} — {label}: {m}") for m in messages]
        found += [
            (f"linh-vuc-{pk}", f"{part.where}: {error}")
            for pk, part in self.sections.items()
            for error in part.new_tasks.non_form_errors()
        ]
        return found

    def note_stored(self) -> None:
        """After a refused stale save: beside each typed value that differs from what was
        saved meanwhile, say what was saved."""
        for _, _, form in self.parts():
            if form.instance.pk is None or not form.is_bound:
                continue
            for name in form.changed_data:
                if name in form.fields and name != "apply_to_tasks":
                    bound = form[name]  # its help text is read once, when first bound
                    shown = "(trống)" if bound.initial in (None, "") else bound.initial
                    bound.help_text = f"Bản đã lưu: «{shown}». {bound.help_text}".strip()
