from __future__ import annotations

from pathlib import Path

REAL = Path(__file__).resolve().parents[2] / "cassettes" / "real"

FAKE_KEY = "sk-test-fake-key-for-recording-0123456789"


def real_body(name: str) -> bytes:
    (path,) = REAL.glob(f"{name}*.sse")
    return path.read_bytes()
