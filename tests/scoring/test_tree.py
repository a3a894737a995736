from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from scoring.models import Criterion, CriterionLink
from scoring.services import framework_rebuild_tree
from scoring.tree import TreeNode, check_tree, tree_shape
from tests.factories import AssessmentFactory, build_framework


def node(code, parent, points, order=0):
    return TreeNode(key=code, parent_key=parent, code=code, max_points=Decimal(points), order=order)


def test_accepts_a_tree_whose_parents_sum_their_children():
    nodes = [node("1", None, "3"), node("1.1", "1", "1.5"), node("1.2", "1", "1.5")]

    assert check_tree(nodes) == []


def test_refuses_a_parent_whose_max_is_not_the_sum():
    nodes = [node("1", None, "3"), node("1.1", "1", "1.5"), node("1.2", "1", "1")]

    (problem,) = check_tree(nodes)

    assert problem.node.code == "1"
    assert problem.column == "max_points"
    assert problem.message == (
        "Điểm tối đa của «1» là 3 nhưng tổng điểm tối đa các tiêu chí con là 2,5."
    )


def test_refuses_unknown_parent_and_cycles():
    unknown = check_tree([node("1", None, "1"), node("1.1", "9", "1")])
    cycle = check_tree([node("a", "b", "1"), node("b", "a", "1"), node("c", None, "1")])

    assert [p.message for p in unknown] == ["Không có tiêu chí cha mã «9»."]
    assert {p.node.code for p in cycle} == {"a", "b"}
    assert all("vòng lặp" in p.message for p in cycle)


def test_shape_orders_codes_naturally_and_marks_leaves():
    nodes = [
        node("7b", None, "2"),
        node("7b.10", "7b", "1"),
        node("7b.9", "7b", "1"),
        node("1", None, "1"),
    ]

    shape = tree_shape(nodes)

    ordered = sorted(shape.sort_key, key=shape.sort_key.get)
    assert ordered == ["1", "7b", "7b.9", "7b.10"]
    assert shape.is_leaf == {"7b": False, "7b.10": True, "7b.9": True, "1": True}
    assert shape.depth["7b.10"] == 1
    assert sorted(shape.ancestors["7b.10"]) == [("7b", 1), ("7b.10", 0)]


@pytest.mark.django_db
def test_rebuild_writes_closure_links_for_every_ancestor():
    framework = build_framework([("1", None, "2"), ("1.1", "1", "2"), ("1.1.1", "1.1", "2")])
    deepest = Criterion.objects.get(framework=framework, code="1.1.1")

    links = CriterionLink.objects.filter(descendant=deepest).order_by("distance")

    assert [(link.ancestor.code, link.distance) for link in links] == [
        ("1.1.1", 0),
        ("1.1", 1),
        ("1", 2),
    ]
    assert [c.is_leaf for c in framework.criteria.order_by("sort_key")] == [False, False, True]


@pytest.mark.django_db
def test_rebuild_refuses_a_bad_sum_and_writes_nothing():
    framework = build_framework([("1", None, "2"), ("1.1", "1", "2")])
    Criterion.objects.filter(code="1.1").update(max_points=Decimal("1.5"))

    with pytest.raises(ValidationError) as refused:
        framework_rebuild_tree(framework=framework)

    assert "tổng điểm tối đa các tiêu chí con là 1,5" in str(refused.value)
    assert CriterionLink.objects.filter(ancestor__framework=framework).count() == 3


@pytest.mark.django_db
def test_a_framework_in_use_is_frozen():
    framework = build_framework([("1", None, "2")])
    AssessmentFactory(framework=framework)
    criterion = framework.criteria.get()
    criterion.title = "Đổi tên"

    with pytest.raises(ValidationError) as refused_criterion:
        criterion.full_clean()
    framework.year_from = 1999
    with pytest.raises(ValidationError) as refused_framework:
        framework.full_clean()
    with pytest.raises(ValidationError):
        framework_rebuild_tree(framework=framework)

    expected = "đã được dùng để chấm điểm nên không thể sửa"
    assert expected in str(refused_criterion.value)
    assert expected in str(refused_framework.value)


@pytest.mark.django_db
def test_an_unused_framework_can_be_edited():
    framework = build_framework([("1", None, "2")])
    framework.year_from = 2019

    framework.full_clean()
