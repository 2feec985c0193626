"""A handshake between a test's server and its client, to prove a stream is not buffered.

The server holds a piece back until the client says it has seen what came before it. If
anything between them buffered the stream, the client would never see it, so the server
gives up after ``timeout`` seconds and ``held_up`` tells the test. The timeout only keeps a
broken build from hanging; it is not a timing claim, and a working stream never waits on it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass
class Handshake:
    timeout: float = 10.0
    seen: threading.Event = field(default_factory=threading.Event)
    held_up: bool = False

    def client_has_seen(self) -> None:
        self.seen.set()

    def wait_for_client(self) -> None:
        if not self.seen.wait(self.timeout):
            self.held_up = True
