"""The emulated Assistants API: routing, validation and in-memory state, transport-neutral."""

from __future__ import annotations

import json
import random
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any

from harness.emulator import objects, scenarios
from harness.emulator.api_error import ApiError
from harness.emulator.clock import Clock, SystemClock, Timeline
from harness.emulator.driver import RunDriver, ScriptDriver
from harness.emulator.exchange import BodyPiece, EmulatorRequest, EmulatorResponse
from harness.emulator.ids import IdFactory
from harness.emulator.objects import JsonObject
from harness.emulator.simulation import Emission, RunContext, RunSimulation, StreamStop, dumps
from harness.emulator.store import PageError, RunRecord, Store, ThreadRecord, paginate
from harness.protocols.assistants import RUN_ACTIVE_STATUSES
from harness.sse import ServerSentEvent, encode_event

FILE_SEARCH_CONTENT_INCLUDE = "step_details.tool_calls[*].file_search.results[*].content"
_DONE_FRAME = encode_event(ServerSentEvent(event="done", data="[DONE]"))


Handler = Callable[[EmulatorRequest, JsonObject, tuple[str, ...]], "JsonObject | EmulatorResponse"]


class Emulator:
    """An in-memory Assistants API (v2), Responses API and Chat Completions API playing scripted scenarios.

    ``scenario`` is the default scenario (see :mod:`harness.emulator.scenarios`
    for how a run picks one); ``seed`` fixes ids and simulated timings, and with
    a :class:`~harness.emulator.clock.FixedClock` the same requests get
    byte-identical responses; ``event_delay`` is the mean pause in seconds
    between stream events (0 for none); ``message_deltas`` sets the number of
    text deltas of the ``text`` and ``unicode`` replies.
    """

    def __init__(
        self,
        *,
        scenario: str = "text",
        seed: int | None = None,
        clock: Clock | None = None,
        event_delay: float = 0.005,
        delay_jitter: float = 0.5,
        message_deltas: int | None = None,
        poll_after_ms: int | None = None,
        model: str = "gpt-4o",
    ) -> None:
        if scenario not in scenarios.SCENARIOS:
            raise ValueError(f"unknown scenario {scenario!r}; choose from {sorted(scenarios.SCENARIOS)}")
        self.default_scenario = scenario
        self.default_model = model
        self.message_deltas = message_deltas
        self.event_delay = max(0.0, event_delay)
        self.delay_jitter = min(max(0.0, delay_jitter), 1.0)
        self.poll_after_ms = round(self.event_delay * 4000) if poll_after_ms is None else poll_after_ms
        self.clock: Clock = clock if clock is not None else SystemClock()
        self._ids = IdFactory(seed)
        self._rng = random.Random(seed)
        self._timing_rng = random.Random(None if seed is None else seed + 1)
        self._store = Store()
        self._lock = threading.RLock()
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = [
            ("POST", re.compile(r"/assistants"), self._create_assistant),
            ("GET", re.compile(r"/assistants"), self._list_assistants),
            ("GET", re.compile(r"/assistants/([^/]+)"), self._get_assistant),
            ("POST", re.compile(r"/threads"), self._create_thread),
            ("POST", re.compile(r"/threads/runs"), self._create_thread_and_run),
            ("GET", re.compile(r"/threads/([^/]+)"), self._get_thread),
            ("POST", re.compile(r"/threads/([^/]+)/messages"), self._create_message),
            ("GET", re.compile(r"/threads/([^/]+)/messages"), self._list_messages),
            ("GET", re.compile(r"/threads/([^/]+)/messages/([^/]+)"), self._get_message),
            ("POST", re.compile(r"/threads/([^/]+)/runs"), self._create_run),
            ("GET", re.compile(r"/threads/([^/]+)/runs"), self._list_runs),
            ("GET", re.compile(r"/threads/([^/]+)/runs/([^/]+)"), self._get_run),
            ("POST", re.compile(r"/threads/([^/]+)/runs/([^/]+)/cancel"), self._cancel_run),
            (
                "POST",
                re.compile(r"/threads/([^/]+)/runs/([^/]+)/submit_tool_outputs"),
                self._submit_tool_outputs,
            ),
            ("GET", re.compile(r"/threads/([^/]+)/runs/([^/]+)/steps"), self._list_steps),
            ("GET", re.compile(r"/threads/([^/]+)/runs/([^/]+)/steps/([^/]+)"), self._get_step),
        ]

        # The Responses and Chat Completions APIs live in their own modules.
        from harness.emulator.chat_api import ChatApi
        from harness.emulator.responses_api import ResponsesApi

        self._routes += ResponsesApi(self).routes() + ChatApi(self).routes()

    @property
    def ids(self) -> IdFactory:
        return self._ids

    def new_rng(self) -> random.Random:
        """A generator for one conversation, drawn from the seed."""
        return random.Random(self._rng.getrandbits(64))

    # ------------------------------------------------------------ entry
    def handle(self, request: EmulatorRequest) -> EmulatorResponse:
        with self._lock:
            request_id = self._ids.request_id()
            try:
                result = self._dispatch(request)
            except ApiError as error:
                return self._json_response(error.status, error.body, request_id)
            except PageError as error:
                return self._json_response(400, objects.error_body(str(error)), request_id)
            if isinstance(result, EmulatorResponse):
                result.headers.extend(self._common_headers(request_id))
                return result
            return self._json_response(200, result, request_id)

    def _dispatch(self, request: EmulatorRequest) -> JsonObject | EmulatorResponse:
        path = request.path.rstrip("/")
        if not path.startswith("/v1/"):
            raise ApiError(404, f"Invalid URL ({request.method} {request.path})")
        path = path[len("/v1") :]
        for method, pattern, handler in self._routes:
            match = pattern.fullmatch(path)
            if match and method == request.method:
                return handler(request, self._json_body(request), match.groups())
        raise ApiError(404, f"Invalid URL ({request.method} {request.path})")

    @staticmethod
    def _json_body(request: EmulatorRequest) -> JsonObject:
        if request.method != "POST" or not request.body.strip():
            return {}
        try:
            body = json.loads(request.body)
        except ValueError as exc:
            raise ApiError(
                400,
                "We could not parse the JSON body of your request. (HINT: This likely means "
                "you aren't using your HTTP library correctly. The OpenAI API expects a JSON "
                "payload, but what was sent was not valid JSON.)",
            ) from exc
        if not isinstance(body, dict):
            raise ApiError(400, "Invalid type for body: expected an object.")
        return body

    def _common_headers(self, request_id: str) -> list[tuple[str, str]]:
        return [
            ("openai-version", "2020-10-01"),
            ("openai-processing-ms", str(self._timing_rng.randint(20, 400))),
            ("x-request-id", request_id),
            ("openai-poll-after-ms", str(self.poll_after_ms)),
        ]

    def _json_response(self, status: int, body: JsonObject, request_id: str) -> EmulatorResponse:
        payload = json.dumps(body, indent=2, ensure_ascii=False).encode("utf-8")
        headers = [("content-type", "application/json"), *self._common_headers(request_id)]
        return EmulatorResponse(status, headers, [(0.0, payload)])

    # ------------------------------------------------------- assistants
    def _create_assistant(self, request: EmulatorRequest, body: JsonObject, _: tuple[str, ...]) -> JsonObject:
        model = body.get("model")
        if not isinstance(model, str) or not model:
            raise ApiError(
                400, "Missing required parameter: 'model'.", param="model", code="missing_required_parameter"
            )
        assistant = objects.assistant(
            assistant_id=self._ids.new("asst_"),
            created_at=int(self.clock.now()),
            model=model,
            name=body.get("name"),
            description=body.get("description"),
            instructions=body.get("instructions"),
            tools=body.get("tools"),
            tool_resources=body.get("tool_resources"),
            metadata=body.get("metadata"),
            temperature=body.get("temperature"),
            top_p=body.get("top_p"),
            reasoning_effort=body.get("reasoning_effort"),
            response_format=body.get("response_format"),
        )
        self._store.assistants[assistant["id"]] = assistant
        return assistant

    def _list_assistants(self, request: EmulatorRequest, body: JsonObject, _: tuple[str, ...]) -> JsonObject:
        return objects.page(*paginate(list(self._store.assistants.values()), request.query))

    def _get_assistant(self, request: EmulatorRequest, body: JsonObject, ids: tuple[str, ...]) -> JsonObject:
        return self._assistant(ids[0])

    def _assistant(self, assistant_id: Any) -> JsonObject:
        if not isinstance(assistant_id, str) or not assistant_id:
            raise ApiError(
                400,
                "Missing required parameter: 'assistant_id'.",
                param="assistant_id",
                code="missing_required_parameter",
            )
        found = self._store.assistants.get(assistant_id)
        if found is None:
            raise ApiError(404, f"No assistant found with id '{assistant_id}'.")
        return found

    # ---------------------------------------------------------- threads
    def _new_thread(self, body: JsonObject) -> ThreadRecord:
        thread = objects.thread(
            thread_id=self._ids.new("thread_"),
            created_at=int(self.clock.now()),
            metadata=body.get("metadata"),
            tool_resources=body.get("tool_resources"),
        )
        record = ThreadRecord(thread)
        for message in body.get("messages") or []:
            record.messages.append(self._new_message(record, message))
        self._store.threads[thread["id"]] = record
        return record

    def _create_thread(self, request: EmulatorRequest, body: JsonObject, _: tuple[str, ...]) -> JsonObject:
        return self._new_thread(body).thread

    def _get_thread(self, request: EmulatorRequest, body: JsonObject, ids: tuple[str, ...]) -> JsonObject:
        return self._thread(ids[0]).thread

    def _thread(self, thread_id: str) -> ThreadRecord:
        found = self._store.threads.get(thread_id)
        if found is None:
            raise ApiError(404, f"No thread found with id '{thread_id}'.")
        return found

    # --------------------------------------------------------- messages
    def _new_message(self, thread: ThreadRecord, body: JsonObject) -> JsonObject:
        role = body.get("role")
        if role not in ("user", "assistant"):
            raise ApiError(
                400,
                f"Invalid value: '{role}'. Supported values are: 'user' and 'assistant'.",
                param="role",
                code="invalid_value",
            )
        if "content" not in body:
            raise ApiError(
                400,
                "Missing required parameter: 'content'.",
                param="content",
                code="missing_required_parameter",
            )
        return objects.message(
            message_id=self._ids.new("msg_"),
            created_at=int(self.clock.now()),
            thread_id=thread.thread["id"],
            role=role,
            content=objects.user_content(body["content"]),
            attachments=body.get("attachments"),
            metadata=body.get("metadata"),
        )

    def _create_message(self, request: EmulatorRequest, body: JsonObject, ids: tuple[str, ...]) -> JsonObject:
        thread = self._thread(ids[0])
        message = self._new_message(thread, body)
        thread.messages.append(message)
        return objects.rest_message(message)

    def _list_messages(self, request: EmulatorRequest, body: JsonObject, ids: tuple[str, ...]) -> JsonObject:
        messages = self._thread(ids[0]).messages
        run_filter = request.query.get("run_id")
        if run_filter:
            messages = [m for m in messages if m["run_id"] == run_filter[0]]
        page, has_more = paginate(messages, request.query)
        return objects.page([objects.rest_message(m) for m in page], has_more)

    def _get_message(self, request: EmulatorRequest, body: JsonObject, ids: tuple[str, ...]) -> JsonObject:
        for message in self._thread(ids[0]).messages:
            if message["id"] == ids[1]:
                return objects.rest_message(message)
        raise ApiError(404, f"No message found with id '{ids[1]}'.")

    # ------------------------------------------------------------- runs
    def _create_run(
        self, request: EmulatorRequest, body: JsonObject, ids: tuple[str, ...]
    ) -> JsonObject | EmulatorResponse:
        thread = self._thread(ids[0])
        return self._start(request, body, thread, thread_created=False)

    def _create_thread_and_run(
        self, request: EmulatorRequest, body: JsonObject, _: tuple[str, ...]
    ) -> JsonObject | EmulatorResponse:
        self._assistant(body.get("assistant_id"))
        thread_body = body.get("thread") or {}
        if not isinstance(thread_body, dict):
            raise ApiError(400, "Invalid type for 'thread': expected an object.", param="thread")
        thread = self._new_thread(thread_body)
        return self._start(request, body, thread, thread_created=True)

    def _start(
        self, request: EmulatorRequest, body: JsonObject, thread: ThreadRecord, *, thread_created: bool
    ) -> JsonObject | EmulatorResponse:
        assistant = self._assistant(body.get("assistant_id"))
        for active in thread.runs.values():
            if active.run["status"] in RUN_ACTIVE_STATUSES:
                raise ApiError(
                    400, f"Thread {thread.thread['id']} already has an active run {active.run['id']}."
                )
        for extra in body.get("additional_messages") or []:
            thread.messages.append(self._new_message(thread, extra))
        instructions = body.get("instructions", assistant["instructions"])
        if body.get("additional_instructions"):
            instructions = "\n".join(filter(None, [instructions, body["additional_instructions"]]))
        if not any(m["role"] == "user" for m in thread.messages) and not instructions:
            raise ApiError(
                400,
                "Run creation requires a Thread with a user message or an assistant with instructions.",
                code="invalid_thread",
            )
        metadata = dict(body.get("metadata") or {})
        try:
            scenario_name, deltas = scenarios.select(
                run_metadata=metadata,
                assistant_metadata=assistant["metadata"],
                thread_messages=thread.messages,
                default_scenario=self.default_scenario,
                default_deltas=self.message_deltas,
            )
        except ValueError as exc:
            raise ApiError(
                400, f"Invalid '{scenarios.DELTAS_KEY}': expected an integer.", param="metadata"
            ) from exc
        playable = scenarios.API_SCENARIOS["assistants"]
        if scenario_name not in playable:
            raise ApiError(
                400,
                f"Unknown emulator scenario '{scenario_name}'. "
                f"Expected one of: {', '.join(sorted(playable))}.",
                param="metadata",
            )
        scenario = scenarios.SCENARIOS[scenario_name]
        timeline = Timeline(self.clock)
        tools = body.get("tools")
        run = objects.run(
            run_id=self._ids.new("run_"),
            created_at=timeline.now(),
            assistant_id=assistant["id"],
            thread_id=thread.thread["id"],
            model=body.get("model") or assistant["model"],
            instructions=instructions,
            tools=[objects.normalize_tool(t) for t in tools] if tools is not None else assistant["tools"],
            tool_resources=objects.normalize_tool_resources(body["tool_resources"])
            if body.get("tool_resources")
            else thread.thread["tool_resources"],
            metadata=metadata,
            temperature=float(body["temperature"])
            if body.get("temperature") is not None
            else assistant["temperature"],
            top_p=float(body["top_p"]) if body.get("top_p") is not None else assistant["top_p"],
            reasoning_effort=body.get("reasoning_effort", assistant["reasoning_effort"]),
            max_completion_tokens=body.get("max_completion_tokens"),
            max_prompt_tokens=body.get("max_prompt_tokens"),
            truncation_strategy=body.get("truncation_strategy"),
            response_format=body.get("response_format") or assistant["response_format"],
            tool_choice=body.get("tool_choice") or "auto",
            parallel_tool_calls=bool(body.get("parallel_tool_calls", True)),
        )
        include = request.query.get("include[]", []) + request.query.get("include", [])
        context = RunContext(
            run=run,
            thread=thread.thread,
            thread_messages=list(thread.messages),
            message_deltas=deltas,
            include_file_search_content=FILE_SEARCH_CONTENT_INCLUDE in include,
            thread_created=thread_created,
        )
        steps: list[JsonObject] = []
        simulation = RunSimulation(
            context,
            self._ids,
            timeline,
            self.new_rng(),
            store_step=steps.append,
            store_message=thread.messages.append,
        )
        record = RunRecord(run, RunDriver(simulation, scenario(simulation)), steps)
        thread.runs[run["id"]] = record
        if body.get("stream"):
            return self._stream(record)
        record.driver.skip_until("thread.run.created")
        return run

    def _run(self, thread_id: str, run_id: str) -> RunRecord:
        found = self._thread(thread_id).runs.get(run_id)
        if found is None:
            raise ApiError(404, f"No run found with id '{run_id}'.")
        return found

    def _get_run(self, request: EmulatorRequest, body: JsonObject, ids: tuple[str, ...]) -> JsonObject:
        record = self._run(ids[0], ids[1])
        record.driver.advance_for_poll()
        return record.run

    def _list_runs(self, request: EmulatorRequest, body: JsonObject, ids: tuple[str, ...]) -> JsonObject:
        runs = [record.run for record in self._thread(ids[0]).runs.values()]
        return objects.page(*paginate(runs, request.query))

    def _cancel_run(self, request: EmulatorRequest, body: JsonObject, ids: tuple[str, ...]) -> JsonObject:
        record = self._run(ids[0], ids[1])
        status = record.run["status"]
        if status not in ("queued", "in_progress", "requires_action"):
            raise ApiError(400, f"Cannot cancel run with status '{status}'.")
        record.run["status"] = "cancelling"
        record.driver.request_cancel()
        return record.run

    def _submit_tool_outputs(
        self, request: EmulatorRequest, body: JsonObject, ids: tuple[str, ...]
    ) -> JsonObject | EmulatorResponse:
        record = self._run(ids[0], ids[1])
        run = record.run
        if run["status"] != "requires_action" or run["required_action"] is None:
            raise ApiError(400, f'Runs in status "{run["status"]}" do not accept tool outputs.')
        outputs = body.get("tool_outputs")
        if not isinstance(outputs, list):
            raise ApiError(
                400,
                "Missing required parameter: 'tool_outputs'.",
                param="tool_outputs",
                code="missing_required_parameter",
            )
        expected = [call["id"] for call in run["required_action"]["submit_tool_outputs"]["tool_calls"]]
        given = {str(o.get("tool_call_id")): str(o.get("output", "")) for o in outputs if isinstance(o, dict)}
        if sorted(given) != sorted(expected):
            raise ApiError(
                400,
                f"Expected tool outputs for call_ids {expected}, got {sorted(given)}",
                param="tool_outputs",
            )
        record.driver.simulation.tool_outputs.update(given)
        record.driver.resume()
        if body.get("stream"):
            return self._stream(record)
        record.driver.skip_until("thread.run.queued")
        return run

    # ------------------------------------------------------------ steps
    def _list_steps(self, request: EmulatorRequest, body: JsonObject, ids: tuple[str, ...]) -> JsonObject:
        return objects.page(*paginate(self._run(ids[0], ids[1]).steps, request.query))

    def _get_step(self, request: EmulatorRequest, body: JsonObject, ids: tuple[str, ...]) -> JsonObject:
        for step in self._run(ids[0], ids[1]).steps:
            if step["id"] == ids[2]:
                return step
        raise ApiError(404, f"No step found with id '{ids[2]}'.")

    # ---------------------------------------------------------- streams
    def _stream(self, record: RunRecord) -> EmulatorResponse:
        return self.stream(record.driver)

    def stream(
        self, driver: ScriptDriver, done_frame: bytes | None = _DONE_FRAME, *, named_events: bool = True
    ) -> EmulatorResponse:
        """The driver's emissions up to its next stop, as an event stream ending in ``done_frame``.

        Without ``named_events`` the frames carry only ``data:`` lines (Chat Completions).
        """
        headers = [("content-type", "text/event-stream; charset=utf-8")]
        pieces = self._stream_pieces(driver, done_frame, named_events)
        return EmulatorResponse(200, headers, pieces, streaming=True)

    def _stream_pieces(
        self, driver: ScriptDriver, done_frame: bytes | None, named_events: bool
    ) -> Iterator[BodyPiece]:
        with self._lock:
            driver.streaming = True
        try:
            while True:
                with self._lock:
                    item = driver.next_item()
                    if isinstance(item, Emission):
                        text = item.data if isinstance(item.data, str) else dumps(item.data)
                        name = item.name if named_events else "message"
                        frame = encode_event(ServerSentEvent(event=name, data=text))
                        delay = self._delay(item.pace)
                if item is None or isinstance(item, StreamStop):
                    if (item is None or item.done) and done_frame is not None:
                        yield self._delay(1.0), done_frame
                    return
                yield delay, frame
        finally:
            with self._lock:
                driver.streaming = False

    def _delay(self, pace: float) -> float:
        if self.event_delay == 0:
            return 0.0
        spread = self.delay_jitter * (2 * self._timing_rng.random() - 1)
        return self.event_delay * pace * (1 + spread)

    # ------------------------------------------------------------ tools
    @property
    def scenario_names(self) -> list[str]:
        return sorted(scenarios.SCENARIOS)
