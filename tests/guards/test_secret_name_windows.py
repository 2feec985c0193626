"""A long text is searched for secret names a window at a time, with the answer of the whole.

The names are matched case-insensitively as Python folds case (the Kelvin sign is a k, a long s
an s, ß is ss): folding a 200 MB stream text at once copied it whole.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.cassette import secrets
from harness.cassette.secrets import REDACTED, secret_spans
from tests.guards.memory import peak_of

SECRET = "api_key=abcdefgh12345678"
WINDOW = 16


@pytest.fixture
def small_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(secrets, "_FOLD_WINDOW", WINDOW)


NAMES = ["api_key", "API_\u212aEY", "client_\u017fecret", "ACCESS_TOKEN", "Password"]


@pytest.mark.usefixtures("small_windows")
@pytest.mark.parametrize("start", range(WINDOW * 2 + 1))
@pytest.mark.parametrize("name", NAMES)
def test_a_name_across_any_window_edge_is_found(name: str, start: int) -> None:
    value = "abcdefgh12345678"
    text = " " * start + f"{name}={value}" + " " * (3 * WINDOW)
    assert len(text) > WINDOW
    spans = secret_spans(text)
    assert [(text[span.start : span.end], span.placeholder) for span in spans] == [(value, REDACTED)]


_LETTERS = st.sampled_from(
    ["a", "u", "t", "h", "k", "e", "y", "\u212a", "\u017f", "\u00df", "\ufb00", "\u0130", "K", "E", "Y", " "]
)


@settings(max_examples=300)
@given(st.lists(_LETTERS, min_size=WINDOW + 1, max_size=6 * WINDOW).map("".join))
def test_windows_answer_as_the_whole_text_folded(text: str) -> None:
    whole = any(part in text.casefold() for part in secrets._NAMED_WORD_PARTS)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(secrets, "_FOLD_WINDOW", WINDOW)
        assert secrets._holds_word_part(text) is whole


def test_a_long_text_is_not_copied_to_be_searched() -> None:
    text = "x" * (24 << 20) + " " + SECRET
    spans, peak = peak_of(lambda: secret_spans(text))
    assert [text[span.start : span.end] for span in spans] == ["abcdefgh12345678"]
    assert peak < len(text) // 4  # a window's fold, not the text's: folding it whole cost 1x
