"""What a reconstruction produces: the events seen and the final state of every object."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from harness.diagnostics import Diagnostic

if TYPE_CHECKING:
    from harness.models import Message, Run, RunStep, Thread


class EventRecord(NamedTuple):
    """One event as received: which stream of the conversation, its index there, name and object id."""

    stream: int
    event_index: int
    name: str
    object_id: str | None


@dataclass(frozen=True)
class Transcript:
    """A run conversation folded into final states.

    Events are stored as columns (names, object ids, where each stream starts) because a stream can
    hold a million of them; :attr:`events` gives them as records.

    ``runs``, ``run_steps``, ``messages`` and ``threads`` hold the final JSON
    object of each, in order of first appearance; ``final_run`` is the last
    state of the run the last run event was about.
    """

    event_names: list[str] = field(default_factory=list)
    event_object_ids: list[str | None] = field(default_factory=list)
    #: Kept when folded with ``views`` (else empty): what each event adds to the conversation's
    #: text (a delta's streamed strings joined, an error's message; ``None`` for other events), the
    #: status each event's data carries, and each event's raw data.
    event_texts: list[str | None] = field(default_factory=list)
    event_statuses: list[str | None] = field(default_factory=list)
    event_data: list[str] = field(default_factory=list)
    stream_starts: list[int] = field(default_factory=list)  # position in event_names where each stream begins
    runs: list[dict[str, Any]] = field(default_factory=list)
    run_steps: list[dict[str, Any]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    threads: list[dict[str, Any]] = field(default_factory=list)
    final_run: dict[str, Any] | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    protocol: str = "assistants"

    @property
    def events(self) -> list[EventRecord]:
        """Every event with its stream, its index in that stream, its name and the id it is about."""
        records: list[EventRecord] = []
        bounds = [*self.stream_starts, len(self.event_names)]
        for stream in range(len(self.stream_starts)):
            start = bounds[stream]
            for position in range(start, bounds[stream + 1]):
                records.append(
                    EventRecord(
                        stream, position - start, self.event_names[position], self.event_object_ids[position]
                    )
                )
        return records

    @property
    def stream_count(self) -> int:
        return len(self.stream_starts)

    def diagnostic_codes(self) -> list[str]:
        return [diagnostic.code for diagnostic in self.diagnostics]

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``harness inspect --format json``. The run stream's shape has no
        ``protocol`` key (it predates the others, and users parse it); every other protocol's has."""
        return {
            "events": self.event_names,
            "final_run": self.final_run,
            "runs": self.runs,
            "run_steps": self.run_steps,
            "messages": self.messages,
            "diagnostics": [diagnostic.to_dict() for diagnostic in self.diagnostics],
        }

    # Typed views (pydantic models of harness.models, imported on use: the fold itself is dict-only).

    def final_run_model(self) -> Run | None:
        from harness.models import Run

        return None if self.final_run is None else Run.model_validate(self.final_run)

    def run_models(self) -> list[Run]:
        from harness.models import Run

        return [Run.model_validate(run) for run in self.runs]

    def run_step_models(self) -> list[RunStep]:
        from harness.models import RunStep

        return [RunStep.model_validate(step) for step in self.run_steps]

    def message_models(self) -> list[Message]:
        from harness.models import Message

        return [Message.model_validate(message) for message in self.messages]

    def thread_models(self) -> list[Thread]:
        from harness.models import Thread

        return [Thread.model_validate(thread) for thread in self.threads]
