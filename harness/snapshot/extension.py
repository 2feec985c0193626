"""The syrupy extension behind the ``run_snapshot`` fixture.

A conversation (a :class:`~harness.reconstruct.Transcript`, or a ``RunCassette``)
is stored as readable text (:mod:`harness.snapshot.text`); anything else (dicts,
lists, pydantic models) as amber data with models written field by field
(:mod:`harness.snapshot.data`). Both replace volatile values by placeholders.
Snapshots live in ``__snapshots__/<test module>.runs``, apart from syrupy's own
``.ambr`` files, so the two extensions never rewrite each other's files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from syrupy.extensions.amber import AmberSnapshotExtension
from syrupy.types import PropertyMatcher, SerializableData

from harness.conversation.view import ConversationView
from harness.reconstruct import Transcript
from harness.replay.chunking_ids import chunking_of, without_chunking_id
from harness.snapshot.data import RunDataSerializer, normalizing_matcher, prepared_placeholders
from harness.snapshot.placeholders import Placeholders, TimestampStyle
from harness.snapshot.text import render_transcript

if TYPE_CHECKING:
    from syrupy.location import PyTestLocation
    from syrupy.types import SnapshotIndex

    from harness.protocols import FoldedTranscript


def _is_folded(value: Any) -> bool:
    """A transcript of any protocol's fold (:class:`harness.protocols.FoldedTranscript`)."""
    return isinstance(value, Transcript) or all(
        hasattr(value, name) for name in ("protocol", "event_names", "stream_starts", "to_dict")
    )


def as_transcript(data: Any) -> FoldedTranscript | None:
    """The conversation ``data`` stands for, if it is one."""
    if _is_folded(data):
        return cast("FoldedTranscript", data)
    transcript = getattr(type(data), "transcript", None)
    if isinstance(transcript, property):  # a RunCassette: snapshot its whole conversation
        value = data.transcript
        return cast("FoldedTranscript", value) if _is_folded(value) else None
    return None


class RunSnapshotExtension(AmberSnapshotExtension):
    """Run transcripts as text, other data as amber; timestamps as offsets (``<t+3s>``)."""

    file_extension = "runs"
    serializer_class = RunDataSerializer
    timestamps: TimestampStyle = "offset"

    def serialize(self, data: SerializableData, **kwargs: Any) -> str:
        """``kwargs``: syrupy's ``exclude``, ``include`` and ``matcher`` (plain data only)."""
        if isinstance(data, ConversationView):  # protocol-neutral: nothing volatile to replace
            return "\n".join(data.lines(limit=None))
        placeholders = Placeholders(self.timestamps)
        transcript = as_transcript(data)
        if transcript is not None:
            return render_transcript(transcript, placeholders)
        prepared_placeholders(data, placeholders)
        matcher: PropertyMatcher | None = kwargs.get("matcher")
        return self.serializer_class.serialize(
            data,
            exclude=kwargs.get("exclude"),
            include=kwargs.get("include"),
            matcher=normalizing_matcher(placeholders, matcher),
        )

    @classmethod
    def get_snapshot_name(cls, *, test_location: PyTestLocation, index: SnapshotIndex = 0) -> str:
        """syrupy's name without the chunking id: every chunking of a test compares with one snapshot."""
        name = super().get_snapshot_name(test_location=test_location, index=index)
        test_name = test_location.snapshot_name
        if not name.startswith(test_name):
            return name
        own = without_chunking_id(test_name, chunking_of(test_location.item))
        return own + name[len(test_name) :]


class MaskedTimestampsRunSnapshotExtension(RunSnapshotExtension):
    """Every timestamp as ``<timestamp>``: for recordings whose durations vary (a live API)."""

    timestamps: TimestampStyle = "mask"
