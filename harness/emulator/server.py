"""The emulator over real HTTP on loopback, on the neutral server of :mod:`harness.http.server`."""

from __future__ import annotations

from harness.emulator.app import Emulator
from harness.http.server import AppServer


class EmulatorServer(AppServer):
    """The emulator over HTTP: ``with EmulatorServer(Emulator()) as server: server.base_url``."""

    def __init__(self, emulator: Emulator | None = None, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.emulator = emulator if emulator is not None else Emulator()
        super().__init__(self.emulator, host=host, port=port, name="emulator-server")
