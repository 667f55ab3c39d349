"""bench/compare.py is strict: JSON types apart, order kept where the query orders, multisets where it is open."""

from __future__ import annotations

from typing import Any

import pytest

from bench.compare import LIST_ORDER, ListOrder, Mismatch, UndeclaredList, check, differences, key

FLAT = ListOrder(ordered=frozenset({"ordered"}), open=frozenset({"open", "open.inner", "v"}))


@pytest.mark.parametrize(
    ("expected", "actual"),
    [
        (True, 1.0),
        (True, 1),
        (False, 0),
        (None, False),
        (None, 0),
        (None, ""),
        ("1", 1),
        ("true", True),
        ([], {}),
        (0.1, 0.1000001),
        (1, 2),
    ],
)
def test_values_of_another_type_or_value_differ(expected: Any, actual: Any) -> None:
    assert differences({"v": expected}, {"v": actual}, FLAT)
    assert differences({"v": actual}, {"v": expected}, FLAT)
    assert key({"v": expected}, FLAT) != key({"v": actual}, FLAT)


def test_the_type_is_named_in_the_difference() -> None:
    (line,) = differences({"isShared": True}, {"isShared": 1.0}, FLAT)
    assert line == "data.isShared: expected boolean true, given number 1.0"


def test_json_numbers_have_one_type() -> None:
    # JavaScript writes the Float 10.0 as 10: the same JSON number.
    assert (
        differences({"v": 10.0, "w": [1.5, 2]}, {"v": 10, "w": [1.5, 2.0]}, ListOrder(ordered=frozenset({"w"}))) == []
    )


def test_an_ordered_list_is_compared_item_by_item() -> None:
    assert differences({"ordered": [1, 2, 3]}, {"ordered": [1, 2, 3]}, FLAT) == []
    found = differences({"ordered": [1, 2, 3]}, {"ordered": [3, 2, 1]}, FLAT)
    assert found == [
        "data.ordered[0]: expected number 1, given number 3",
        "data.ordered[2]: expected number 3, given number 1",
    ]


def test_an_open_list_is_a_multiset() -> None:
    assert differences({"open": [{"a": 1}, {"a": 2}]}, {"open": [{"a": 2}, {"a": 1}]}, FLAT) == []
    # Duplicates count: [1, 1, 2] is not [1, 2, 2].
    assert differences({"open": [1, 1, 2]}, {"open": [1, 2, 2]}, FLAT)
    # Still type-strict inside.
    assert differences({"open": [True, 2]}, {"open": [2, 1]}, FLAT)


def test_open_lists_nest_and_are_sorted_at_every_level() -> None:
    expected = {"open": [{"inner": [1, 2]}, {"inner": [3]}]}
    assert differences(expected, {"open": [{"inner": [3]}, {"inner": [2, 1]}]}, FLAT) == []
    assert differences(expected, {"open": [{"inner": [3]}, {"inner": [2, 2]}]}, FLAT)


def test_a_list_whose_order_is_not_declared_is_refused() -> None:
    with pytest.raises(UndeclaredList):
        differences({"other": [1]}, {"other": [1]}, FLAT)


def test_missing_and_unexpected_fields() -> None:
    assert differences({"a": 1, "b": None}, {"a": 1}, FLAT) == ["data.b: missing"]
    assert differences({"a": 1}, {"a": 1, "c": None}, FLAT) == ["data.c: unexpected null null"]


def test_the_list_tier_keeps_the_page_order() -> None:
    page = {"flavors": {"edges": [{"node": {"name": "a"}}, {"node": {"name": "b"}}]}}
    swapped = {"flavors": {"edges": [{"node": {"name": "b"}}, {"node": {"name": "a"}}]}}
    check("list", page, page, "same")
    with pytest.raises(Mismatch, match=r"data\.flavors\.edges\[0\]\.node\.name"):
        check("list", page, swapped, "swapped")


def test_matchmaking_lists_are_open_but_strict() -> None:
    def answer(flavors: list[dict[str, Any]]) -> dict[str, Any]:
        service = {"service": {"endpoint": "e"}, "flavors": flavors, "images": [], "quotas": []}
        region = {"region": {"name": "r"}, "computeServices": [service], "networkServices": []}
        return {"userGroup": {"name": "g", "slas": [{"projects": [{"regions": [region]}]}]}}

    a, b = {"name": "a", "isShared": True}, {"name": "b", "isShared": False}
    check("matchmaking", answer([a, b]), answer([b, a]), "reordered")
    with pytest.raises(Mismatch, match=r"flavors\[\d, order open\]\.isShared: expected boolean true, given number 1"):
        check("matchmaking", answer([a, b]), answer([{"name": "a", "isShared": 1}, b]), "1 for true")
    assert set(LIST_ORDER) == {"list", "dropdown", "matchmaking", "placement"}


def test_placements_keep_their_rank_order() -> None:
    def answer(*names: str) -> dict[str, Any]:
        lists: dict[str, list[Any]] = {"flavors": [], "images": [], "remaining": [], "reasons": []}
        return {"userGroup": {"placements": [{"region": {"name": n}, **lists} for n in names]}}

    check("placement", answer("a", "b"), answer("a", "b"), "same order")
    with pytest.raises(Mismatch):
        check("placement", answer("a", "b"), answer("b", "a"), "reordered")
