"""``Record``: the light immutable data class every finding, target and fact is made of."""

from __future__ import annotations

import pytest

from hfname_guard.record import Record


class Point(Record):
    x: int
    y: int = 0
    label: str | None = None


class Point3(Point):
    z: int = 0


def test_fields_take_positions_names_and_defaults() -> None:
    assert Point(1)._values() == {"x": 1, "y": 0, "label": None}
    assert Point(1, 2, "a") == Point(x=1, y=2, label="a") == Point(1, label="a", y=2)
    assert Point3(1, z=3)._values() == {"x": 1, "y": 0, "label": None, "z": 3}


def test_records_compare_hash_and_print_like_data_classes() -> None:
    assert Point(1, 2) == Point(1, 2) and Point(1, 2) != Point(2, 1)
    assert Point(1) != Point3(1)
    assert len({Point(1, 2), Point(1, 2), Point(2)}) == 2
    assert repr(Point(1, label="a")) == "Point(x=1, y=0, label='a')"


def test_records_are_immutable_and_replace_copies() -> None:
    point = Point(1)
    with pytest.raises(AttributeError, match="immutable"):
        point.x = 2  # type: ignore[misc]
    assert point.replace(y=5) == Point(1, 5) and point == Point(1)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((), {}, "missing field 'x'"),
        ((1, 2, "a", 4), {}, "takes 3 fields, got 4"),
        ((1,), {"x": 2}, "two values for field 'x'"),
        ((), {"x": 1, "w": 2}, "no field 'w'"),
        ((), {"w": 2}, "no field 'w'"),
        ((), {"y": 2}, "missing field 'x'"),
    ],
)
def test_wrong_arguments_are_refused_with_the_field_named(
        args: tuple[object, ...], kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(TypeError, match=message):
        Point(*args, **kwargs)
