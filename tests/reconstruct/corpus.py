"""The real captured streams (cassettes/real/) and the conversations they form."""

from __future__ import annotations

from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parents[2] / "cassettes" / "real"
CORPUS_FILES = sorted(CORPUS_DIR.glob("*.sse"))

# requires_action stream -> the submit_tool_outputs stream that continues the same run
CONVERSATIONS = {
    "010+011": (
        "010-openai-dotnet-function-requires-action-oct2025.sse",
        "011-openai-dotnet-submit-tool-outputs-oct2025.sse",
    ),
    "012+013": (
        "012-openai-dotnet-function-requires-action-sep2025.sse",
        "013-openai-dotnet-submit-tool-outputs-sep2025.sse",
    ),
}


def corpus_body(name: str) -> bytes:
    return (CORPUS_DIR / name).read_bytes()
