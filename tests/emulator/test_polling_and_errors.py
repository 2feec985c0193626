"""Non-streaming use (the run advances as it is polled), cancel, steps, and API error shapes."""

from __future__ import annotations

import json

import openai
import pytest
from openai.types.beta.threads import Run
from openai.types.beta.threads.runs import RunStep

from harness.emulator import Emulator
from tests.emulator.conftest import ClientFactory
from tests.emulator.support import CORPUS, WEATHER_TOOL, call


def _assistant(client: openai.OpenAI, scenario: str) -> str:
    return client.beta.assistants.create(
        model="gpt-4o-mini",
        instructions="Be brief.",
        tools=[WEATHER_TOOL],  # type: ignore[list-item]
        metadata={"emulator_scenario": scenario},
    ).id


def test_create_and_poll_then_submit_and_poll(client_for: ClientFactory) -> None:
    client = client_for(Emulator(event_delay=0))
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Weather in Paris?"}])
    run = client.beta.threads.runs.create_and_poll(
        thread_id=thread.id, assistant_id=_assistant(client, "tool-call"), poll_interval_ms=0
    )
    assert run.status == "requires_action" and run.required_action is not None
    (tool_call,) = run.required_action.submit_tool_outputs.tool_calls
    assert json.loads(tool_call.function.arguments) == {"location": "Paris, France"}
    run = client.beta.threads.runs.submit_tool_outputs_and_poll(
        thread_id=thread.id,
        run_id=run.id,
        poll_interval_ms=0,
        tool_outputs=[{"tool_call_id": tool_call.id, "output": "18C and clear"}],
    )
    assert run.status == "completed"
    Run.model_validate(run.model_dump(mode="json"))
    steps = client.beta.threads.runs.steps.list(thread_id=thread.id, run_id=run.id, order="asc").data
    assert [s.type for s in steps] == ["tool_calls", "message_creation"]
    for step in steps:
        RunStep.model_validate(step.model_dump(mode="json"))
    one = client.beta.threads.runs.steps.retrieve(thread_id=thread.id, run_id=run.id, step_id=steps[0].id)
    assert one.step_details.tool_calls[0].function.output == "18C and clear"  # type: ignore[union-attr]
    messages = client.beta.threads.messages.list(thread_id=thread.id).data
    assert messages[0].role == "assistant" and "18C and clear" in messages[0].content[0].text.value  # type: ignore[union-attr]
    assert [r.id for r in client.beta.threads.runs.list(thread_id=thread.id).data] == [run.id]


def test_polling_walks_through_statuses(client_for: ClientFactory) -> None:
    client = client_for(Emulator(event_delay=0))
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
    run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=_assistant(client, "text"))
    seen = [run.status]
    while seen[-1] not in ("completed", "failed"):
        seen.append(client.beta.threads.runs.retrieve(thread_id=thread.id, run_id=run.id).status)
    assert seen == ["queued", "in_progress", "completed"]


def test_cancel_while_polling(client_for: ClientFactory) -> None:
    client = client_for(Emulator(event_delay=0))
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
    run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=_assistant(client, "text"))
    assert client.beta.threads.runs.cancel(thread_id=thread.id, run_id=run.id).status == "cancelling"
    final = client.beta.threads.runs.poll(thread_id=thread.id, run_id=run.id, poll_interval_ms=0)
    assert final.status == "cancelled" and final.cancelled_at is not None
    with pytest.raises(openai.BadRequestError) as caught:
        client.beta.threads.runs.cancel(thread_id=thread.id, run_id=run.id)
    assert caught.value.body == {
        "message": "Cannot cancel run with status 'cancelled'.",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }


def test_cancel_a_run_waiting_for_tool_outputs(client_for: ClientFactory) -> None:
    client = client_for(Emulator(event_delay=0))
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
    run = client.beta.threads.runs.create_and_poll(
        thread_id=thread.id, assistant_id=_assistant(client, "tool-call"), poll_interval_ms=0
    )
    client.beta.threads.runs.cancel(thread_id=thread.id, run_id=run.id)
    final = client.beta.threads.runs.poll(thread_id=thread.id, run_id=run.id, poll_interval_ms=0)
    assert final.status == "cancelled"
    step = client.beta.threads.runs.steps.list(thread_id=thread.id, run_id=run.id).data[0]
    assert step.status == "cancelled"


