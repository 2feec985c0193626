"""Parsing JSON text from a cassette file, with errors that name the file and the place."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from harness.errors import CassetteError


def parse_json_text(text: str, path: str | Path | None) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CassetteError(
            path, f"invalid JSON: {error.msg}", location=f"line {error.lineno}, column {error.colno}"
        ) from None
    except RecursionError:
        raise CassetteError(path, "invalid JSON: nested too deeply") from None
