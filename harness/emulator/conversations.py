"""What the Responses and Chat Completions emulations share: picking a scenario, answering unstreamed."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from harness.emulator import scenarios
from harness.emulator.api_error import ApiError
from harness.emulator.driver import ScriptDriver
from harness.emulator.script import Emission, Scenario


def pick_scenario(
    api: str,
    *,
    metadata: Mapping[str, Any],
    user_text: str,
    default_scenario: str,
    default_deltas: int | None,
) -> tuple[Scenario, int | None]:
    """The scenario a new conversation of ``api`` plays (see :mod:`harness.emulator.scenarios`)."""
    try:
        name, deltas = scenarios.select_by(
            metadata=[metadata],
            user_text=user_text,
            default_scenario=default_scenario,
            default_deltas=default_deltas,
        )
    except ValueError as exc:
        raise ApiError(
            400, f"Invalid '{scenarios.DELTAS_KEY}': expected an integer.", param="metadata"
        ) from exc
    playable = scenarios.API_SCENARIOS[api]
    if name not in playable:
        raise ApiError(
            400,
            f"Unknown emulator scenario '{name}' for this API. "
            f"Expected one of: {', '.join(sorted(playable))}.",
            param="metadata",
        )
    return scenarios.SCENARIOS[name], deltas


def play_without_stream(driver: ScriptDriver) -> list[Emission]:
    """Run the scenario to its next stop; an ``error`` event becomes the HTTP error it would be."""
    emitted = driver.drain()
    for emission in emitted:
        if emission.name == "error":
            data = json.loads(emission.data) if isinstance(emission.data, str) else emission.data
            error = data.get("error", data)
            raise ApiError(500, str(error.get("message")), type_="server_error")
    return emitted


def text_of(content: Any, text_types: tuple[str, ...]) -> str:
    """The text of a message ``content``: a string, or the parts whose type is in ``text_types``."""
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        return ""
    return " ".join(
        str(part.get("text", ""))
        for part in content
        if isinstance(part, dict) and part.get("type") in text_types
    )


def require_model(body: Mapping[str, Any]) -> str:
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise ApiError(
            400, "Missing required parameter: 'model'.", param="model", code="missing_required_parameter"
        )
    return model


def estimated_tokens(text: str) -> int:
    return 8 + len(text) // 4
