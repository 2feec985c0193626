"""The guard modules and the tests that may cover them (coverage then narrows each line to its tests).

Paths that do not exist (a module not landed yet, a test folder moved) are skipped with a note, so
the table can name modules before they land.
"""

from __future__ import annotations

_PLAYBACK = ["tests/playback/test_secrets.py", "tests/playback/test_split_secrets.py"]
_SECRETS = [*_PLAYBACK, "tests/cli/test_scrub.py", "tests/reliability/test_planted_secrets.py"]
_SECRETS += ["tests/reliability/test_secret_rules.py", "tests/reliability/test_secret_properties.py"]
_SECRETS += ["tests/playback/test_split_secrets_new_protocols.py", "tests/guards"]
_SSE = ["tests/sse", "tests/fuzz/test_fuzz.py", "tests/protocols", "tests/guards"]
_RECONSTRUCT = ["tests/reconstruct", "tests/snapshot", "tests/protocols", "tests/guards"]
_MATCHING = ["tests/playback/test_matching_and_modes.py", "tests/playback/test_miss_diff.py", "tests/serve"]
_MATCHING += ["tests/guards"]
_CHUNKING = ["tests/playback/test_replay_plan.py", "tests/plugin/test_chunkings.py", "tests/guards"]
_FORMATS = ["tests/cassette_formats", "tests/cassette", "tests/guards"]
# the stream vocabularies also tell the scrubber which strings arrive in pieces
_VOCABULARY = [*_RECONSTRUCT, "tests/playback/test_split_secrets_new_protocols.py"]

GUARDS: dict[str, list[str]] = {
    "harness/scrub.py": _SECRETS,
    "harness/scrub_fragments.py": _SECRETS,
    "harness/cassette/secrets.py": _SECRETS,
    "harness/sse/decoder.py": _SSE,
    "harness/reconstruct/fold.py": _RECONSTRUCT,
    "harness/protocols/assistants.py": _RECONSTRUCT,
    "harness/reconstruct/merge.py": _RECONSTRUCT,
    "harness/matching.py": _MATCHING,
    "harness/replay/chunking.py": _CHUNKING,
    "harness/cassette/formats/native.py": _FORMATS,
    "harness/cassette/formats/event_lists.py": _FORMATS,
    "harness/cassette/atomic.py": [*_FORMATS, "tests/reliability/test_claimed_paths.py"],
    "harness/protocols/responses_fold.py": _RECONSTRUCT,
    "harness/protocols/chat_fold.py": _RECONSTRUCT,
    "harness/protocols/fold_support.py": _RECONSTRUCT,
    "harness/protocols/responses_vocabulary.py": _VOCABULARY,
    "harness/protocols/chat_vocabulary.py": _VOCABULARY,
}
