"""The ``thread`` object of a ``thread.created`` event (create-thread-and-run streams)."""

from __future__ import annotations

from harness.models._base import HarnessModel
from harness.models.common import Metadata, ToolResources


class Thread(HarnessModel):
    """A thread. assistants=v1 threads have no ``tool_resources``."""

    id: str | None = None
    object: str | None = None
    created_at: int | None = None
    metadata: Metadata | None = None
    tool_resources: ToolResources | None = None
