"""A plan's PDF at national scale: its rank sentence must not cost more than the page.

Prints figures; it is not a test. Run against a database of its own, e.g.

    createdb -h 127.0.0.1 -U postgres cchc_bench_plan
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench_plan \\
        .venv/bin/python benchmarks/plan_rank.py [--units 3000] [--runs 7]

It generates one khối of `--units` communes x `--criteria` leaves x 2 published
years (unless the data is there), drafts the plan of the worst-ranked unit of
the last year (the one with the most deductions, so the longest plan), then
times, interleaved run by run: the whole plan PDF (database reads, the rank
sentence, template, WeasyPrint) and bare WeasyPrint on the HTML that renderer
produced; and the rank sentence alone, by `unit_rank` and by ranking the whole
group as it did before. Medians; the goal is a ratio of at most 1.5.
"""

import argparse
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
from django.db import connection  # noqa: E402

from cchc.documents.pdf import document_html  # noqa: E402
from cchc.pdf import FONTS_DIR  # noqa: E402
from remediation.documents import plan_document_model, plan_pdf  # noqa: E402
from remediation.models import Plan  # noqa: E402
from remediation.services import plan_draft  # noqa: E402
from scoring.engine import group_ranking, unit_rank  # noqa: E402
from scoring.models import Assessment, AssessmentStatus  # noqa: E402

ON = date(2024, 3, 1)
PUBLISHED = [AssessmentStatus.PUBLISHED]


def ensure_data(units: int, criteria: int) -> None:
    call_command("migrate", verbosity=0)
    if Assessment.objects.count() >= units * 2:
        print(f"Using the data already in the database ({Assessment.objects.count():,} sheets).")
        return
    start = time.perf_counter()
    call_command("generate_data", units=units, criteria=criteria, years=2, groups=1, verbosity=0)
    print(f"generate_data: {time.perf_counter() - start:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def worst_assessment() -> Assessment:
    """The last-ranked unit of the latest year: the most deductions, the longest plan."""
    some = Assessment.objects.select_related("ranking_group").order_by("-year").first()
    last = group_ranking(some.ranking_group, some.year).rows[-1]
    return Assessment.objects.select_related("unit", "ranking_group").get(pk=last.assessment_id)


def the_plan(assessment: Assessment) -> Plan:
    plan = Plan.objects.filter(unit=assessment.unit, year=assessment.year).first()
    return plan or plan_draft(unit=assessment.unit, year=assessment.year)


def interleaved(functions: dict[str, Callable[[], object]], runs: int) -> dict[str, list[float]]:
    """Each function once per round, in turn, after one warm-up round."""
    for function in functions.values():
        function()
    times: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(runs):
        for name, function in functions.items():
            start = time.perf_counter()
            function()
            times[name].append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--criteria", type=int, default=100)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    ensure_data(args.units, args.criteria)
    assessment = worst_assessment()
    plan = the_plan(assessment)
    import weasyprint

    html = document_html(plan_document_model(plan, ON), inline_style=True)
    base_url = str(FONTS_DIR.parent)

    def whole_group_rank() -> object:
        ranking = group_ranking(assessment.ranking_group, assessment.year, statuses=PUBLISHED)
        return next(r for r in ranking.rows if r.assessment_id == assessment.pk)

    times = interleaved(
        {
            "plan PDF (data, rank, template, WeasyPrint)": lambda: plan_pdf(plan, ON),
            "bare WeasyPrint, same HTML": lambda: weasyprint.HTML(
                string=html, base_url=base_url
            ).write_pdf(),
            "rank sentence: unit_rank (1 row)": lambda: unit_rank(assessment, statuses=PUBLISHED),
            "rank sentence: whole group_ranking": whole_group_rank,
        },
        args.runs,
    )
    size = unit_rank(assessment, statuses=PUBLISHED).group_size
    print(
        f"{connection.vendor}, group of {size:,} units, {args.criteria} leaves, "
        f"{args.runs} interleaved runs; ms median (min, max)"
    )
    medians = {}
    for name, values in times.items():
        medians[name] = statistics.median(values)
        print(f"| {name} | {medians[name]:,.1f} ({min(values):,.1f}, {max(values):,.1f}) |")
    whole, bare = list(medians.values())[:2]
    print(f"| ratio plan PDF / bare WeasyPrint (medians) | {whole / bare:.2f}x |")


if __name__ == "__main__":
    main()
