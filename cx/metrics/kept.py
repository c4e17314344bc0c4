"""Results kept by their inputs, so that a page run never repeats what an earlier run (of any
session) computed from the same inputs.

A :class:`Kept` is a bounded, thread-safe map from a key of the inputs to the result: the one
least recently asked for goes when it is full. Keys are made of the inputs' values (bytes of an array, a digest or
:func:`fingerprint` of a table), not of object identities, because the app's query cache hands
every session its own copy of a result; a key of values cannot go stale: after an upload the
same key is the same content. The one exception is a result another store keeps, which is the
same object for the same inputs (:class:`Same`).

Stores made with ``per_selection=True`` keep what depends on the selection (a page's statistics
before its picks); :func:`forget` empties them, so that the benchmark times a selection never
seen. What depends on the dataset only stays.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import hashlib
import threading
from collections.abc import Callable, Collection, Hashable, Mapping
from typing import Any, Generic, TypeVar

import polars as pl

T = TypeVar("T")


class Kept(Generic[T]):
    """Up to ``size`` results by key, the least recently asked for dropped first."""

    def __init__(self, size: int, per_selection: bool = False) -> None:
        self._size = size
        self._found: dict[Hashable, T] = {}
        self._lock = threading.Lock()
        _EVERY.append(self)
        if per_selection:
            _PER_SELECTION.append(self)

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """The result kept for ``key``, else ``make()`` kept and returned (two sessions asking
        at once may both make it; either result is the same)."""
        with self._lock:
            if key in self._found:
                found = self._found.pop(key)  # asked for again: the newest
                self._found[key] = found
                return found
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


class Same:
    """A key part that is one object: equal only to a :class:`Same` of that very object. For
    results another store keeps (the same object for the same inputs, however many runs ask),
    whose content would be slower to key; the key holds the object, so that its identity is
    not reused while the key is kept."""

    __slots__ = ("of",)

    def __init__(self, of: object) -> None:
        self.of = of

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Same) and other.of is self.of

    def __hash__(self) -> int:
        return id(self.of)


def same_fields(result: object, leave_out: Collection[str] = ()) -> tuple[Same, ...]:
    """A key of a dataclass made from a kept one (``dataclasses.replace`` of it): each field
    but those in ``leave_out`` as :class:`Same`, so that a result whose other fields are the
    kept one's objects is found at no cost, and one with any other object in them is not."""
    return tuple(
        Same(getattr(result, f.name))
        for f in dataclasses.fields(result)  # type: ignore[arg-type]
        if f.name not in leave_out
    )


_PER_SELECTION: list[Kept[Any]] = []
_EVERY: list[Kept[Any]] = []


def forget(everything: bool = False) -> None:
    """Forget every result kept by a store made ``per_selection`` (with ``everything``, by
    every store: after an upload, a deletion or new published data, so that nothing made from
    data that has gone stays in memory)."""
    for store in _EVERY if everything else _PER_SELECTION:
        store.clear()


def fingerprint(*parts: object, leave_out: Collection[str] = ()) -> str:
    """A key for the content of ``parts``, five times quicker than :func:`digest` on a table of
    a few thousand rows (0.4 ms for 4,400 rows of 32 columns), for keys made on every page run.

    A table is keyed by its column names, types and a hash of every row in order (Polars'
    seeded row hashes, the same within a process); a dataclass by its fields (but those of a
    part itself named in ``leave_out``), a mapping by its items and a list or tuple by its
    items, each the same way; a number, text, truth value, enum or date by its ``repr``.
    Anything else (an array, whose ``repr`` leaves values out; an object, whose ``repr`` may
    name its address) raises ``TypeError``."""
    h = hashlib.blake2b(digest_size=20)
    for part in parts:  # ``leave_out`` applies to the parts' own fields
        _feed(h, part, frozenset(leave_out))
    return h.hexdigest()


def _feed(h: Any, part: object, leave_out: frozenset[str]) -> None:
    """Feed ``part`` to the hash ``h`` (:func:`fingerprint`)."""
    if isinstance(part, pl.Series):
        part = part.to_frame()
    if isinstance(part, pl.DataFrame):
        h.update(repr(("frame", part.height, part.schema)).encode())
        if part.height and part.width:
            h.update(part.hash_rows(seed=0).to_numpy().tobytes())
    elif dataclasses.is_dataclass(part) and not isinstance(part, type):
        h.update(type(part).__qualname__.encode())
        for field in dataclasses.fields(part):
            if field.name not in leave_out:
                h.update(field.name.encode())
                _feed(h, getattr(part, field.name), frozenset())
    elif isinstance(part, Mapping):
        h.update(b"{")
        for key, value in part.items():
            _feed(h, key, frozenset())
            _feed(h, value, frozenset())
        h.update(b"}")
    elif isinstance(part, list | tuple):
        h.update(b"(")
        for item in part:
            _feed(h, item, frozenset())
        h.update(b")")
    elif part is None or isinstance(part, _PLAIN):
        h.update(repr(part).encode())
    else:  # an array's repr leaves values out, an object's names its address
        raise TypeError(f"no content key for a {type(part).__name__}")
    h.update(b"\x00")


#: What :func:`fingerprint` keys by its ``repr``: values it shows in full.
_PLAIN = (str, int, float, bool, enum.Enum, datetime.date, datetime.time, datetime.timedelta)


def digest(frame: pl.DataFrame) -> str:
    """A key for a table's content: its columns, types and values (not the object)."""
    return hashlib.blake2b(frame.serialize(), digest_size=20).hexdigest()
