"""A stream body cut into its events without a Python object per event.

A stream of millions of tiny events held as one ``bytes`` per event costs about twice the body
again in object headers; :class:`Frames` keeps the body once and where each event ends (an
``array`` of offsets, 8 bytes an event) and cuts an event's bytes when it is asked for.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate
from typing import overload

OFFSET_TYPECODE = "q"


def offsets(ends: Iterable[int]) -> array[int]:
    return array(OFFSET_TYPECODE, ends)


class Frames(Sequence[bytes]):
    """Read-only: ``frames[i]`` is the bytes of event ``i``, ``b"".join(frames) == frames.body``.

    ``ends[i]`` is the offset in ``body`` where event ``i`` ends; the last end is ``len(body)``.
    Equal to any sequence of the same bytes (a list of frames compares equal to its view).
    """

    __slots__ = ("_body", "_ends")

    def __init__(self, body: bytes, ends: array[int]) -> None:
        if (ends[-1] if ends else 0) != len(body):
            raise ValueError(f"the last frame ends at {ends[-1] if ends else 0}, not at {len(body)}")
        self._body = body
        # one frame, the whole body (most streams of a file of many small ones): no array kept
        self._ends: array[int] | None = None if len(ends) == 1 else ends

    @classmethod
    def of(cls, frames: Iterable[bytes]) -> Frames:
        """The view of a list of frames (their bytes joined once)."""
        if isinstance(frames, Frames):
            return frames
        listed = list(frames)
        return cls(b"".join(listed), offsets(accumulate(len(frame) for frame in listed)))

    @property
    def body(self) -> bytes:
        return self._body

    @property
    def ends(self) -> array[int]:
        """Where each frame ends in :attr:`body` (do not change it)."""
        ends = self._ends
        return offsets((len(self._body),)) if ends is None else ends

    def __len__(self) -> int:
        return 1 if self._ends is None else len(self._ends)

    @overload
    def __getitem__(self, index: int) -> bytes: ...

    @overload
    def __getitem__(self, index: slice) -> list[bytes]: ...

    def __getitem__(self, index: int | slice) -> bytes | list[bytes]:
        if isinstance(index, slice):
            return [self[number] for number in range(*index.indices(len(self)))]
        ends = self.ends
        end = ends[index]  # raises IndexError as a list does
        number = index + len(ends) if index < 0 else index
        return self._body[ends[number - 1] if number else 0 : end]

    def __iter__(self) -> Iterator[bytes]:
        if self._ends is None:
            yield self._body
            return
        body, start = self._body, 0
        for end in self._ends:
            yield body[start:end]
            start = end

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Frames):
            return self.ends == other.ends and self._body == other._body
        if isinstance(other, (list, tuple)):
            return len(other) == len(self) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to lists, which are not hashable

    def __copy__(self) -> Frames:
        return self  # immutable, like the bytes it holds

    def __deepcopy__(self, memo: dict[int, object]) -> Frames:
        return self

    def __repr__(self) -> str:
        return f"Frames({len(self)} frames, {len(self._body)} bytes)"


def body_of(frames: Sequence[bytes]) -> bytes:
    """The body the frames cut, without a copy when they are a view."""
    return frames.body if isinstance(frames, Frames) else b"".join(frames)


def frame_ends(frames: Sequence[bytes]) -> Sequence[int]:
    """Where each frame ends in the body, without a new list when they are a view."""
    return frames.ends if isinstance(frames, Frames) else list(accumulate(len(frame) for frame in frames))


def encoded_texts(texts: Sequence[str]) -> tuple[bytes, list[int]]:
    """Frames given as text, UTF-8 encoded in one call: their bytes joined, and each one's length in
    bytes (its length in characters when all are ASCII). Raises as ``str.join`` and ``str.encode``
    do: TypeError for a value that is not text, UnicodeEncodeError for a lone surrogate."""
    text = "".join(texts)
    joined = text.encode("utf-8")
    if len(joined) == len(text):
        return joined, [len(frame) for frame in texts]
    return joined, [len(frame.encode("utf-8")) for frame in texts]
