"""``harness import`` holds one file's bytes and text and a batch of exchanges, not the cassettes it writes.

Each file is read an exchange at a time, its exchanges scrubbed, checked for secrets and written
to a spool in small batches, and each file of a folder written before the next is read
(``tracemalloc`` counts, so the bounds hold on any machine and under any load).
"""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import pytest

from harness.cassette.load import load_cassette
from harness.cli import main
from tests.guards.memory import peak_memory
from tests.guards.test_bounded_memory import _many_entries_har

ENTRIES = 3_000
FILES = 3
# A fixed cost: an event's name is interned as it is decoded and let go with its exchange, so now
# and then the interpreter rebuilds its table of interned strings (about 1 MB, two while rebuilt).
TABLE = 2 << 20


def _import(inputs: list[Path], target: list[str]) -> int:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main(["import", *map(str, inputs), *target, "--force"])


@pytest.mark.parametrize(
    "mode",
    [
        # a file's bytes and text while decoded, no file's exchanges kept while the next is read:
        # 2.0 to 3.7 with the table (9.9 when every file's exchanges were held; 3.6 for one file)
        "--out-dir",
        # the same, merged into one cassette spooled as it is read (9.9 when held)
        "--cassette",
    ],
    ids=["folder", "folder-merged"],
)
def test_importing_hars_of_many_entries_holds_one_file_not_the_exchanges_it_writes(
    mode: str, tmp_path: Path
) -> None:
    folder = tmp_path / "hars"
    folder.mkdir()
    _many_entries_har(folder / "h0.har", ENTRIES)
    for number in range(1, FILES):
        shutil.copy(folder / "h0.har", folder / f"h{number}.har")
    size = (folder / "h0.har").stat().st_size
    out = tmp_path / ("out" if mode == "--out-dir" else "merged.json")
    assert _import([folder], [mode, str(out)]) == 0  # the modules an import needs are not the file's cost
    peak = peak_memory(lambda: _import([folder], [mode, str(out)]))
    written = (
        [load_cassette(path) for path in sorted(out.iterdir())] if out.is_dir() else [load_cassette(out)]
    )
    assert [len(cassette.exchanges) for cassette in written] == (
        [ENTRIES] * FILES if mode == "--out-dir" else [ENTRIES * FILES]
    )
    assert peak <= 2.2 * size + TABLE, f"{peak / size:.2f} times one file"
