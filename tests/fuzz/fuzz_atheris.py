"""Long coverage-guided fuzzing of the decoder, reconstruction and the cassette loader with atheris.

Not part of the test suite (the suite runs the same targets under hypothesis,
bounded). See tests/fuzz/README.md for how to run it and what it found.

    python tests/fuzz/fuzz_atheris.py decode -max_total_time=600 -rss_limit_mb=2048
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

with atheris.instrument_imports():
    from tests.fuzz.targets import SUFFIXES, decode_target, load_target, reconstruct_target


def load_any_format(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    suffix = SUFFIXES[provider.ConsumeIntInRange(0, len(SUFFIXES) - 1)]
    load_target(provider.ConsumeBytes(provider.remaining_bytes()), suffix)


TARGETS = {"decode": decode_target, "reconstruct": reconstruct_target, "load": load_any_format}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        raise SystemExit(f"usage: fuzz_atheris.py {{{'|'.join(TARGETS)}}} [libFuzzer options]")
    target = TARGETS[sys.argv.pop(1)]
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
