from collections.abc import Iterator
from decimal import Decimal

from cchc.formatting import format_points, parse_points
from scoring.models import FROZEN_MESSAGE, Criterion, CriterionSource, Framework
from scoring.resources.base import ImportResource, NumberedRows, Row, code_field, value_field
from scoring.resources.widgets import (
    SOURCE_WIDGET,
    OrderWidget,
    PointsWidget,
    TextWidget,
    cell_text,
    max_length,
)
from scoring.rules import parse_rule, rule_problems
from scoring.services import framework_rebuild_tree
from scoring.tree import TreeNode, check_tree


class CriterionResource(ImportResource):
    """Criteria of one framework: `code, parent_code, title, max_points`, optionally
    `min_points, source, order, rule` (the scoring rule, syntax in scoring.rules).
    Existing criteria of the framework are updated by code;
    a parent may come after its children. The tree is rebuilt after a clean import."""

    code = value_field("code", TextWidget(required=True, limit=max_length(Criterion, "code")))
    parent_code = code_field("parent_code", "parent__code")
    title = value_field("title", TextWidget(required=True))
    max_points = value_field("max_points", PointsWidget(required=True))
    min_points = value_field("min_points", PointsWidget(), default=Decimal(0))
    source = value_field("source", SOURCE_WIDGET, default=CriterionSource.ASSESSMENT)
    order = value_field("order", OrderWidget(), default=0)
    rule = value_field("rule", TextWidget(limit=max_length(Criterion, "rule")), default="")

    required_columns = ("code", "parent_code", "title", "max_points")

    class Meta:
        model = Criterion
        fields = (
            "code",
            "parent_code",
            "title",
            "max_points",
            "min_points",
            "source",
            "order",
            "rule",
        )
        import_id_fields = ("code",)

    def __init__(self, *, framework: Framework | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.framework = framework
        self.existing: dict[str, Criterion] = {}
        self.parent_codes: dict[str, str] = {}

    def setting_problems(self) -> list[str]:
        return [] if self.framework else ["Chưa chọn bộ chỉ số để nhập tiêu chí."]

    def prepare(self, rows: NumberedRows, headers: list[str]) -> list[str]:
        self.existing = {c.code: c for c in self.framework.criteria.select_related("parent")}
        first = self.first_rows(
            rows, lambda row: (cell_text(row["code"]),), "code", "Mã tiêu chí «{}»"
        )
        self.parent_codes = {
            key[0]: cell_text(row["parent_code"]) for key, (_, row) in first.items()
        }
        problems = (
            [FROZEN_MESSAGE.format(name=self.framework.name)] if self.framework.is_frozen else []
        )
        first_numbers = {number for number, _ in first.values()}
        duplicated = {
            code
            for number, row in rows
            if number not in first_numbers
            for code in (cell_text(row["code"]), cell_text(row["parent_code"]))
        }
        return problems + self.tree_problems(first, duplicated)

    def tree_problems(self, first: dict[tuple, tuple[int, Row]], unjudged: set[str]) -> list[str]:
        """Unknown parents, cycles, sums, over the file and the criteria already stored.

        A sum is not judged where a max did not parse or a code is duplicated (with
        its parent): those rows have their own error, and which row was meant is unknown.
        """
        nodes, unreadable = [], set(unjudged)
        for (code,), (number, row) in first.items():
            max_points = self.readable_points(row["max_points"])
            parent = self.parent_codes[code] or None
            if max_points is None:
                unreadable |= {code, parent}
            nodes.append(
                TreeNode(
                    key=code,
                    parent_key=parent,
                    code=code,
                    max_points=max_points or Decimal(0),
                    order=0,
                    row=number,
                )
            )
        nodes += [
            TreeNode(
                key=c.code,
                parent_key=c.parent.code if c.parent else None,
                code=c.code,
                max_points=c.max_points,
                order=c.order,
            )
            for c in self.existing.values()
            if (c.code,) not in first
        ]
        problems = []
        for problem in check_tree(nodes):
            if problem.column == "max_points" and problem.node.key in unreadable:
                continue
            if problem.node.row is None:
                problems.append(problem.message)
            else:
                self.add_problem(problem.node.row, problem.column, problem.message)
        return problems

    @staticmethod
    def readable_points(value: object) -> Decimal | None:
        try:
            return parse_points(cell_text(value))
        except ValueError:
            return None

    def check_row(
        self, instance: Criterion, row: Row, failed: set[str]
    ) -> Iterator[tuple[str, str]]:
        if "rule" not in failed:
            yield from self.rule_messages(instance, failed)
        if "max_points" in failed:
            return
        if instance.max_points < 0:
            yield "max_points", "Điểm tối đa không được âm."
        if "min_points" not in failed and instance.min_points > instance.max_points:
            yield (
                "min_points",
                f"Điểm thấp nhất {format_points(instance.min_points)} lớn hơn "
                f"điểm tối đa {format_points(instance.max_points)}.",
            )

    @staticmethod
    def rule_messages(instance: Criterion, failed: set[str]) -> Iterator[tuple[str, str]]:
        try:
            rule = parse_rule(instance.rule)
        except ValueError as error:
            yield "rule", str(error)
            return
        if not {"max_points", "min_points"} & failed:
            for message in rule_problems(rule, instance.min_points, instance.max_points):
                yield "rule", message

    def get_instance(self, instance_loader, row: Row) -> Criterion | None:
        return self.existing.get(cell_text(row.get("code")))

    def init_instance(self, row: Row | None = None) -> Criterion:
        return Criterion(framework=self.framework)

    def after_import(self, dataset, result, **kwargs) -> None:
        super().after_import(dataset, result, **kwargs)
        if result.has_errors() or result.has_validation_errors():
            return
        by_code = {criterion.code: criterion for criterion in self.framework.criteria.all()}
        children = [by_code[code] for code in self.parent_codes]
        for child in children:
            child.parent = by_code.get(self.parent_codes[child.code])
        Criterion.objects.bulk_update(children, ["parent"], batch_size=500)
        framework_rebuild_tree(framework=self.framework)
