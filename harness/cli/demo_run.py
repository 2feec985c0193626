"""The work behind ``harness demo`` (imported only when the command runs: it needs the openai SDK)."""

from __future__ import annotations

import argparse
from pathlib import Path

import openai

from harness.cli.cassettes import open_cassette
from harness.cli.conversation import FAKE_KEY, Outcome, drive_conversation
from harness.cli.demo import SCENARIO
from harness.cli.errors import CommandError
from harness.cli.render_text import render_text
from harness.emulator import EmulatorServer
from harness.emulator.running import deterministic_emulator
from harness.errors import HarnessError
from harness.playback.context import use_cassette
from harness.reconstruct import reconstruct


def _say(line: str) -> None:
    print(f"    {line}", flush=True)


def run(args: argparse.Namespace) -> int:
    cassette = Path(args.cassette)
    recorded, base_url = _record(cassette)
    replayed = _replay(cassette, base_url)
    _check_same(recorded, replayed)
    print(
        f"    the replay saw what the recording saw: run {replayed.final_status}, "
        f"{len(replayed.messages)} message(s), {replayed.events} events"
    )
    streams = open_cassette(cassette).event_streams()
    print(f"\n3. What the cassette holds (harness inspect {cassette}):\n")
    print(render_text(reconstruct(streams, views=True)), end="")
    print(f"\nThe cassette is {cassette}. Next:")
    print(f"  harness inspect {cassette} --format json   # the reconstruction as JSON")
    print(f"  harness serve {cassette}                   # replay it to any client over HTTP")
    print(f"  harness validate {cassette}                # protocol checks and secret scan")
    print("  harness record --scenario NAME --cassette PATH   # other scenarios: harness record --help")
    return 0


def _record(cassette: Path) -> tuple[Outcome, str]:
    emulator = deterministic_emulator(scenario=SCENARIO)
    with EmulatorServer(emulator) as server:
        base_url = server.base_url
        print(f"1. Recording the {SCENARIO} scenario from the built-in emulator at {base_url}", flush=True)
        outcome = _converse(cassette, base_url, "all")
    print(f"    emulator stopped; {cassette} written")
    return outcome, base_url


def _replay(cassette: Path, base_url: str) -> Outcome:
    print(
        f"\n2. Replaying {cassette} offline (record mode none; nothing listens at {base_url} now)", flush=True
    )
    return _converse(cassette, base_url, "none")


def _converse(cassette: Path, base_url: str, record_mode: str) -> Outcome:
    client = openai.OpenAI(api_key=FAKE_KEY, base_url=base_url, max_retries=0, timeout=30)
    try:
        with use_cassette(cassette, record_mode=record_mode):
            return drive_conversation(client, SCENARIO, say=_say)
    except (HarnessError, openai.OpenAIError) as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise CommandError(
            f"the demo failed while {'recording' if record_mode == 'all' else 'replaying'}: {first_line}"
        ) from None
    finally:
        client.close()


def _check_same(recorded: Outcome, replayed: Outcome) -> None:
    if (recorded.runs, recorded.messages, recorded.run_steps) != (
        replayed.runs,
        replayed.messages,
        replayed.run_steps,
    ):
        raise CommandError("the replay differs from the recording (a harness bug; please report it)")
