"""``Record``: an immutable data class that costs nothing to define.

The data of a check (findings, targets, the compiled policy, ...) are plain records. The
standard ways to write them cost more than a whole check on the pre-commit hook's path:
``dataclasses`` imports ``inspect`` and generates each class's methods with ``exec``, and
``typing.NamedTuple`` needs ``typing`` and compiles every annotation (measured by
``benchmarks/bench_check.py``). A ``Record`` reads the same as a frozen dataclass::

    class Finding(Record):
        rule: str
        file: str | None = None

Fields are the annotated names, in order; a field with a value has that default. Instances
compare equal when their type and fields are equal, hash by their fields, repr like a dataclass,
and refuse attribute assignment: ``record.replace(field=value)`` makes a changed copy.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds to import; the hook's start has none to spare
    from typing import Any


class Record:
    __fields__: tuple[str, ...] = ()
    __defaults__: dict[str, Any] = {}
    __field_set__: frozenset[str] = frozenset()

    def __init_subclass__(cls) -> None:
        own = tuple(cls.__dict__.get("__annotations__", {}))
        cls.__fields__ = (*cls.__fields__, *(name for name in own if name not in cls.__fields__))
        cls.__field_set__ = frozenset(cls.__fields__)
        cls.__defaults__ = {name: getattr(cls, name) for name in cls.__fields__ if hasattr(cls, name)}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        fields = self.__fields__
        if len(args) > len(fields):
            raise TypeError(f"{type(self).__name__} takes {len(fields)} fields, got {len(args)}")
        if not kwargs and len(args) == len(fields):
            self.__dict__.update(zip(fields, args))  # the quick way: every field by position
            return
        values = {**self.__defaults__, **dict(zip(fields, args)), **kwargs} if args else {**self.__defaults__, **kwargs}
        if values.keys() != self.__field_set__ or (args and kwargs):
            self._refuse(args, kwargs, values)
        self.__dict__.update(values)

    def _refuse(self, args: tuple[Any, ...], kwargs: dict[str, Any], values: dict[str, Any]) -> None:
        """Raise the TypeError that explains why these arguments make no record (or return:
        they do, positional and named fields together)."""
        fields = self.__fields__
        for name in kwargs:
            if name not in fields or fields.index(name) < len(args):
                problem = "no field" if name not in fields else "two values for field"
                raise TypeError(f"{type(self).__name__}: {problem} {name!r}")
        for name in fields:
            if name not in values:
                raise TypeError(f"{type(self).__name__}: missing field {name!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable; use .replace({name}=...)")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def replace(self, **changes: Any) -> Any:
        return type(self)(**{**self._values(), **changes})

    def _values(self) -> dict[str, Any]:
        return {name: self.__dict__[name] for name in self.__fields__}

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self), *self._values().values()))

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in self._values().items())
        return f"{type(self).__name__}({fields})"
