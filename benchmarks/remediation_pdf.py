"""Remediation plan PDF: the whole renderer beside bare WeasyPrint on the same HTML.

Prints figures; it is not a test. Runs on a throw-away SQLite file unless
DATABASE_URL says otherwise:

    .venv/bin/python benchmarks/remediation_pdf.py [--tasks 50] [--runs 5]

It builds one commune with a field of `--tasks` deducted criteria, drafts the
plan (one task per criterion, each with text in every column), then times:
`plan_pdf(plan_document(...))` (database reads, template, WeasyPrint), the
template alone, and WeasyPrint alone on the HTML the renderer produced.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from cchc.documents.pdf import document_html  # noqa: E402
from cchc.pdf import FONTS_DIR  # noqa: E402
from remediation.documents import plan_document_model, plan_pdf  # noqa: E402
from remediation.services import plan_draft, task_update  # noqa: E402
from scoring.models import Unit, UnitLevel  # noqa: E402
from tests.factories import AssessmentFactory, build_framework, score_assessment  # noqa: E402

ON = date(2024, 3, 1)


def build_plan(tasks: int):
    rows = [("1", None, str(tasks))] + [(f"1.{i}", "1", "1") for i in range(1, tasks + 1)]
    district = Unit.objects.create(code="B", name="Huyện Mẫu", level=UnitLevel.DISTRICT)
    commune = Unit.objects.create(
        code="B-1", name="Xã Mẫu", level=UnitLevel.COMMUNE, parent=district
    )
    assessment = AssessmentFactory(unit=commune, framework=build_framework(rows), year=2023)
    score_assessment(assessment, {f"1.{i}": "0,5" for i in range(1, tasks + 1)})
    plan = plan_draft(unit=commune, year=2023)
    for task in plan.tasks.all():
        task_update(
            task=task,
            data={
                "name": "Rà soát, hoàn thiện quy trình và tổ chức thực hiện nhiệm vụ",
                "activities": "Ban hành kế hoạch; phân công; kiểm tra, đôn đốc; báo cáo kết quả.",
                "output": "Kế hoạch, báo cáo",
                "lead": "Công chức Văn phòng - Thống kê",
                "coordinators": "Các công chức UBND xã",
                "deadline": "Quý II, III/2024",
                "budget": "5",
            },
        )
    return plan


def timed(function: Callable[[], object], runs: int) -> tuple[float, float, object]:
    function()  # warm up: fonts, templates
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    plan = build_plan(args.tasks)
    import weasyprint

    html = document_html(plan_document_model(plan, ON), inline_style=True)
    bare = timed(
        lambda: weasyprint.HTML(string=html, base_url=str(FONTS_DIR.parent)).write_pdf(),
        args.runs,
    )
    full = timed(lambda: plan_pdf(plan, ON), args.runs)
    bare_again = timed(
        lambda: weasyprint.HTML(string=html, base_url=str(FONTS_DIR.parent)).write_pdf(),
        args.runs,
    )
    template = timed(lambda: document_html(plan_document_model(plan, ON)), args.runs)
    pages = len(PdfReader(io.BytesIO(full[2])).pages)
    print(f"{args.tasks} tasks, {len(full[2]) // 1024} KB, {pages} pages; ms median (min)")
    print(f"| renderer: data + template + WeasyPrint | {full[0]:,.0f} ({full[1]:,.0f}) |")
    print(f"| data + template only | {template[0]:,.0f} ({template[1]:,.0f}) |")
    print(f"| bare WeasyPrint, same HTML, before | {bare[0]:,.0f} ({bare[1]:,.0f}) |")
    print(f"| bare WeasyPrint, same HTML, after | {bare_again[0]:,.0f} ({bare_again[1]:,.0f}) |")
    median_bare = statistics.median([bare[0], bare_again[0]])
    print(f"| ratio renderer / bare (medians) | {full[0] / median_bare:.2f}x |")


if __name__ == "__main__":
    main()
