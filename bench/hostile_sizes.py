"""Large hostile inputs: peak memory and CPU time of each command on each file kind, at growing sizes.

``python bench/hostile_sizes.py [--formats sse native ...] [--shapes line events entries]
[--commands inspect validate import replay] [--scale 1.0] [--sizes 1 2 4]``

Each file is written to a temporary directory, then every command runs on it in a fresh
process; peak RSS and CPU time (user + system) are that child's own (``os.wait4``), so the
interpreter's start-up (about 20 MB) is in every figure. ``ratio`` is peak RSS over the file's
size. Shapes: ``line`` is one event whose data line is N MB; ``events`` is N tiny events in one
stream; ``entries`` is N exchanges of one tiny stream each. ``replay`` is what a test under the
plugin does: load the cassette and read the first exchange's stream through httpx.

``--chunked-line`` times the SSE decoder on an 8 MB line fed in 2,048 chunks against the same
line in one chunk (A B interleaved, 5 pairs): the figure the test suite checks by counting bytes
copied instead. Nothing here passes or fails: the README's hostile-input table quotes the runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

MB = 1 << 20
URL = "https://api.openai.com/v1/threads/runs"
TINY = "event: thread.message.delta\ndata: {}\n\n"
DONE = "event: done\ndata: [DONE]\n\n"
LINE_HEAD = "event: thread.message.delta\ndata: "
BLOCK = "x" * MB


class Body(NamedTuple):
    """A stream body described without building it: written piece by piece, its size known."""

    pieces: Callable[[], Iterator[str]]
    size: int
    long: bool  # one event (a long line), not many


def line_body(megabytes: int) -> Body:
    def pieces() -> Iterator[str]:
        yield LINE_HEAD
        for _ in range(megabytes):
            yield BLOCK
        yield "\n\n"

    return Body(pieces, len(LINE_HEAD) + megabytes * MB + 2, True)


def events_body(count: int) -> Body:
    def pieces() -> Iterator[str]:
        block = TINY * 1000
        for _ in range(count // 1000):
            yield block
        yield TINY * (count % 1000)

    return Body(pieces, len(TINY) * count, False)


def _json_pieces(body: Body) -> Iterator[str]:
    """``body`` as one JSON string literal, piece by piece (the pieces are ASCII)."""
    yield '"'
    for piece in body.pieces():
        yield json.dumps(piece)[1:-1]
    yield '"'


# --- one writer per file format: (path, streams) where streams is a list of bodies -----------


def write_sse(path: Path, streams: list[Body]) -> None:
    with path.open("w") as handle:
        for body in streams:
            handle.writelines(body.pieces())


def write_native(path: Path, streams: list[Body]) -> None:
    with path.open("w") as handle:
        handle.write('{\n"harness_cassette": 1,\n"exchanges": [\n')
        for number, body in enumerate(streams):
            handle.write(
                f'{{"request": {{"method": "POST", "url": "{URL}", "headers": [], "body": "{{}}"}},\n'
                '"response": {"status": 200, "reason": "OK", "headers": '
                '[["content-type", "text/event-stream"]],\n'
                f'  "stream": {{"cut": null, "chunk_sizes": [{body.size}], "chunk_ms": [0.0],\n'
                '    "events": [\n'
            )
            if body.long:  # one event, one frame
                handle.writelines(_json_pieces(body))
            else:  # one frame a line, as the harness writes them
                handle.writelines(_joined((json.dumps(frame) for frame in _frames(body)), ",\n"))
            handle.write("\n    ]}}}" + (",\n" if number < len(streams) - 1 else "\n"))
        handle.write("]\n}\n")


def _joined(items: Iterator[str], separator: str) -> Iterator[str]:
    for number, item in enumerate(items):
        yield separator + item if number else item


def _frames(body: Body) -> Iterator[str]:
    for piece in body.pieces():
        for frame in piece.split("\n\n")[:-1]:
            yield frame + "\n\n"


def write_har(path: Path, streams: list[Body]) -> None:
    with path.open("w") as handle:
        handle.write('{"log": {"version": "1.2", "entries": [\n')
        for number, body in enumerate(streams):
            handle.write(
                f'{{"request": {{"method": "POST", "url": "{URL}", "headers": []}}, '
                '"response": {"status": 200, "headers": [{"name": "content-type", '
                '"value": "text/event-stream"}], "content": {"mimeType": "text/event-stream", "text": '
            )
            handle.writelines(_json_pieces(body))
            handle.write("}}}" + (",\n" if number < len(streams) - 1 else "\n"))
        handle.write("]}}\n")


def write_jsonl(path: Path, streams: list[Body]) -> None:
    with path.open("w") as handle:
        handle.write('{"harness_jsonl":1,"metadata":{}}\n')
        for number, body in enumerate(streams):
            count = 1 if body.long else body.size // len(TINY)
            handle.write(
                f'{{"type":"request","exchange":{number},"method":"POST","url":"{URL}",'
                '"headers":[],"body":"{}"}\n'
                f'{{"type":"response","exchange":{number},"status":200,"reason":"OK",'
                f'"headers":[["content-type","text/event-stream"]],"stream":{{"events":{count},'
                f'"chunk_sizes":[{body.size}],"chunk_times":[0.0],"cut":null}}}}\n'
            )
            if body.long:  # one event: data is the line, raw the frame
                handle.write(
                    f'{{"type":"event","exchange":{number},"index":0,"event":"thread.message.delta","data":"'
                )
                handle.writelines(BLOCK for _ in range((body.size - len(LINE_HEAD) - 2) // MB))
                handle.write('","raw":')
                handle.writelines(_json_pieces(body))
                handle.write("}\n")
                continue
            for index, frame in enumerate(_frames(body)):
                name, data = (line.split(": ", 1)[1] for line in frame.split("\n")[:2])
                handle.write(
                    f'{{"type":"event","exchange":{number},"index":{index},"event":{json.dumps(name)},'
                    f'"data":{json.dumps(data)},"raw":{json.dumps(frame)}}}\n'
                )


def write_vcrpy(path: Path, streams: list[Body]) -> None:
    with path.open("w") as handle:
        handle.write("interactions:\n")
        for body in streams:
            handle.write(
                f"- request:\n    body: '{{}}'\n    headers: {{}}\n    method: POST\n    uri: {URL}\n"
                "  response:\n    body:\n      string: "
            )
            handle.writelines(_json_pieces(body))
            handle.write(
                "\n    headers:\n      content-type:\n      - text/event-stream\n"
                "    status:\n      code: 200\n      message: OK\n"
            )
        handle.write("version: 1\n")


FORMATS: dict[str, tuple[str, Callable[[Path, list[Body]], None]]] = {
    "sse": (".sse", write_sse),
    "native": (".json", write_native),
    "har": (".har", write_har),
    "jsonl": (".jsonl", write_jsonl),
    "vcrpy": (".yaml", write_vcrpy),
}

# shape: (what N counts, the streams of a file of size N, default sizes)
SHAPES: dict[str, tuple[str, Callable[[int], list[Body]], tuple[int, ...]]] = {
    "line": ("MB line", lambda n: [line_body(n)], (50, 100, 200)),
    "events": ("events", lambda n: [events_body(n)], (1_000_000, 2_000_000, 5_000_000)),
    "entries": ("entries", lambda n: [events_body(1)] * n, (100_000, 200_000, 500_000)),
}

_REPLAY = """
import sys, warnings
import httpx
from harness import use_cassette
warnings.simplefilter("ignore")
with use_cassette(sys.argv[1], record_mode="none") as cassette:
    request = cassette.exchanges[0].request
    with httpx.Client() as client, client.stream(request.method, request.url, content=request.body) as r:
        size = sum(len(chunk) for chunk in r.iter_raw())
