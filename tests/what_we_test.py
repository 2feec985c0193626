"""Print the README's "What we test" table from the tests themselves: ``python tests/what_we_test.py``.

Every figure is read from the test modules (their constants, their fixture
folders, their collected test cases) so the README cannot drift from them;
``tests/test_readme.py`` checks that the README holds exactly this table.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fuzz import test_fuzz  # noqa: E402
from tests.reliability import hiding_places, test_serve_under_load  # noqa: E402
from tests.reliability import test_shared_cassettes_under_xdist as shared  # noqa: E402

FAULT_TESTS = [
    "tests/playback/test_faults.py",
    "tests/playback/test_recording_faults.py",
    "tests/playback/test_streaming_record.py",
]


def _collected(paths: list[str]) -> int:
    output = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            *paths,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return sum(1 for line in output.splitlines() if "::" in line)


def _atheris_row() -> str:
    notes = (ROOT / "tests" / "fuzz" / "README.md").read_text()
    rows = re.findall(r"^\| (decode|reconstruct|load) \| ([\d,]+) \|", notes, re.M)
    total = sum(int(count.replace(",", "")) for _, count in rows)
    return f"{total:,} executions over {len(rows)} targets, 300 s each (atheris; `tests/fuzz/README.md`)"


def _mutation_rows() -> list[tuple[str, str]]:
    """One row per guard module from the mutation tool's last run (``tools/mutation/report.json``)."""
    from tools.mutation.guards import GUARDS

    report = ROOT / "tools" / "mutation" / "report.json"
    modules = json.loads(report.read_text())["modules"] if report.exists() else {}
    rows = []
    for module in GUARDS:
        if module not in modules:
            continue
        run = modules[module]
        judged = run["killed"] + run["survived"]
        rows.append(
            (
                f"Mutants killed in `{module.removeprefix('harness/')}`",
                f"{run['score']:g}%: {run['killed']} of {judged} ({run['sampled']} sampled of "
                f"{run['mutants']}, {run['equivalent']} equivalent; `tools/mutation/`, at {run['commit']})",
            )
        )
    return rows


def table() -> str:
    property_tests = [
        name for name in dir(test_fuzz) if name.startswith("test_") and "pathological" not in name
    ]
    examples = test_fuzz.FUZZ.max_examples
    hostile = sorted(p.name for p in (ROOT / "tests" / "cassette_formats" / "hostile").iterdir())
    places = hiding_places.PLACES
    rows = [
        (
            "Inputs fuzzed, in every test run",
            f"{len(property_tests)} hypothesis targets x {examples} examples, plus a 5 MB line, 200,000 tiny "
            "events and 50,000-deep JSON (`tests/fuzz/`)",
        ),
        ("Inputs fuzzed, long runs", _atheris_row()),
        (
            "Hostile cassette files tried",
            f"{len(hostile)} files: unsafe YAML tags, billion laughs, duplicate keys, deep nesting, wrong "
            "version, wrong types, truncation, invalid UTF-8, bad base64/hex, a chunk table that does not "
            "match its bytes (`tests/cassette_formats/hostile/`)",
        ),
        (
            "Faults injected",
            f"{_collected(FAULT_TESTS)} test cases: cut after event K, connection lost after event K, delay "
            "before event K, HTTP 429/500/503 with retry-after, server closing mid-event, invalid JSON, "
            "`error` events, a stall past the client timeout, SDK retries, Ctrl-C mid-stream",
        ),
        (
            "Secrets planted",
            f"{len(places)} hiding places, each recorded through the plugin and through `harness record "
            "--script`: "
            + "; ".join(places)
            + ". No 12 characters of a secret in any file written or line printed (cassette, snapshot, "
            "junit XML, logs, inspect, validate, scrub, diff, export, bundle, serve); random fake keys cut "
            "across random deltas of the real streams, \\u-escaped or not, never survive; the real corpus "
            "is unchanged by scrubbing",
        ),
        (
            "Concurrent clients held",
            f"{test_serve_under_load.CLIENTS} streaming clients on one `harness serve`, every stream "
            f"byte-identical; {shared.WORKERS} xdist workers recording then replaying {shared.TESTS} tests "
            f"through {shared.CASSETTES} shared cassettes",
        ),
    ]
    rows += _mutation_rows()
    lines = ["| what | figure |", "|---|---|"]
    lines += [f"| {what} | {figure} |" for what, figure in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())
