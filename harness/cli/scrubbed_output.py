"""Printing a long text with every secret scrubbed, a batch at a time instead of whole.

:func:`write_scrubbed` joins pieces of text (whole lines) into batches of about
:data:`BATCH_CHARS` characters, scrubs each batch with ``scrub_message`` and writes it. A batch
is only cut where no secret can straddle the cut, so the output is the text scrubbed whole, byte
for byte.

Where a cut is safe. ``scrub_message`` with the default rules and no known secrets (what the
commands printing a stream use) replaces the matches of ``harness.cassette.secrets``: the key
(``sk-...``) and JWT patterns, which hold no whitespace; the ``Bearer`` pattern; the "secret's
name, then its value" pattern; and first the URLs in the text (``scheme://`` and no whitespace).
The only part of any of them matching a newline is ``\\s`` (``Bearer\\s+``, ``name\\s*[:=]\\s*``,
``basic\\s+`` / ``bearer\\s+``), and no match ends in whitespace (each ends with the secret, a run of
key characters). After each such run the pattern wants ``:``, ``=``, a backslash, a quote, the
``b`` of ``basic``/``bearer`` or a key character (letters, digits, ``._~+/=%-``), never ``#``. So a
match holding a newline cannot go on past whitespace then ``#``: a cut right after a newline and
before a piece whose first character other than whitespace is ``#`` (every timeline line, which
starts ``"  #"``) is crossed by no match. Nor does a cut change what the patterns see on either
side: their look-behinds (not after a letter or digit, ``\\b``) read a newline as they read the
start of a text, and their look-ahead (``(?!REDACTED\\b)``) comes before a key character the match
needs anyway. ``tests/cli/test_scrubbed_output.py`` checks this against the patterns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

BATCH_CHARS = 1 << 16


def safe_cut(before: str, after: str) -> bool:
    """Whether no secret can straddle the end of ``before`` and the start of ``after`` (see above)."""
    return before.endswith("\n") and after.lstrip()[:1] == "#"


def write_scrubbed(
    pieces: Iterable[str], write: Callable[[str], object], *, batch_chars: int = BATCH_CHARS
) -> None:
    """``write(scrub_message("".join(pieces)))``, a batch of at least ``batch_chars`` characters at a
    time (or the rest), cut only where :func:`safe_cut` allows."""
    from harness.scrub import scrub_message

    pending: list[str] = []
    size = 0
    for piece in pieces:
        if pending and size >= batch_chars and safe_cut(pending[-1], piece):
            write(scrub_message("".join(pending)))
            pending.clear()
            size = 0
        pending.append(piece)
        size += len(piece)
    write(scrub_message("".join(pending)))
