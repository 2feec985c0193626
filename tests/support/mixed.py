"""A cassette mixing protocols: the emulator's tool-call round trip recorded over the Assistants,
Responses and Chat Completions APIs (``harness record --api``), the three in one file."""

from __future__ import annotations

from pathlib import Path

from harness import load_cassette, save_cassette
from harness.cassette.model import Cassette
from harness.cli import main

APIS = ("assistants", "responses", "chat")
PROTOCOLS = ("assistants", "responses", "chat.completions")  # the protocol each API's streams speak


def record_apis(directory: Path, scenario: str = "tool-call") -> dict[str, Path]:
    """``{api: cassette}`` for each API, and ``"mixed"``: their exchanges, in that order."""
    paths = {}
    for api in APIS:
        paths[api] = directory / f"{api}.json"
        argv = ["record", "--api", api, "--scenario", scenario, "--cassette", str(paths[api])]
        assert main(argv) == 0
    mixed = [exchange for api in APIS for exchange in load_cassette(paths[api]).exchanges]
    paths["mixed"] = directory / "mixed.json"
    save_cassette(Cassette(mixed), paths["mixed"])
    return paths
