"""``harness serve PATH... [--port N] [--host 127.0.0.1] [--chunking ...] [--speed ...]``.

Serves the recorded exchanges over HTTP at the API's paths, so a client in
any language replays them by setting its base URL to the one printed. Each
request gets the first recording that matches it (method, path, query and
JSON body) and has not been served yet (with --repeat, once all were served
the last matching one answers again); one with no recording gets a 404
whose JSON error says which recorded request comes closest and how it
differs. At start-up it lists the requests it can serve. Stops on Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import threading
from typing import Any

from harness.cli import options
from harness.cli.errors import CommandError
from harness.errors import CassetteError
from harness.serve import ReplayServer


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "serve",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="cassettes, served in the order given")
    parser.add_argument("--port", default="0", help="port to listen on (default: 0, a free one)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument(
        "--chunking",
        default="recorded",
        help="how streams are cut: recorded (default), event, byte, whole, random[:SEED]",
    )
    parser.add_argument(
        "--speed", default="0", help="timing: 0 instant (default), 1 as recorded, 2 twice as slow"
    )
    parser.add_argument(
        "--repeat",
        action="store_true",
        help="once every recording matching a request was served, serve the last of them again "
        "(default: each recording answers once)",
    )
    parser.set_defaults(handler=run)


def _log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    port = options.port(args.port)
    try:
        server = ReplayServer(
            args.paths,
            host=args.host,
            port=port,
            chunking=options.chunking(args.chunking),
            speed=options.speed(args.speed),
            repeat=args.repeat,
            log=_log,
        )
    except CassetteError as error:
        raise CommandError(str(error)) from None
    except OSError as error:
        raise CommandError(f"cannot listen on {args.host}:{port}: {error.strerror or error}") from None
    with server:
        count = len(server.app.exchanges)
        print(f"serving {count} recorded exchanges from {', '.join(args.paths)}", flush=True)
        print(f"base URL: {server.base_url}", flush=True)
        print("requests it can serve:", flush=True)
        for line in server.app.listing():
            print(f"  {line}", flush=True)
        print("press Ctrl-C to stop", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    unplayed = server.app.unplayed
    print(f"stopped; {count - len(unplayed)} of {count} exchanges served", flush=True)
    return 0
