"""openai-node's Responses and Chat Completions accumulators agree with the reconstruction.

The npm package (pinned in package.json) reads the same bytes through its own SSE decoder and
``ResponseStream`` / ``ChatCompletionStream``; where it gives a final object, the harness's final
object agrees with it field by field (``tests/protocols`` does the same against openai-python).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from harness.protocols.chat_fold import fold_chat
from harness.protocols.responses_fold import fold_responses
from harness.sse import parse_sse
from tests.node.test_node_client import node_client
from tests.protocols.builders import CHAT_SCENARIOS, RESPONSES_SCENARIOS, chat_scenario, responses_scenario
from tests.protocols.test_sdk_agreement_new_protocols import disagreements

__all__ = ["node_client"]

HERE = Path(__file__).parent
SCRIPT = "accumulate_streams.mjs"
REAL = HERE.parents[1] / "cassettes" / "real"


def run_node(script_dir: Path, kind: str, files: list[Path]) -> dict[str, dict[str, Any]]:
    shutil.copy(HERE / SCRIPT, script_dir / SCRIPT)
    done = subprocess.run(
        ["node", str(script_dir / SCRIPT), kind, *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return {line["file"]: line for line in map(json.loads, done.stdout.splitlines())}


def bodies(tmp_path: Path, kind: str) -> list[Path]:
    real = sorted((REAL / ("responses" if kind == "responses" else "chat")).glob("*.sse"))
    generated = []
    scenarios = RESPONSES_SCENARIOS if kind == "responses" else CHAT_SCENARIOS
    for name in scenarios:
        path = tmp_path / f"{kind}-{name}.sse"
        path.write_bytes(responses_scenario(name) if kind == "responses" else chat_scenario(name))
        generated.append(path)
    return [*real, *generated]


def test_openai_node_responses_accumulator_agrees(node_client: Path, tmp_path: Path) -> None:
    files = bodies(tmp_path, "responses")
    results = run_node(node_client.parent, "responses", files)
    finished = 0
    for path in files:
        line = results[str(path)]
        ours = fold_responses([parse_sse(path.read_bytes())]).final_response
        if line["final"] is None:
            continue  # openai-node gives no final object (see below): nothing to agree with
        finished += 1
        assert ours is not None
        assert disagreements(line["final"], ours) == [], path.name
    assert finished >= 10


def test_openai_node_chat_accumulator_agrees(node_client: Path, tmp_path: Path) -> None:
    files = bodies(tmp_path, "chat")
    results = run_node(node_client.parent, "chat", files)
    for path in files:
        line = results[str(path)]
        ours = fold_chat([parse_sse(path.read_bytes())]).final_completion
        assert ours is not None
        if line["final"] is None:
            assert path.name == "chat-length.sse", line["error"]  # node raises on "length" too
            continue
        assert disagreements(line["final"], ours) == [], path.name


def test_openai_node_finishes_incomplete_and_failed_responses_as_the_harness_does(
    node_client: Path, tmp_path: Path
) -> None:
    # openai-python raises on these legitimate ends (tests/protocols shows it); openai-node gives the
    # terminal response, and it is the harness's final object.
    files = []
    for name in ("incomplete", "failed"):
        path = tmp_path / f"{name}.sse"
        path.write_bytes(responses_scenario(name))
        files.append(path)
    results = run_node(node_client.parent, "responses", files)
    for path in files:
        final = results[str(path)]["final"]
        ours = fold_responses([parse_sse(path.read_bytes())]).final_response
        assert final is not None and ours is not None
        assert final["status"] == ours["status"] == path.stem
        assert disagreements(final, ours) == []