def test_errors_have_the_real_shape(client_for: ClientFactory) -> None:
    client = client_for(Emulator(event_delay=0))
    with pytest.raises(openai.NotFoundError) as missing:
        client.beta.threads.retrieve("thread_doesNotExist0000000000")
    assert missing.value.body == {
        "message": "No thread found with id 'thread_doesNotExist0000000000'.",
        "type": "invalid_request_error",
        "param": None,
        "code": None,
    }
    assistant = client.beta.assistants.create(model="gpt-4o")
    empty = client.beta.threads.create()
    with pytest.raises(openai.BadRequestError) as invalid:
        client.beta.threads.runs.create(thread_id=empty.id, assistant_id=assistant.id, stream=True)
    real = json.loads(next(CORPUS.glob("022-*.json")).read_text())
    assert invalid.value.body == real["error"]
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "Hi"}])
    run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    with pytest.raises(openai.BadRequestError, match="already has an active run"):
        client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    with pytest.raises(openai.BadRequestError, match="do not accept tool outputs"):
        client.beta.threads.runs.submit_tool_outputs(
            thread_id=thread.id, run_id=run.id, tool_outputs=[{"tool_call_id": "call_x", "output": "y"}]
        )


def test_error_bodies_through_the_core() -> None:
    emulator = Emulator(event_delay=0)
    status, body = call(emulator, "POST", "/v1/threads/thread_x/runs", {"assistant_id": "asst_x"})
    assert status == 404 and set(json.loads(body)["error"]) == {"message", "type", "param", "code"}
    status, body = call(emulator, "GET", "/v1/nowhere")
    assert status == 404 and json.loads(body)["error"]["message"] == "Invalid URL (GET /v1/nowhere)"
    status, body = call(emulator, "POST", "/v1/assistants", {})
    assert status == 400 and json.loads(body)["error"]["param"] == "model"
    assistant = json.loads(
        call(emulator, "POST", "/v1/assistants", {"model": "gpt-4o", "instructions": "x"})[1]
    )
    status, body = call(
        emulator,
        "POST",
        "/v1/threads/runs",
        {"assistant_id": assistant["id"], "metadata": {"emulator_scenario": "nope"}},
    )
    assert status == 400 and "Unknown emulator scenario" in json.loads(body)["error"]["message"]
    status, body = call(
        emulator,
        "POST",
        "/v1/threads/runs",
        {"assistant_id": assistant["id"], "metadata": {"emulator_scenario": "web-search"}},
    )
    message = json.loads(body)["error"]["message"]
    assert status == 400 and message.startswith(
        "Unknown emulator scenario 'web-search'"
    )  # Responses and Chat only


def test_scenario_selection_order() -> None:
    emulator = Emulator(event_delay=0, scenario="failed")
    assistant = json.loads(
        call(
            emulator,
            "POST",
            "/v1/assistants",
            {"model": "gpt-4o", "instructions": "x", "metadata": {"emulator_scenario": "expired"}},
        )[1]
    )

    def final_status(run_metadata: dict[str, str], text: str) -> str:
        status, body = call(
            emulator,
            "POST",
            "/v1/threads/runs",
            {
                "assistant_id": assistant["id"],
                "stream": True,
                "metadata": run_metadata,
                "thread": {"messages": [{"role": "user", "content": text}]},
            },
        )
        assert status == 200
        last = [line for line in body.decode().splitlines() if line.startswith("data: {")][-1]
        return str(json.loads(last[6:])["status"])

    assert final_status({"emulator_scenario": "text"}, "[scenario:cancelled]") == "completed"
    assert final_status({}, "please [scenario:cancelled]") == "cancelled"
    assert final_status({}, "plain") == "expired"
    bare = json.loads(call(emulator, "POST", "/v1/assistants", {"model": "gpt-4o", "instructions": "x"})[1])
    _, body = call(
        emulator,
        "POST",
        "/v1/threads/runs",
        {
            "assistant_id": bare["id"],
            "stream": True,
            "thread": {"messages": [{"role": "user", "content": "x"}]},
        },
    )
    assert b"thread.run.failed" in body
