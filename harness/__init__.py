"""pytest-run-harness: record, replay, reconstruct and snapshot OpenAI Assistants run streams."""

from typing import TYPE_CHECKING

from harness.cassette import Cassette, load_cassette, save_cassette
from harness.errors import CassetteError, HarnessError, SecretLeakError, UnmatchedRequestError
from harness.playback.context import use_cassette
from harness.reconstruct.transcript import Transcript
from harness.replay.faults import CutAfter, DelayBefore, DisconnectAfter, HTTPError
from harness.scrub import ScrubRules
from harness.sse import ServerSentEvent, encode_events, parse_sse

if TYPE_CHECKING:
    from harness.reconstruct.fold import reconstruct
else:  # the package itself, callable as the function (see harness.reconstruct)
    import harness.reconstruct as reconstruct

__all__ = [
    "Cassette",
    "CassetteError",
    "CutAfter",
    "DelayBefore",
    "DisconnectAfter",
    "HTTPError",
    "HarnessError",
    "ScrubRules",
    "SecretLeakError",
    "ServerSentEvent",
    "Transcript",
    "UnmatchedRequestError",
    "encode_events",
    "load_cassette",
    "parse_sse",
    "reconstruct",
    "save_cassette",
    "use_cassette",
]
