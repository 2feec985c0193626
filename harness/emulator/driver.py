"""Steps a scenario forward for a stream, a poll, a tool-output submission or a cancel."""

from __future__ import annotations

from harness.emulator.script import Emission, Item, Items, Simulation, StreamStop
from harness.emulator.simulation import RunSimulation


class ScriptDriver:
    """Owns the scenario generator of one conversation. Callers hold the emulator's lock."""

    def __init__(self, simulation: Simulation, items: Items) -> None:
        self.simulation = simulation
        self._items = items
        self.paused = False
        self.finished = False
        self.streaming = False
        self._cancel_requested = False
        self._cancelling = False

    def next_item(self) -> Item | None:
        """The next emission or stop marker; None once the scenario has nothing more to say."""
        if self.finished or self.paused:
            return None
        if self._cancel_requested and not self._cancelling:
            self._cancelling = True
            self._items.close()
            self._items = self.simulation.cancel()
        try:
            item = next(self._items)
        except StopIteration:
            self.finished = True
            return None
        if isinstance(item, StreamStop):
            if item.done:
                self.paused = True
            else:
                self.finished = True
        return item

    def request_cancel(self) -> None:
        self._cancel_requested = True
        self.paused = False

    def resume(self) -> None:
        self.paused = False

    def skip_until(self, event_name: str) -> None:
        """Consume emissions up to and including ``event_name`` (no one is streaming them)."""
        while (item := self.next_item()) is not None:
            if isinstance(item, Emission) and item.name == event_name:
                return
            if isinstance(item, StreamStop):
                return

    def drain(self) -> list[Emission]:
        """Every emission up to the next stop (a request that does not stream)."""
        emitted: list[Emission] = []
        while (item := self.next_item()) is not None and not isinstance(item, StreamStop):
            emitted.append(item)
        return emitted


class RunDriver(ScriptDriver):
    """An Assistants run: also moved on by polls."""

    def __init__(self, simulation: RunSimulation, items: Items) -> None:
        super().__init__(simulation, items)
        self.run_simulation = simulation

    @property
    def run(self) -> dict[str, object]:
        return self.run_simulation.run

    def advance_for_poll(self) -> None:
        """A poll moves the run on to its next status, as time passing would."""
        if self.streaming or self.finished or self.paused:
            return
        status = self.run["status"]
        while self.run["status"] == status:
            item = self.next_item()
            if item is None or isinstance(item, StreamStop):
                return
        if self.run["status"] == "requires_action":
            self.next_item()  # the pause that follows, so tool outputs can resume the run
