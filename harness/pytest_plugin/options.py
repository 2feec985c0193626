"""Command-line and ini options of the plugin, resolved once per session."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness import options
from harness.options import RECORD_MODES, running_in_ci
from harness.replay.chunking import STRATEGIES

GROUP = "run-harness"
ALL_CHUNKINGS = "all"
# What ``--run-replay-chunking=all`` runs each cassette test under; the first one records.
REGRESSION_CHUNKINGS = ("recorded", "event", "byte", "random", "whole")
TIMESTAMP_STYLES = ("offset", "mask")


def chunking_choice(value: str) -> str:
    if value == ALL_CHUNKINGS:
        return value
    try:
        return str(options.chunking(value))
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def speed_choice(value: str) -> float:
    try:
        return options.speed(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup(GROUP, "run-harness: record and replay OpenAI Assistants run streams")
    group.addoption(
        "--run-record-mode",
        choices=RECORD_MODES,
        default=None,
        help="Record mode of run cassettes (ini: run_record_mode). Default: 'once', or 'none' when the "
        "CI environment variable is set. In CI only this option can turn recording on.",
    )
    group.addoption(
        "--run-replay-chunking",
        type=chunking_choice,
        default=None,
        metavar="CHUNKING",
        help=f"How replayed streams are cut into reads: {' | '.join(STRATEGIES)} (random:SEED), or "
        "'all' to run every cassette test once per chunking (parser regression mode). "
        "ini: run_replay_chunking.",
    )
    group.addoption(
        "--run-replay-speed",
        type=speed_choice,
        default=None,
        metavar="FACTOR",
        help="0 replays instantly (default), 1.0 at the recorded pace. ini: run_replay_speed.",
    )
    group.addoption(
        "--run-cassette-dir",
        default=None,
        metavar="DIR",
        help="Directory holding one cassette folder per test module (default: 'cassettes' beside each "
        "test module). ini: run_cassette_dir.",
    )
    group.addoption(
        "--run-block-network",
        action="store_true",
        default=None,
        help="Fail any socket connection a cassette does not serve, from any library (a cassette that is "
        "recording may connect). ini: run_block_network.",
    )
    group.addoption(
        "--run-allowed-hosts",
        default=None,
        metavar="HOSTS",
        help="Comma-separated hosts (regular expressions, or 'loopback') still reachable with "
        "--run-block-network. ini: run_allowed_hosts.",
    )
    parser.addini(
        "run_record_mode", "Record mode of run cassettes: none | once | new_episodes | all.", default=""
    )
    parser.addini("run_replay_chunking", "Replay chunking of run cassettes, or 'all'.", default="")
    parser.addini("run_replay_speed", "Replay speed of run cassettes (0 = instant).", default="")
    parser.addini("run_cassette_dir", "Directory of run cassettes, relative to the ini file.", default="")
    parser.addini("run_block_network", "Block sockets not served by a cassette.", type="bool", default=False)
    parser.addini("run_allowed_hosts", "Hosts reachable despite run_block_network.", type="args", default=[])
    parser.addini(
        "run_snapshot_timestamps",
        "How run_snapshot writes timestamps: 'offset' (<t+3s>, default) or 'mask' (<timestamp>).",
        default="offset",
    )


@dataclass(frozen=True)
class Settings:
    """The session's defaults; a marker or ``run_cassette_config`` may override most per test."""

    record_mode_from_command_line: str | None
    record_mode_from_ini: str | None
    in_ci: bool
    chunking: str | None  # None: the cassette's default; "all": regression mode
    speed: float | None
    cassette_dir: Path | None
    block_network: bool
    allowed_hosts: tuple[str, ...]
    snapshot_timestamps: str

    @property
    def regression_chunkings(self) -> tuple[str, ...]:
        return REGRESSION_CHUNKINGS if self.chunking == ALL_CHUNKINGS else ()


def _ini_path(config: pytest.Config, value: str) -> Path:
    base = config.inipath.parent if config.inipath is not None else config.rootpath
    return base / value


def _usage_error(name: str, error: Exception) -> pytest.UsageError:
    return pytest.UsageError(f"ini option {name}: {error}")


def read_settings(config: pytest.Config) -> Settings:
    ini_mode = str(config.getini("run_record_mode")).strip() or None
    if ini_mode is not None and ini_mode not in RECORD_MODES:
        raise pytest.UsageError(
            f"ini option run_record_mode: {ini_mode!r} is not one of {', '.join(RECORD_MODES)}"
        )
    chunking = config.getoption("run_replay_chunking")
    if chunking is None and str(config.getini("run_replay_chunking")).strip():
        try:
            chunking = chunking_choice(str(config.getini("run_replay_chunking")).strip())
        except argparse.ArgumentTypeError as error:
            raise _usage_error("run_replay_chunking", error) from None
    speed = config.getoption("run_replay_speed")
    if speed is None and str(config.getini("run_replay_speed")).strip():
        try:
            speed = speed_choice(str(config.getini("run_replay_speed")).strip())
        except argparse.ArgumentTypeError as error:
            raise _usage_error("run_replay_speed", error) from None
    directory: Path | None = None
    if config.getoption("run_cassette_dir"):
        directory = config.invocation_params.dir / str(config.getoption("run_cassette_dir"))
    elif str(config.getini("run_cassette_dir")).strip():
        directory = _ini_path(config, str(config.getini("run_cassette_dir")).strip())
    hosts_option = config.getoption("run_allowed_hosts")
    hosts = (
        str(hosts_option).split(",")
        if hosts_option is not None
        else [str(host) for host in config.getini("run_allowed_hosts")]
    )
    timestamps = str(config.getini("run_snapshot_timestamps")).strip() or "offset"
    if timestamps not in TIMESTAMP_STYLES:
        raise pytest.UsageError(f"ini option run_snapshot_timestamps: {timestamps!r} is not offset or mask")
    block = config.getoption("run_block_network")
    return Settings(
        record_mode_from_command_line=config.getoption("run_record_mode"),
        record_mode_from_ini=ini_mode,
        in_ci=running_in_ci(),
        chunking=chunking,
        speed=speed,
        cassette_dir=directory,
        block_network=bool(block if block is not None else config.getini("run_block_network")),
        allowed_hosts=tuple(host.strip() for host in hosts if host.strip()),
        snapshot_timestamps=timestamps,
    )
