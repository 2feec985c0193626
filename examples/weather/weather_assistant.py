"""A small downstream app: ask an assistant about the weather, answering its tool calls locally.

The assistant streams a run; when it stops at ``requires_action`` the app calls its own
``get_weather`` for every requested call and streams the rest of the run with
``submit_tool_outputs_stream``. The reply text is gathered as it streams.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import openai
from openai.lib.streaming import AssistantEventHandler
from openai.types.beta.threads import Run, TextDelta

WEATHER_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather in a city",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            },
            "required": ["city"],
        },
    },
}

_KNOWN_WEATHER = {"paris": 18, "lima": 22}


def get_weather(city: str, unit: str = "celsius") -> str:
    """The app's own weather source (a real app would call a weather service)."""
    celsius = _KNOWN_WEATHER.get(city.split(",")[0].strip().lower(), 15)
    if unit == "fahrenheit":
        return f"{city}: {round(celsius * 9 / 5 + 32)}F and sunny"
    return f"{city}: {celsius}C and sunny"


@dataclass
class Reply:
    text: str = ""
    tool_calls: list[tuple[str, dict[str, Any], str]] = field(default_factory=list)  # name, args, output
    status: str | None = None


class _ReplyHandler(AssistantEventHandler):
    def __init__(self, reply: Reply) -> None:
        super().__init__()
        self.reply = reply

    def on_text_delta(self, delta: TextDelta, snapshot: Any) -> None:
        self.reply.text += delta.value or ""


def _outputs_for(run: Run, reply: Reply) -> list[dict[str, str]]:
    assert run.required_action is not None
    outputs = []
    for call in run.required_action.submit_tool_outputs.tool_calls:
        arguments = json.loads(call.function.arguments or "{}")
        output = get_weather(**arguments) if call.function.name == "get_weather" else "unknown tool"
        reply.tool_calls.append((call.function.name, arguments, output))
        outputs.append({"tool_call_id": call.id, "output": output})
    return outputs


def ask_weather(client: openai.OpenAI, question: str, model: str = "gpt-4o") -> Reply:
    """Create an assistant and a thread, stream a run, answer tool calls until the run ends."""
    assistant = client.beta.assistants.create(model=model, name="Weather", tools=[WEATHER_TOOL])
    thread = client.beta.threads.create(messages=[{"role": "user", "content": question}])
    reply = Reply()
    handler = _ReplyHandler(reply)
    with client.beta.threads.runs.stream(
        thread_id=thread.id, assistant_id=assistant.id, event_handler=handler
    ) as stream:
        stream.until_done()
    run = handler.current_run
    while run is not None and run.status == "requires_action":
        handler = _ReplyHandler(reply)
        with client.beta.threads.runs.submit_tool_outputs_stream(
            thread_id=thread.id, run_id=run.id, tool_outputs=_outputs_for(run, reply), event_handler=handler
        ) as stream:
            stream.until_done()
        run = handler.current_run
    reply.status = run.status if run is not None else None
    return reply
