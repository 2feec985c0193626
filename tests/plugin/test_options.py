"""The plugin's options: their own group in --help, ini equivalents, clear errors."""

from __future__ import annotations

import pytest


def test_options_have_their_own_group_in_help(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--help")

    result.stdout.fnmatch_lines(
        [
            "run-harness: record and replay OpenAI Assistants run streams:",
            "  --run-record-mode={none,once,new_episodes,all}",
            "*--run-replay-chunking=CHUNKING*",
            "*--run-replay-speed=FACTOR*",
            "*--run-cassette-dir=DIR*",
            "*--run-block-network*",
            "*--run-allowed-hosts=HOSTS*",
        ]
    )
    result.stdout.fnmatch_lines(["*run_record_mode (string):*", "*run_snapshot_timestamps (string):*"])


def test_bad_values_stop_the_session_with_the_reason(pytester: pytest.Pytester) -> None:
    bad_chunking = pytester.runpytest("--run-replay-chunking=bytes")
    pytester.makeini("[pytest]\nrun_record_mode = sometimes\n")
    bad_mode = pytester.runpytest()

    bad_chunking.stderr.fnmatch_lines(
        ["*unknown chunking 'bytes'; choose one of recorded, event, byte, random, whole*"]
    )
    bad_mode.stderr.fnmatch_lines(
        ["*run_record_mode: 'sometimes' is not one of none, once, new_episodes, all*"]
    )


def test_ini_settings_apply_and_the_command_line_wins(project: pytest.Pytester) -> None:
    project.makeini("[pytest]\nrun_record_mode = none\nrun_replay_chunking = byte\nrun_replay_speed = 0.5\n")
    project.makepyfile(
        test_settings="""
        def test_settings(run_cassette):
            options = run_cassette.options
            print("SETTINGS", options.record_mode, options.replay.chunking, options.replay.speed)
    """
    )

    from_ini = project.runpytest("-s")
    from_command_line = project.runpytest("-s", "--run-record-mode=all", "--run-replay-chunking=whole")

    from_ini.stdout.fnmatch_lines(["*SETTINGS none byte 0.5"])
    from_command_line.stdout.fnmatch_lines(["*SETTINGS all whole 0.5"])
