"""Text printed a batch at a time is scrubbed exactly as if it were scrubbed whole: no secret
straddling the place where two batches meet gets through."""

from __future__ import annotations

import contextlib
import io
import itertools
import json
from pathlib import Path

from harness.cli import main
from harness.cli.render_text import render_text
from harness.cli.scrubbed_output import write_scrubbed
from harness.protocols.mixed import fold_bodies
from harness.scrub import scrub_message
from harness.sse import parse_sse

# how lines can end just before a secret's value (the patterns whose `\s` crosses a line break)
ENDINGS = [
    "Authorization:",
    "Authorization: Bearer",
    "header Bearer",
    'api_key = "',
    "api_key=\\",
    "x-api-key \t",
    "password:basic",
    "Cookie",
    "refresh_token :",
    "see https://user:hunter22secret@example.com/v1?api-key=abcdefgh12345678",
    "plain",
]
# how the next line can go on: a value, a separator first, a timeline line (starting "  #")
STARTS = [
    "abcdefgh12345678",
    "   qwertyuiop123456",
    ": zxcvbnm987654321",
    "= 'abcdefgh12345678'",
    "Bearer abcdefgh12345678xyz",
    '  #3 thread.message.delta msg_1 +"abcdefgh12345678"',
    "  #abcdefgh12345678",
    "\t#sk-test-abcdefghijklmnopqrstuvwx",
    "#12 thread.run.created run_1 queued",
    "",
]
LINES = [f"{text}\n" for text in ENDINGS + STARTS]


def _written(pieces: list[str], batch_chars: int) -> str:
    out: list[str] = []
    write_scrubbed(pieces, out.append, batch_chars=batch_chars)
    return "".join(out)


def test_every_cut_it_makes_leaves_the_text_as_if_scrubbed_whole() -> None:
    """Three lines of every kind in every order, cut wherever the writer may cut (a batch of one
    character): the output is the whole text scrubbed, so no secret across a cut got through."""
    for lines in itertools.product(LINES, repeat=3):
        pieces = list(lines)
        assert _written(pieces, 1) == scrub_message("".join(pieces)), pieces


def test_a_value_on_the_line_after_its_name_is_scrubbed_though_lines_come_one_by_one() -> None:
    """Scrubbed line by line, the value would get through (its name is on the line before); the
    writer does not cut there."""
    pieces = ["x" * 100 + " Authorization:\n", "  abcdefgh12345678\n", "  #1 thread.run.created\n"]
    assert "abcdefgh12345678" in "".join(scrub_message(piece) for piece in pieces)
    written = _written(pieces, 1)
    assert "abcdefgh12345678" not in written
    assert written == scrub_message("".join(pieces))


def test_a_long_text_is_written_in_batches_each_scrubbed() -> None:
    lines = [f'  #{n} thread.message.delta +"sk-test-{n:024d}"\n' for n in range(5_000)]
    out: list[str] = []
    write_scrubbed(lines, out.append, batch_chars=4096)
    assert len(out) > 10
    assert "".join(out) == scrub_message("".join(lines))
    assert "sk-test-" not in "".join(out)


def _delta(number: int) -> str:
    # a preview ends after 40 characters: the key starts at once, so every line shows 16+ of its characters
    text = f"sk-test-{number:08d}abcdefghijklmnop and more text"
    data = {"id": f"msg_{number % 3}", "delta": {"content": [{"index": 0, "text": {"value": text}}]}}
    return f"event: thread.message.delta\ndata: {json.dumps(data)}\n\n"


def test_inspect_prints_a_long_timeline_scrubbed_as_it_was_scrubbed_whole(tmp_path: Path) -> None:
    """Thousands of events, each showing a key, cut into many batches on the way out: the output is
    what the whole timeline scrubbed at once was, and no key is in it."""
    body = "".join(_delta(number) for number in range(6_000)) + "event: done\ndata: [DONE]\n\n"
    path = tmp_path / "keys.sse"
    path.write_text(body)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["inspect", str(path), "--format", "text"]) == 0
    printed = out.getvalue()
    expected = scrub_message(render_text(fold_bodies([parse_sse(body.encode())], views=True)))
    assert printed == expected
    assert len(printed) > 5 * 65536
    assert "sk-test-0" not in printed and "sk-REDACTED" in printed
