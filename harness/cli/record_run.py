"""The work behind ``harness record`` (imported only when the command runs: it needs the openai SDK)."""

from __future__ import annotations

import argparse
import contextlib
import os
import runpy
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import openai

from harness.cassette.model import Cassette
from harness.cli.api_conversations import drive_chat, drive_responses
from harness.cli.cassettes import open_cassette
from harness.cli.conversation import FAKE_KEY, drive_conversation
from harness.cli.errors import CommandError
from harness.cli.options import non_negative_int, scenario_name
from harness.emulator import EmulatorServer
from harness.emulator.running import deterministic_emulator
from harness.errors import HarnessError
from harness.playback.context import use_cassette
from harness.reconstruct import reconstruct
from harness.scrub import scrub_message

SCRIPT_FUNCTION = "run"
DRIVERS: dict[str, Callable[..., object]] = {
    "assistants": drive_conversation,
    "responses": drive_responses,
    "chat": drive_chat,
}


@dataclass(frozen=True)
class Target:
    base_url: str
    api_key: str | None  # None: the SDK reads OPENAI_API_KEY itself


def run(args: argparse.Namespace) -> int:
    scenario = scenario_name(args.scenario, args.api)
    deltas = non_negative_int("--deltas", args.deltas)
    cassette = Path(args.cassette)
    drive = _script_driver(Path(args.script)) if args.script else None
    with _target(args.base_url, scenario, args.seed, deltas) as target:
        shown = scrub_message(target.base_url)  # a password in the base URL is not printed
        print(f"recording to {cassette} from {shown}", flush=True)
        client = openai.OpenAI(api_key=target.api_key, base_url=target.base_url, max_retries=0, timeout=60)
        try:
            with use_cassette(cassette, record_mode="all"):
                if drive is not None:
                    drive(client)
                else:
                    DRIVERS[args.api](
                        client,
                        scenario,
                        deltas=deltas,
                        model=args.model,
                        say=lambda line: print(f"  {line}", flush=True),
                    )
        except openai.APIConnectionError as error:
            raise CommandError(scrub_message(f"cannot reach {shown}: {error}")) from None
        except openai.APIStatusError as error:
            raise CommandError(
                scrub_message(f"{shown} answered HTTP {error.status_code}: {error.message}")
            ) from None
        except HarnessError as error:
            raise CommandError(scrub_message(str(error))) from None
        finally:
            client.close()
    print_summary(cassette)
    return 0


def print_summary(path: Path) -> None:
    if not path.exists():
        raise CommandError(
            f"nothing was recorded: the conversation made no HTTP request, so {path} was not written"
        )
    cassette = open_cassette(path)
    transcript = reconstruct(cassette.event_streams())
    final = transcript.final_run
    status = f"run {final.get('id')} {final.get('status')}" if final else _conversation_status(cassette)
    if "error-event" in transcript.diagnostic_codes():
        status += " (the stream ended with an error event)"
    print(
        f"recorded {len(cassette.exchanges)} exchanges, {len(cassette.streams)} streams, "
        f"{len(transcript.event_names)} events; final: {status}"
    )
    print(f"cassette: {path}")


def _conversation_status(cassette: Cassette) -> str:
    """No run: a Responses or Chat conversation, told by its protocol-neutral view."""
    from harness.conversation import MixedProtocols, conversation_of

    try:
        view = conversation_of(cassette)
    except MixedProtocols:
        return "no run"
    return f"{view.protocol} conversation of {len(view.turns)} turns, {view.status}"


@contextlib.contextmanager
def _target(base_url: str | None, scenario: str, seed: int, deltas: int | None) -> Iterator[Target]:
    if base_url:
        yield Target(base_url.rstrip("/"), None if "OPENAI_API_KEY" in os.environ else FAKE_KEY)
        return
    emulator = deterministic_emulator(scenario=scenario, seed=seed, message_deltas=deltas)
    with EmulatorServer(emulator) as server:
        yield Target(server.base_url, FAKE_KEY)


def _script_driver(path: Path) -> Callable[[openai.OpenAI], object]:
    if not path.is_file():
        raise CommandError(f"{path}: no such script")
    try:
        namespace = runpy.run_path(str(path), run_name="harness_record_script")
    except Exception as error:
        raise CommandError(f"{path}: loading the script failed: {_where(error, path)}") from None
    function = namespace.get(SCRIPT_FUNCTION)
    if not callable(function):
        raise CommandError(f"{path}: the script must define {SCRIPT_FUNCTION}(client)")

    def drive(client: openai.OpenAI) -> object:
        try:
            return function(client)
        except (openai.APIConnectionError, openai.APIStatusError, HarnessError):
            raise
        except Exception as error:
            raise CommandError(f"{path}: {SCRIPT_FUNCTION}(client) raised {_where(error, path)}") from None

    return drive


def _where(error: BaseException, script: Path) -> str:
    """``Type: message (at line N)``: the script's own innermost line, not a traceback."""
    lines = [
        frame.lineno
        for frame in traceback.extract_tb(error.__traceback__)
        if Path(frame.filename).resolve() == script.resolve()
    ]
    at = f" (at line {lines[-1]})" if lines else ""
    return f"{type(error).__name__}: {error}{at}"
