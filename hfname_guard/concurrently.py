"""Work that waits on the network, done a few items at a time while the results stay in order."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

_Item = TypeVar("_Item")
_Result = TypeVar("_Result")


def in_order(function: Callable[[_Item], _Result], items: Iterable[_Item], workers: int) -> Iterator[_Result]:
    """``function(item)`` for each item, in the items' order, computed by up to ``workers`` threads
    at most ``4 * workers`` items ahead of the caller: the items stream through, and memory stays
    flat however many there are. An exception of ``function`` is raised where its result would be."""
    with ThreadPoolExecutor(workers) as pool:
        window: deque[Future[_Result]] = deque()
        try:
            for item in items:
                window.append(pool.submit(function, item))
                if len(window) >= workers * 4:
                    yield window.popleft().result()
            while window:
                yield window.popleft().result()
        finally:
            for future in window:
                future.cancel()  # a caller that stops early (Ctrl-C) waits only for what is under way