"""


def command_line(command: str, path: Path, folder: Path) -> list[str]:
    if command == "replay":
        return [sys.executable, "-c", _REPLAY, str(path)]
    extra = {
        "import": ["--cassette", str(folder / "imported.json"), "--force"],
        "import-each": ["--out-dir", str(folder / "imported"), "--force"],
        "inspect": ["--format", "json"],
        "inspect-text": ["--format", "text"],
    }.get(command, [])
    name = command.removesuffix("-text").removesuffix("-each")
    return [sys.executable, "-m", "harness.cli", name, str(path), *extra]


# ``inspect`` is ``inspect --format json`` (the interface scripts read); ``inspect-text`` the timeline,
# one line per event, whose output alone is several times a file of tiny events; ``import`` merges
# into one cassette (``--cassette``), ``import-each`` writes one per file (``--out-dir``)
COMMANDS = ("inspect", "inspect-text", "validate", "import", "import-each", "replay")


class Measure(NamedTuple):
    peak_mb: float
    cpu: float
    wall: float
    code: int


def measure(arguments: list[str]) -> Measure:
    """Peak RSS (MB), CPU seconds (user + system) and wall seconds of one child process."""
    started = time.perf_counter()
    child = subprocess.Popen(arguments, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert child.stderr is not None
    error = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if child.returncode not in (0, 1):
        sys.stderr.write(error.decode("utf-8", "replace")[-500:])
    return Measure(usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, wall, child.returncode)


def chunked_line() -> None:
    """CPU of an 8 MB line in 2,048 chunks against one chunk, A B interleaved."""
    from harness.sse import SSEDecoder

    chunks = [b"data: ", *[b"x" * 4096] * 2048, b"\n\n"]
    whole = [b"".join(chunks)]

    def cpu(fed: list[bytes]) -> float:
        started = time.process_time()
        decoder = SSEDecoder()
        for chunk in fed:
            decoder.feed(chunk)
        decoder.close()
        return time.process_time() - started

    ratios, ones, manys = [], [], []
    for pair in range(7):
        if pair % 2:
            many, one = cpu(chunks), cpu(whole)
        else:
            one, many = cpu(whole), cpu(chunks)
        ones.append(one)
        manys.append(many)
        ratios.append(many / max(one, 1e-6))
    print(
        f"8 MB line: one chunk {statistics.median(ones):.4f} s CPU, 2,048 chunks "
        f"{statistics.median(manys):.4f} s; ratio median {statistics.median(ratios):.2f} "
        f"(min-max {min(ratios):.2f}-{max(ratios):.2f}, 7 pairs)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    parser.add_argument("--shapes", nargs="+", choices=SHAPES, default=list(SHAPES))
    parser.add_argument("--commands", nargs="+", choices=COMMANDS, default=["inspect"])
    parser.add_argument("--sizes", nargs="+", type=int, help="sizes to try (default: the shape's own)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every default size")
    parser.add_argument("--chunked-line", action="store_true", help="only the chunked long-line timing")
    args = parser.parse_args(argv)
    if args.chunked_line:
        chunked_line()
        return 0
    print("| file | shape | N | file MB | command | peak RSS MB | ratio | CPU s | wall s | exit |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for file_format in args.formats:
            suffix, write = FORMATS[file_format]
            for shape in args.shapes:
                if file_format == "sse" and shape == "entries":
                    continue  # a raw body holds one response
                unit, streams, defaults = SHAPES[shape]
                for size in args.sizes or [max(1, int(n * args.scale)) for n in defaults]:
                    path = folder / f"{shape}{suffix}"
                    write(path, streams(size))
                    megabytes = path.stat().st_size / 1e6
                    for command in args.commands:
                        if file_format == "sse" and command == "replay":
                            continue  # a raw body has no request to replay
                        result = measure(command_line(command, path, folder))
                        print(
                            f"| {file_format} | {unit} | {size:,} | {megabytes:.0f} | {command} | "
                            f"{result.peak_mb:.0f} | {result.peak_mb / megabytes:.1f} | {result.cpu:.1f} | "
                            f"{result.wall:.1f} | {result.code} |",
                            flush=True,
                        )
                    path.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
