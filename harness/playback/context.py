"""``harness.use_cassette``: record and replay run streams, in the spirit of ``vcr.use_cassette``."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar
from unittest import mock

from vcr.cassette import CassetteContextDecorator

from harness.matching import DEFAULT_MATCH_ON, Matcher, resolve_matchers
from harness.options import default_record_mode
from harness.playback.cassette import RunCassette
from harness.playback.options import CassetteOptions
from harness.replay.chunking import Chunking
from harness.replay.faults import Fault
from harness.replay.options import ReplayOptions
from harness.scrub import ScrubRules

Function = TypeVar("Function", bound=Callable[..., Any])


class CassetteContext(Protocol):
    """What :func:`use_cassette` returns: ``with`` it for the active cassette, or decorate."""

    def __enter__(self) -> RunCassette: ...

    def __exit__(self, *exc_info: object) -> None: ...

    def __call__(self, function: Function) -> Function: ...


_FINISH = "_CassetteContextDecorator__finish"  # vcrpy's private unpatch generator


class _RunCassetteContext(CassetteContextDecorator):  # type: ignore[misc]
    """vcrpy's context with the harness's own patches, which come off even when saving raises
    (a refused secret, unplayed exchanges): otherwise later requests would still go to this
    cassette."""

    def _patch_generator(self, cassette: RunCassette) -> Iterator[RunCassette]:
        # Only our httpx/httpx2 stubs, not vcrpy's patchers for every library it knows: those would
        # record other libraries' exchanges in vcrpy's own format (and cost each test a millisecond).
        with contextlib.ExitStack() as stack:
            for owner, attribute, stub in cassette.transport_patches():
                stack.enter_context(mock.patch.object(owner, attribute, stub))
            yield cassette

    def __exit__(self, *exc_info: object) -> None:
        try:
            super().__exit__(*exc_info)
        except BaseException:
            finish = getattr(self, _FINISH)
            setattr(self, _FINISH, None)
            if finish is not None:
                next(finish, None)
            raise


def use_cassette(
    path: str | Path,
    *,
    record_mode: str | None = None,
    chunking: str | Chunking = "recorded",
    speed: float = 0.0,
    faults: Sequence[Fault] = (),
    match_on: Sequence[str | Matcher] = DEFAULT_MATCH_ON,
    ignore_body_fields: Sequence[str] = (),
    scrub: ScrubRules | None = None,
    allow_playback_repeats: bool = False,
    fail_on_unplayed: bool = False,
) -> CassetteContext:
    """A context manager and decorator (sync, async, generators) that records every
    HTTP exchange made through httpx or httpx2 to ``path`` and replays it later.

    ``record_mode``: ``none | once | new_episodes | all`` as in vcrpy; defaults to
    ``none`` when the ``CI`` environment variable is set, else ``once``.
    ``chunking``: ``recorded | event | byte | whole | random[:SEED]``; ``speed``: 0
    replays instantly, 1.0 as recorded; ``faults``: see :mod:`harness.replay.faults`.
    ``with use_cassette(...) as cassette`` gives the :class:`RunCassette`.
    """
    options = CassetteOptions(
        record_mode=default_record_mode(record_mode),
        match_on=tuple(match_on),
        ignore_body_fields=tuple(ignore_body_fields),
        replay=ReplayOptions(Chunking.parse(chunking), float(speed), tuple(faults)),
        scrub=scrub or ScrubRules(),
        allow_playback_repeats=allow_playback_repeats,
        fail_on_unplayed=fail_on_unplayed,
    )
    resolve_matchers(options.match_on, options.ignore_body_fields)  # fail early on a bad matcher name
    context: CassetteContext = _RunCassetteContext.from_args(RunCassette, path=str(path), options=options)
    return context
