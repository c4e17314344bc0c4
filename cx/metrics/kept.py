"""Results kept by their inputs, so that a page run never repeats what an earlier run (of any
session) computed from the same inputs.

A :class:`Kept` is a bounded, thread-safe map from a key of the inputs to the result: the oldest
result goes when it is full. Keys are made of the inputs' values (bytes of an array, a digest of
a table), never of object identities, because the app's query cache hands every session its
own copy of a result.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

import polars as pl

T = TypeVar("T")


class Kept(Generic[T]):
    """Up to ``size`` results by key, oldest dropped first."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._found: dict[Hashable, T] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """The result kept for ``key``, else ``make()`` kept and returned (two sessions asking
        at once may both make it; either result is the same)."""
        with self._lock:
            if key in self._found:
                return self._found[key]
        made = make()
        with self._lock:
            self._found[key] = made
            while len(self._found) > self._size:
                self._found.pop(next(iter(self._found)))
        return made

    def clear(self) -> None:
        """Forget every result."""
        with self._lock:
            self._found.clear()

    def __len__(self) -> int:
        return len(self._found)


def digest(frame: pl.DataFrame) -> str:
    """A key for a table's content: its columns, types and values (not the object)."""
    return hashlib.blake2b(frame.serialize(), digest_size=20).hexdigest()
