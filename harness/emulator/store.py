"""The emulator's in-memory objects and their pagination."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from harness.emulator.driver import RunDriver
from harness.emulator.objects import JsonObject


@dataclass
class RunRecord:
    run: JsonObject
    driver: RunDriver
    steps: list[JsonObject] = field(default_factory=list)


@dataclass
class ThreadRecord:
    thread: JsonObject
    messages: list[JsonObject] = field(default_factory=list)
    runs: dict[str, RunRecord] = field(default_factory=dict)


@dataclass
class Store:
    assistants: dict[str, JsonObject] = field(default_factory=dict)
    threads: dict[str, ThreadRecord] = field(default_factory=dict)


class PageError(ValueError):
    pass


def paginate(items: list[JsonObject], query: Mapping[str, list[str]]) -> tuple[list[JsonObject], bool]:
    """``limit`` (1-100, default 20), ``order`` (default desc by creation), ``after``/``before`` cursors."""

    def first(name: str) -> str | None:
        values = query.get(name)
        return values[0] if values else None

    order = first("order") or "desc"
    if order not in ("asc", "desc"):
        raise PageError(f"Invalid value for 'order': expected one of 'asc' or 'desc', got '{order}'.")
    try:
        limit = int(first("limit") or 20)
    except ValueError as exc:
        raise PageError("Invalid 'limit': expected an integer.") from exc
    if not 1 <= limit <= 100:
        raise PageError(
            f"Invalid 'limit': integer below minimum value. Expected a value >= 1 and <= 100, "
            f"but got {limit} instead."
        )
    ordered = list(items) if order == "asc" else list(reversed(items))
    ids = [item["id"] for item in ordered]
    after, before = first("after"), first("before")
    if after is not None and after in ids:
        ordered = ordered[ids.index(after) + 1 :]
    if before is not None:
        ids = [item["id"] for item in ordered]
        if before in ids:
            ordered = ordered[: ids.index(before)]
    return ordered[:limit], len(ordered) > limit
