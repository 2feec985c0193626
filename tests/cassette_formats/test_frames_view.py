"""A stream's frames as a view of its body: the same answers as the list of bytes it replaces."""

from __future__ import annotations

import copy

import pytest

from harness.cassette.frames import Frames, body_of, frame_ends, offsets
from harness.cassette.model import RecordedStream

LISTED = [b"event: a\ndata: 1\n\n", b"", b": comment\n\nevent: b\ndata: 22\n\n", b"tail"]


def _view() -> Frames:
    return Frames.of(LISTED)


def test_the_view_indexes_slices_and_iterates_as_the_list_does() -> None:
    view = _view()
    assert len(view) == 4
    assert list(view) == LISTED
    assert [view[n] for n in range(-4, 4)] == LISTED + LISTED
    for part in (slice(None), slice(1, 3), slice(None, None, -1), slice(-2, None), slice(5, 9)):
        assert view[part] == LISTED[part]
    with pytest.raises(IndexError):
        view[4]
    with pytest.raises(IndexError):
        view[-5]
    assert view.body == b"".join(LISTED)
    assert list(view.ends) == [18, 18, 48, 52]


def test_the_view_equals_lists_tuples_and_views_of_the_same_bytes_only() -> None:
    view = _view()
    assert view == LISTED and view == tuple(LISTED) and view == _view()
    assert list(LISTED) == view  # the list asks the view: the reflected comparison
    assert view != LISTED[:-1] and view != [*LISTED[:-1], b"tall"]
    assert view != Frames(b"".join(LISTED), offsets([52]))  # the same body cut otherwise
    assert view != b"".join(LISTED)
    with pytest.raises(TypeError):
        hash(view)


def test_a_view_whose_last_frame_does_not_end_the_body_is_refused() -> None:
    with pytest.raises(ValueError, match="ends at 3, not at 4"):
        Frames(b"abcd", offsets([1, 3]))
    with pytest.raises(ValueError, match="ends at 0, not at 1"):
        Frames(b"a", offsets([]))
    assert list(Frames(b"", offsets([]))) == []


def test_body_and_ends_come_from_the_view_without_a_copy_and_from_a_list_computed() -> None:
    view = _view()
    assert body_of(view) is view.body
    assert frame_ends(view) is view.ends
    assert body_of(LISTED) == view.body
    assert list(frame_ends(LISTED)) == list(view.ends)
    assert Frames.of(view) is view
    assert copy.deepcopy(view) is view and copy.copy(view) is view


def test_a_stream_from_its_body_holds_a_view_and_its_events_follow_replaced_frames() -> None:
    stream = RecordedStream.from_body(b"".join(LISTED))
    assert isinstance(stream.frames, Frames)
    assert stream.frames == [LISTED[0], LISTED[2], LISTED[3]]  # an empty frame holds no bytes
    assert [event.event for event in stream.events()] == ["a", "b"]
    stream.frames = [b"event: c\ndata: 3\n\n"]  # code that edits frames assigns a list
    assert stream.body == b"event: c\ndata: 3\n\n"
    assert [event.event for event in stream.events()] == ["c"]
    assert [event.event for event in stream.iter_events()] == ["c"]
    stream.frames = Frames.of([b"event: d\ndata: 4\n\n"])
    assert [event.event for event in stream.iter_events()] == ["d"]
    assert stream.body == b"event: d\ndata: 4\n\n"
