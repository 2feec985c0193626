"""Event names of a run stream, the status each snapshot event implies, and the order of run statuses."""

from __future__ import annotations

RUN_TERMINAL_STATUSES = frozenset({"completed", "incomplete", "failed", "cancelled", "expired"})

#: Snapshot event name -> the status its data is expected to carry.
RUN_EVENT_STATUS = {
    "thread.run.created": "queued",
    "thread.run.queued": "queued",
    "thread.run.in_progress": "in_progress",
    "thread.run.requires_action": "requires_action",
    "thread.run.completed": "completed",
    "thread.run.incomplete": "incomplete",
    "thread.run.failed": "failed",
    "thread.run.cancelling": "cancelling",
    "thread.run.cancelled": "cancelled",
    "thread.run.expired": "expired",
}
STEP_EVENT_STATUS = {
    "thread.run.step.created": "in_progress",
    "thread.run.step.in_progress": "in_progress",
    "thread.run.step.completed": "completed",
    "thread.run.step.failed": "failed",
    "thread.run.step.cancelled": "cancelled",
    "thread.run.step.expired": "expired",
}
MESSAGE_EVENT_STATUS = {
    "thread.message.created": "in_progress",
    "thread.message.in_progress": "in_progress",
    "thread.message.completed": "completed",
    "thread.message.incomplete": "incomplete",
}
STEP_TERMINAL_EVENTS = frozenset(
    name for name, status in STEP_EVENT_STATUS.items() if status != "in_progress"
)
MESSAGE_TERMINAL_EVENTS = frozenset({"thread.message.completed", "thread.message.incomplete"})

STEP_DELTA = "thread.run.step.delta"
MESSAGE_DELTA = "thread.message.delta"
THREAD_CREATED = "thread.created"
ERROR = "error"
DONE = "done"
DONE_DATA = "[DONE]"

_RUN_STATUS_RANK = {
    "queued": 0,
    "in_progress": 1,
    "requires_action": 2,
    "cancelling": 3,
    **dict.fromkeys(RUN_TERMINAL_STATUSES, 4),
}


def run_status_goes_backwards(previous: str, current: str, *, new_stream: bool) -> bool:
    """Whether a run moving from ``previous`` to ``current`` contradicts the run lifecycle.

    A run only moves forward (queued, in_progress, requires_action,
    cancelling, a terminal status), with one loop: once tool outputs are
    submitted, which opens a new stream, a ``requires_action`` run is queued
    and in progress again. A terminal status is final. Unknown statuses are
    not judged.
    """
    if previous == current:
        return False
    if previous in RUN_TERMINAL_STATUSES:
        return True
    before = _RUN_STATUS_RANK.get(previous)
    after = _RUN_STATUS_RANK.get(current)
    if before is None or after is None or after >= before:
        return False
    return not (previous == "requires_action" and new_stream and current in ("queued", "in_progress"))
