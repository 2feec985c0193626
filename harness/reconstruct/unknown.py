"""Fields and types the models do not know, found in the final runs, steps, messages and threads.

Checked once on the final objects rather than on every event, so the fold stays
fast; everything is kept as sent either way, this only says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from harness.diagnostics import Diagnostic


def unknown_in_final_objects(kinds: Sequence[tuple[str, Sequence[dict[str, Any]]]]) -> list[Diagnostic]:
    from harness.models import Message, Run, RunStep, Thread
    from harness.models.conformance import reference_deviations, unknown_fields

    models: dict[str, Any] = {"run": Run, "run step": RunStep, "message": Message, "thread": Thread}
    found: list[Diagnostic] = []
    for kind, objects in kinds:
        for data in objects:
            try:
                model = models[kind].model_validate(data)
            except Exception:  # the models are lenient; should one still refuse, reconstruction goes on
                continue
            owner = f"{kind} {data.get('id')}"
            for path in unknown_fields(model):
                found.append(
                    Diagnostic(
                        "unknown-field", f"{owner}: {path!r} is not a known field; kept as sent", path=path
                    )
                )
            found.extend(
                Diagnostic(d.code, f"{owner}: {d.message}", path=d.path)
                for d in reference_deviations(model)
                if d.code == "unknown-type"
            )
    return found
