"""Where cassettes go: beside the test module, one per test (and per parametrized case), or shared."""

from __future__ import annotations

import pytest

from harness.pytest_plugin.naming import sanitize
from harness.replay.chunking_ids import legacy_without_chunking_id, without_chunking_id
from tests.plugin.conftest import cassettes

NAMING_TESTS = """
import pytest

@pytest.mark.run_cassette
def test_plain(converse):
    converse()

@pytest.mark.run_cassette
@pytest.mark.parametrize("city", ["Paris", "São Paulo/BR"])
def test_cities(converse, city):
    converse(f"Weather in {city}?")

@pytest.mark.run_cassette
class TestGroup:
    def test_in_class(self, converse):
        converse()

    @pytest.mark.run_cassette("shared_conversation")
    def test_shared_a(self, converse):
        converse()

@pytest.mark.run_cassette(name="shared_conversation")
def test_shared_b(converse):
    converse()
"""


def test_cassettes_are_named_after_module_class_test_and_parameters(project: pytest.Pytester) -> None:
    project.mkpydir("pkg")
    project.path.joinpath("pkg", "test_names.py").write_text(NAMING_TESTS)

    project.runpytest().assert_outcomes(passed=6)

    assert cassettes(project) == [
        "pkg/cassettes/test_names/TestGroup.test_in_class.json",
        "pkg/cassettes/test_names/shared_conversation.json",
        "pkg/cassettes/test_names/test_cities[Paris].json",
        "pkg/cassettes/test_names/test_cities[S-xe3o Paulo-BR].json",  # pytest's id escapes non-ASCII
        "pkg/cassettes/test_names/test_plain.json",
    ]


def test_a_shared_name_replays_for_every_test_that_uses_it(project: pytest.Pytester) -> None:
    project.makepyfile(test_shared=NAMING_TESTS)
    project.runpytest().assert_outcomes(passed=6)

    project.runpytest("--run-record-mode=none").assert_outcomes(passed=6)


def test_cassette_dir_option_and_config_fixture(project: pytest.Pytester) -> None:
    project.makepyfile(
        test_dirs="""
        import pytest

        @pytest.mark.run_cassette
        def test_default(converse):
            converse()
    """,
        test_configured="""
        import pytest

        @pytest.fixture
        def run_cassette_config():
            return {"cassette_dir": "recordings"}

        @pytest.mark.run_cassette
        def test_configured(converse):
            converse()
    """,
    )

    project.runpytest("--run-cassette-dir=central").assert_outcomes(passed=2)

    assert cassettes(project) == [
        "central/test_dirs/test_default.json",
        "recordings/test_configured/test_configured.json",
    ]


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("test_x[a/b]", "test_x[a-b]"),
        ('t[1:2|"q"]', "t[1-2--q-]"),
        ("t[é ü]", "t[é ü]"),
    ],
)
def test_names_are_made_safe_for_file_systems(name: str, safe: str) -> None:
    assert sanitize(name) == safe


@pytest.mark.parametrize(
    ("name", "chunking", "named"),
    [
        ("test_x[chunking=byte]", "byte", "test_x"),
        ("test_x[chunking=byte-a]", "byte", "test_x[a]"),
        ("test_x[a-chunking=byte]", "byte", "test_x[a]"),
        ("test_x[a-chunking=byte-b]", "byte", "test_x[a-b]"),
        ("test_x[chunking=byte--1]", "byte", "test_x[-1]"),
        ("test_x[-1-chunking=byte]", "byte", "test_x[-1]"),
        ("test_x[chunking=byte-a-b--1]", "byte", "test_x[a-b--1]"),
        ("test_x[chunking=random:5---]", "random:5", "test_x[--]"),
        ("Group.test_x[chunking=whole--a-]", "whole", "Group.test_x[-a-]"),
        ("test_x[a]b-chunking=byte]", "byte", "test_x[a]b]"),
        ("test_x[chunking=byte-]x]", "byte", "test_x[]x]"),
        ("test_x[-1]", None, "test_x[-1]"),
        ("test_x[-chunking=byte]", None, "test_x[-chunking=byte]"),
        ("test_x[chunking=bytes]", "byte", "test_x[chunking=bytes]"),
        ("test_x[xchunking=byte]", "byte", "test_x[xchunking=byte]"),
        ("test_x", "byte", "test_x"),
    ],
)
def test_only_the_chunking_id_and_its_separator_leave_a_name(
    name: str, chunking: str | None, named: str
) -> None:
    assert without_chunking_id(name, chunking) == named


def test_the_legacy_rule_is_the_one_that_merged_negative_ids() -> None:
    assert legacy_without_chunking_id("test_x[-1]") == "test_x[1]"
    assert legacy_without_chunking_id("test_x[chunking=byte--1]") == "test_x[1]"
    assert legacy_without_chunking_id("test_x[chunking=byte-a]") == "test_x[a]"
