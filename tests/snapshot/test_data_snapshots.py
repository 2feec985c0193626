"""Plain data and pydantic models (the SDK's and the harness's) in run snapshots."""

from __future__ import annotations

import json
from typing import Any

import openai.types.beta.threads as sdk
from syrupy.filters import props
from syrupy.matchers import path_type

import harness.models as models
from harness.snapshot import RunSnapshotExtension
from tests.snapshot.conversation import real_streams


def _payload(name: str) -> dict[str, Any]:
    event = next(e for events in real_streams() for e in events if e.event == name)
    return json.loads(event.data)  # type: ignore[no-any-return]


def _sdk_run() -> sdk.Run:
    return sdk.Run.model_validate(_payload("thread.run.completed") | {"instructions": "Be brief."})


def _serialize(data: Any, **kwargs: Any) -> str:
    return str(RunSnapshotExtension().serialize(data, **kwargs))


def test_an_sdk_run_is_written_one_field_per_line_with_placeholders() -> None:
    run = _sdk_run()

    text = _serialize(run)

    assert text.startswith("Run(\n  id='<run:1>',\n  assistant_id='<asst:1>',")
    assert "  created_at='<t+0s>'," in text and "  completed_at='<t+5s>'," in text
    assert "  status='completed'," in text
    assert "  usage=Usage(\n" in text  # nested models too


def test_exclude_and_matchers_address_model_fields_and_see_raw_values() -> None:
    run = _sdk_run()

    text = _serialize(run, exclude=props("usage", "tools"), matcher=path_type({"created_at": (int,)}))

    assert "usage=" not in text and "tools=" not in text
    assert "  created_at=int," in text  # the matcher saw the raw int, not the placeholder
    assert "  completed_at='<t+5s>'," in text


def test_harness_models_keep_their_extra_fields() -> None:
    payload = _payload("thread.run.step.completed")
    payload["future_field"] = payload["id"]
    step = models.RunStep.model_validate(payload)

    text = _serialize(step)

    assert text.startswith("RunStep(\n  id='<step:1>',")
    assert "  future_field='<step:1>'," in text  # the same id, the same placeholder


def test_dicts_and_lists_keep_id_relations_and_ordering() -> None:
    data = {
        "runs": ["run_ABCDEFGH12345678", "run_ZYXWVUTS87654321", "run_ABCDEFGH12345678"],
        "note": "see thread_Q1w2E3r4T5y6U7i8 for run_ZYXWVUTS87654321",
        "status": "step_completed",
    }

    text = _serialize(data)

    assert "'<run:1>',\n    '<run:2>',\n    '<run:1>'," in text
    assert "'note': 'see <thread:1> for <run:2>'," in text
    assert "'status': 'step_completed'," in text  # not an id: no random part
