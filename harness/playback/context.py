"""``harness.use_cassette``: record and replay run streams, in the spirit of ``vcr.use_cassette``."""

from __future__ import annotations

import contextlib
import functools
import inspect
from collections.abc import AsyncIterator, Callable, Generator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar, cast

from harness.http.guard import LOOPBACK, blocked_network
from harness.matching import DEFAULT_MATCH_ON, Matcher, resolve_matchers
from harness.options import default_record_mode, offline_reason, offline_test
from harness.playback.cassette import RunCassette
from harness.playback.options import CassetteOptions
from harness.playback.patches import transport_patches
from harness.replay.chunking import Chunking
from harness.replay.faults import Fault
from harness.replay.options import ReplayOptions
from harness.scrub import ScrubRules

Function = TypeVar("Function", bound=Callable[..., Any])


def _skipped(error: BaseException | None) -> bool:
    """pytest's skip (and xfail) outcomes: the test did not fail."""
    return error is not None and type(error).__module__.startswith("_pytest")


def _restore(owner: Any, attribute: str, original: object) -> None:
    """Put back a patched method (or remove the stub when the method was inherited)."""
    if original is None:
        delattr(owner, attribute)
    else:
        setattr(owner, attribute, original)


class CassetteContext:
    """What :func:`use_cassette` returns: ``with`` it for the active :class:`RunCassette`, or
    decorate a function (sync, async, generator). Each activation loads the file afresh; the
    patches come off even when saving raises (a refused secret, unplayed exchanges)."""

    def __init__(
        self,
        path: str | Path,
        options: CassetteOptions,
        *,
        patch: bool = True,
        matchers: list[tuple[str, Matcher]] | None = None,
    ) -> None:
        """``matchers``: ``options``' matchers resolved already (:func:`use_cassette` checks them)."""
        self.path = path if isinstance(path, Path) else Path(path)
        self.options = options
        self.patch = patch
        self._matchers = matchers
        self._active: list[tuple[RunCassette, contextlib.ExitStack]] = []

    def __enter__(self) -> RunCassette:
        cassette = RunCassette(self.path, self.options, matchers=self._matchers)
        cassette.load()
        stack = contextlib.ExitStack()
        try:
            test_id = offline_test()
            if test_id is not None:
                stack.enter_context(blocked_network((LOOPBACK,), offline_reason(test_id)))
            for owner, attribute, stub in transport_patches(cassette) if self.patch else ():
                stack.callback(_restore, owner, attribute, owner.__dict__.get(attribute))
                setattr(owner, attribute, stub)
        except BaseException:
            stack.close()
            raise
        self._active.append((cassette, stack))
        return cassette

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        cassette, stack = self._active.pop()
        with stack:
            cassette.close(failed=exc is not None and not _skipped(exc))

    def __call__(self, function: Function) -> Function:
        if inspect.isasyncgenfunction(function):

            @functools.wraps(function)
            async def async_generator(*args: Any, **kwargs: Any) -> AsyncIterator[Any]:
                with self:
                    async for item in function(*args, **kwargs):
                        yield item

            return cast(Function, async_generator)
        if inspect.iscoroutinefunction(function):

            @functools.wraps(function)
            async def coroutine(*args: Any, **kwargs: Any) -> Any:
                with self:
                    return await function(*args, **kwargs)

            return cast(Function, coroutine)
        if inspect.isgeneratorfunction(function):

            @functools.wraps(function)
            def generator(*args: Any, **kwargs: Any) -> Generator[Any, Any, Any]:
                with self:
                    result = yield from function(*args, **kwargs)
                return result

            return cast(Function, generator)

        @functools.wraps(function)
        def plain(*args: Any, **kwargs: Any) -> Any:
            with self:
                return function(*args, **kwargs)

        return cast(Function, plain)


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
    patch: bool = True,
) -> CassetteContext:
    """A context manager and decorator (sync, async, generators) that records every
    HTTP exchange made through httpx or httpx2 to ``path`` and replays it later.

    ``record_mode``: ``none | once | new_episodes | all`` as in vcrpy (``all`` records afresh
    and replaces the file only when the block ends without an error); defaults to ``none``
    when a CI environment variable is set, else ``once``. Inside a pytest test under CI whose
    command line does not ask for recording, only loopback is reachable (a server the test
    started, such as the emulator, may still be recorded from; nothing else can be).
    ``chunking``: ``recorded | event | byte | whole | random[:SEED]``; ``speed``: 0
    replays instantly, 1.0 as recorded; ``faults``: see :mod:`harness.replay.faults`.
    ``with use_cassette(...) as cassette`` gives the :class:`RunCassette`; a client may also
    take ``cassette.transport()`` (``httpx2.Client(transport=cassette.transport())``), and with
    ``patch=False`` only such clients use the cassette (httpx and httpx2 are left unpatched).
    """
    options = CassetteOptions(
        record_mode=default_record_mode(record_mode),
        match_on=tuple(match_on),
        ignore_body_fields=tuple(ignore_body_fields),
        replay=ReplayOptions.of(chunking, speed, faults),
        scrub=scrub or ScrubRules(),
        allow_playback_repeats=allow_playback_repeats,
        fail_on_unplayed=fail_on_unplayed,
    )
    matchers = resolve_matchers(options.match_on, options.ignore_body_fields)  # fails early on a bad name
    return CassetteContext(path, options, patch=patch, matchers=matchers)
