"""``harness emulator [--port N] [--host 127.0.0.1] [--scenario NAME] [--seed N] [--deltas N]``.

Serves the built-in emulator (Assistants runs, ``/v1/responses``,
``/v1/chat/completions``) over HTTP until Ctrl-C, so any
client (curl, the Node SDK, a test suite in another language) can record from
it: point its base URL at the one printed and use any API key. Runs pick the
scenario given here unless the assistant's or run's metadata
(``emulator_scenario``) or a ``[scenario:NAME]`` tag in the user message asks
for another. Seeded and on a fixed clock: the same requests get the same
answers, ids and timestamps every time the command is started.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import threading
from typing import Any

from harness.cli import options


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "emulator",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
        formatter_class=options.ScenarioHelpFormatter,
    )
    parser.add_argument("--port", default="0", help="port to listen on (default: 0, a free one)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument(
        options.SCENARIO_OPTION,
        default="text",
        metavar="NAME",
        help="the runs' default scenario (default: text)",
    )
    parser.add_argument("--seed", default="0", help="seed of ids and timings (default: 0)")
    parser.add_argument("--deltas", metavar="N", help="number of text deltas of a text reply")
    parser.add_argument(
        "--event-delay",
        default="0.005",
        metavar="SECONDS",
        help="mean pause between stream events (default: 0.005; 0 for none)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from harness.cli.errors import CommandError
    from harness.emulator.running import RunningEmulator, deterministic_emulator

    port = options.port(args.port)
    emulator = deterministic_emulator(
        scenario=options.scenario_name(args.scenario),
        seed=options.non_negative_int("--seed", args.seed),
        message_deltas=options.non_negative_int("--deltas", args.deltas),
        event_delay=options.seconds("--event-delay", args.event_delay),
    )
    try:
        server = RunningEmulator(emulator, host=args.host, port=port)
    except OSError as error:
        raise CommandError(f"cannot listen on {args.host}:{port}: {error.strerror or error}") from None
    with server:
        print(f"emulator: scenario {args.scenario}, seed {args.seed}", flush=True)
        print(f"base URL: {server.base_url}", flush=True)
        print("press Ctrl-C to stop", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    print("stopped", file=sys.stderr, flush=True)
    return 0
