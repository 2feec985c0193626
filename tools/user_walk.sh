#!/usr/bin/env bash
# user_walk.sh: walk pytest-run-harness end to end as a user would, from a wheel built from a checkout.
#
#   bash tools/user_walk.sh /path/to/checkout
#   OPENAI_SPEC='openai<2' bash tools/user_walk.sh /path/to/checkout    # a 1.x SDK instead of the newest
#
# Everything happens in a fresh temporary project (mktemp -d) with its own venv; nothing is read
# from the checkout at run time except to build the wheel. Only loopback (the built-in emulator)
# and pip's own package index are used. Each step prints "STEP n: <name>: PASS" or "FAIL (reason)";
# the script goes on after a failure and exits 1 at the end if any step failed.
#
# Environment: OPENAI_SPEC (default "openai"), WALK_TIMEOUT (seconds per command, default 300),
# WALK_INSTALL_TIMEOUT (pip install, default 600), WALK_KEEP=0 removes the temporary project.

set -u
set -o pipefail

if [ $# -ne 1 ] || [ ! -f "$1/pyproject.toml" ]; then
    echo "usage: bash $0 /path/to/checkout   (a folder holding pyproject.toml)" >&2
    exit 2
fi
CHECKOUT=$(cd "$1" && pwd -P)
OPENAI_SPEC=${OPENAI_SPEC:-openai}
TO=${WALK_TIMEOUT:-300}
TO_INSTALL=${WALK_INSTALL_TIMEOUT:-600}
FAKE_KEY=sk-test-fake-walk-key

# Nothing from the caller's environment may steer Python, the SDK or the CI rule.
unset PYTHONPATH PYTHONHOME PYTHONSTARTUP VIRTUAL_ENV OPENAI_BASE_URL OPENAI_ORG_ID OPENAI_PROJECT_ID \
    PYTEST_ADDOPTS PYTEST_PLUGINS HARNESS_CASSETTE
export OPENAI_API_KEY=$FAKE_KEY
export PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
CI_VARS=(CI GITHUB_ACTIONS GITLAB_CI BUILDKITE TF_BUILD JENKINS_URL)
for v in "${CI_VARS[@]}"; do unset "$v"; done

ROOT=$(mktemp -d "${TMPDIR:-/tmp}/harness-walk.XXXXXX")
PROJ=$ROOT/project
VENV=$ROOT/venv
LOGS=$ROOT/logs
WORK=$ROOT/work
mkdir -p "$PROJ/tests" "$LOGS" "$WORK" "$ROOT/dist"
echo "walk: checkout $CHECKOUT ($(cd "$CHECKOUT" && git rev-parse --short HEAD 2>/dev/null || echo 'not git'))"
echo "walk: temporary project $PROJ, logs in $LOGS, OPENAI_SPEC=$OPENAI_SPEC"

FAILED_STEPS=()
STEP_NO=0
STEP_NAME=""
STEP_ERRORS=()

step() {  # step N NAME: start a step
    STEP_NO=$1
    STEP_NAME=$2
    STEP_ERRORS=()
    echo
    echo "--- step $STEP_NO: $STEP_NAME"
}
bad() {  # bad REASON: the current step fails (it goes on, to report every reason)
    STEP_ERRORS+=("$*")
    echo "    fail: $*"
}
note() { echo "    note: $*"; }
ok() { echo "    ok: $*"; }
end_step() {
    if [ ${#STEP_ERRORS[@]} -eq 0 ]; then
        echo "STEP $STEP_NO: $STEP_NAME: PASS"
    else
        local reason
        reason=$(printf '%s; ' "${STEP_ERRORS[@]}")
        echo "STEP $STEP_NO: $STEP_NAME: FAIL (${reason%; })"
        FAILED_STEPS+=("$STEP_NO")
    fi
}
show() {  # show FILE [N]: the last N lines of a log, indented
    tail -n "${2:-15}" "$1" | sed 's/^/      | /'
}

# Bounded, niced commands, always from the temporary project.
PY=$VENV/bin/python
HARNESS=$VENV/bin/harness
nrun() { (cd "$PROJ" && timeout "$TO" nice -n 19 "$@"); }
pyt() {  # pyt LOG ARGS...: pytest in the project (CI unset unless the caller's env sets it)
    local log=$1
    shift
    (cd "$PROJ" && timeout "$TO" nice -n 19 "$PY" -m pytest -p no:cacheprovider "$@") >"$log" 2>&1
}
pyt_ci() {
    local log=$1
    shift
    (export CI=true && pyt "$log" "$@")
}
hrun() {  # hrun LOG ARGS...: the harness CLI, stdout and stderr into LOG
    local log=$1
    shift
    (cd "$PROJ" && timeout "$TO" "$HARNESS" "$@") >"$log" 2>&1
}
sums() { (cd "$PROJ/tests" && find cassettes __snapshots__ -type f -print0 2>/dev/null | sort -z | xargs -0 sha256sum); }

CASS=$PROJ/tests/cassettes/test_walk
SNAP=$PROJ/tests/__snapshots__/test_walk.runs
TESTS=(test_assistants_run_stream test_responses_stream test_chat_completions_stream)

# ---------------------------------------------------------------------------------------------
step 1 "build a wheel and install it non-editable into a fresh venv"
WHEEL=""
if timeout "$TO" nice -n 19 python3 -m pip wheel --no-deps -w "$ROOT/dist" "$CHECKOUT" >"$LOGS/1-wheel.log" 2>&1; then
    WHEEL=$(ls "$ROOT"/dist/pytest_run_harness-*.whl 2>/dev/null | head -n 1)
fi
if [ -z "$WHEEL" ]; then
    bad "pip wheel failed"
    show "$LOGS/1-wheel.log"
else
    ok "built $(basename "$WHEEL")"
    if ! timeout "$TO" python3 -m venv "$VENV" >"$LOGS/1-venv.log" 2>&1; then
        bad "python3 -m venv failed"
        show "$LOGS/1-venv.log"
    elif ! (cd "$PROJ" && timeout "$TO_INSTALL" nice -n 19 "$PY" -m pip install "$WHEEL[sdk]" pytest pytest-xdist syrupy "$OPENAI_SPEC") >"$LOGS/1-install.log" 2>&1; then
        bad "pip install of the wheel with [sdk] failed"
        show "$LOGS/1-install.log"
    else
        ok "installed $("$PY" -m pip list 2>/dev/null | grep -i -E '^(pytest-run-harness|openai|pytest|pytest-xdist|syrupy|httpx|httpx2) ' | tr -s ' ' | tr '\n' ',' )"
        SITE=$(cd "$PROJ" && "$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
        WHERE=$(cd "$PROJ" && timeout "$TO" "$PY" -c 'import harness; print(harness.__file__)' 2>&1)
        PLUGIN=$(cd "$PROJ" && timeout "$TO" "$PY" -c 'import harness.pytest_plugin as p; print(p.__file__)' 2>&1)
        echo "    harness.__file__ = $WHERE"
        case "$WHERE" in "$SITE"/harness/*) ok "harness is imported from the venv's site-packages" ;;
            *) bad "harness is imported from $WHERE, not from $SITE" ;; esac
        case "$PLUGIN" in "$SITE"/*) : ;; *) bad "the pytest plugin is imported from $PLUGIN" ;; esac
        case "$WHERE$PLUGIN" in *"$CHECKOUT"*) bad "an import points into the checkout" ;; esac
        "$PY" -m pip show -f pytest-run-harness >"$LOGS/1-pip-show.log" 2>&1
        if grep -q -i -E '__editable__|\.pth$' "$LOGS/1-pip-show.log"; then
            bad "the installed package is editable"
        fi
        if [ -f "$SITE"/pytest_run_harness-*.dist-info/direct_url.json ] \
            && grep -q '"editable": *true' "$SITE"/pytest_run_harness-*.dist-info/direct_url.json; then
            bad "direct_url.json says editable"
        fi
        if hrun "$LOGS/1-help.log" --help && grep -q inspect "$LOGS/1-help.log"; then
            ok "harness --help from $HARNESS"
        else
            bad "harness --help failed"
        fi
        (cd "$PROJ" && timeout "$TO" "$PY" -m pytest --help) >"$LOGS/1-pytest-help.log" 2>&1
        if grep -q -- '--run-record-mode' "$LOGS/1-pytest-help.log" && grep -q '^run-harness' "$LOGS/1-pytest-help.log"; then
            ok "pytest --help shows the plugin's run-harness group and --run-record-mode"
        else
            bad "pytest --help does not show the plugin's options"
        fi
    fi
fi
end_step
if [ ! -x "$HARNESS" ] || [ ! -x "$PY" ]; then
    echo "walk: no usable venv; the remaining steps cannot run"
    echo
    echo "walk: FAILED steps: ${FAILED_STEPS[*]}"
    exit 1
fi

# ---------------------------------------------------------------------------------------------
step 2 "record the three protocols from the built-in emulator once, with --snapshot-update"
cat >"$PROJ/pytest.ini" <<'EOF'
[pytest]
testpaths = tests
filterwarnings =
    ignore::DeprecationWarning
EOF
cat >"$PROJ/tests/test_walk.py" <<EOF
"""A user's tests: one per protocol, against the built-in emulator, snapshotted."""
import pytest

FAKE_KEY = "$FAKE_KEY"


@pytest.fixture
def run_emulator_config():
    return {"scenario": "text"}


@pytest.fixture
def client(run_emulator):
    return run_emulator.client(api_key=FAKE_KEY)


@pytest.mark.run_cassette
def test_assistants_run_stream(client, run_cassette, run_snapshot):
    assistant = client.beta.assistants.create(model="gpt-4o", name="walk")
    thread = client.beta.threads.create()
    client.beta.threads.messages.create(thread_id=thread.id, role="user", content="Say hello.")
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        stream.until_done()
        run = stream.get_final_run()
    assert run.status == "completed"
    assert run_snapshot == run_cassette.transcript


@pytest.mark.run_cassette
def test_responses_stream(client, run_cassette, run_snapshot):
    with client.responses.stream(model="gpt-4o", input="Say hello.") as stream:
        for _ in stream:
            pass
        final = stream.get_final_response()
    assert final.status == "completed"
    assert final.output_text
    assert run_snapshot == run_cassette.transcript


@pytest.mark.run_cassette
def test_chat_completions_stream(client, run_cassette, run_snapshot):
    chunks = client.chat.completions.create(
        model="gpt-4o", messages=[{"role": "user", "content": "Say hello."}], stream=True
    )
    text = "".join((chunk.choices[0].delta.content or "") for chunk in chunks if chunk.choices)
    assert text
    assert run_snapshot == run_cassette.transcript
EOF
if pyt "$LOGS/2-record.log" tests/test_walk.py --snapshot-update; then
    ok "recorded: $(tail -n 1 "$LOGS/2-record.log")"
else
    bad "the recording run failed"
    show "$LOGS/2-record.log" 30
fi
grep -q "3 passed" "$LOGS/2-record.log" || bad "not 3 passed"
grep -q "3 snapshots generated" "$LOGS/2-record.log" || bad "syrupy did not generate 3 snapshots"
for t in "${TESTS[@]}"; do
    if [ -s "$CASS/$t.json" ]; then ok "cassette $CASS/$t.json"; else bad "no cassette $CASS/$t.json"; fi
done
[ -s "$SNAP" ] || bad "no snapshot file $SNAP"
for t in "${TESTS[@]}"; do
    grep -q "^# name: $t\$" "$SNAP" 2>/dev/null || bad "no snapshot named $t in $SNAP"
done
for pair in "test_assistants_run_stream:assistants" "test_responses_stream:responses" "test_chat_completions_stream:chat.completions"; do
    t=${pair%%:*}
    want=${pair#*:}
    got=$(cd "$PROJ" && timeout "$TO" "$HARNESS" inspect --format json "$CASS/$t.json" 2>/dev/null \
        | "$PY" -c 'import json,sys; print(json.load(sys.stdin).get("protocol"))' 2>/dev/null)
    if [ "$got" = "$want" ]; then ok "$t.json speaks $got"; else bad "$t.json: protocol '$got', expected '$want'"; fi
done
if grep -r -l -F "$FAKE_KEY" "$PROJ/tests/cassettes" "$PROJ/tests/__snapshots__" >/dev/null 2>&1; then
    bad "the fake API key reached disk: $(grep -r -l -F "$FAKE_KEY" "$PROJ/tests/cassettes" "$PROJ/tests/__snapshots__" | tr '\n' ' ')"
else
    ok "the API key is not in any cassette or snapshot"
fi
cp -a "$PROJ/tests/cassettes" "$WORK/cassettes.recorded"
cp -a "$SNAP" "$WORK/snapshot.recorded"
end_step

# ---------------------------------------------------------------------------------------------
step 3 "replay offline under CI=true, then with -n 2"
BEFORE=$(sums)
if pyt_ci "$LOGS/3-replay.log" tests/test_walk.py && grep -q "3 passed" "$LOGS/3-replay.log" \
    && grep -q "3 snapshots passed" "$LOGS/3-replay.log"; then
    ok "CI=true replay: $(tail -n 1 "$LOGS/3-replay.log")"
else
    bad "CI=true replay did not pass 3 tests and 3 snapshots"
    show "$LOGS/3-replay.log" 30
fi
if pyt_ci "$LOGS/3-replay-xdist.log" tests/test_walk.py -n 2 && grep -q "3 passed" "$LOGS/3-replay-xdist.log"; then
    ok "CI=true -n 2 replay: $(tail -n 1 "$LOGS/3-replay-xdist.log")"
    grep -q "created: 2/2 workers\|2 workers" "$LOGS/3-replay-xdist.log" || note "xdist's worker line not seen (-q output)"
else
    bad "CI=true -n 2 replay did not pass 3 tests"
    show "$LOGS/3-replay-xdist.log" 30
fi
# Replay with the network blocked too (loopback to the emulator allowed by the plugin's own rule).
if pyt_ci "$LOGS/3-replay-blocked.log" tests/test_walk.py --run-block-network && grep -q "3 passed" "$LOGS/3-replay-blocked.log"; then
    ok "CI=true --run-block-network replay: $(tail -n 1 "$LOGS/3-replay-blocked.log")"
else
    bad "CI=true --run-block-network replay did not pass"
    show "$LOGS/3-replay-blocked.log" 30
fi
[ "$BEFORE" = "$(sums)" ] && ok "replays changed no cassette or snapshot" || bad "a replay changed a cassette or snapshot"
end_step

# ---------------------------------------------------------------------------------------------
step 4 "a hand-edited text delta makes the replay fail on the snapshot; restored, it passes"
C=$CASS/test_assistants_run_stream.json
cp -p "$C" "$WORK/edit.orig.json"
if "$PY" - "$C" >"$LOGS/4-edit.log" 2>&1 <<'EOF'
import sys
path = sys.argv[1]
with open(path, encoding="utf-8") as f:
    lines = f.read().split("\n")
old, new = '\\"value\\":\\"Hello\\"', '\\"value\\":\\"Jello\\"'
for i, line in enumerate(lines):
    if "thread.message.delta" in line and old in line:
        lines[i] = line.replace(old, new, 1)
        break
else:
    sys.exit("no thread.message.delta event with the text delta \"Hello\" found")
with open(path, "w", encoding="utf-8") as f:
    f.write("\n".join(lines))
print("edited line", i + 1)
EOF
then
    ok "$(cat "$LOGS/4-edit.log") of $C: delta \"Hello\" -> \"Jello\""
    pyt_ci "$LOGS/4-replay-edited.log" tests/test_walk.py::test_assistants_run_stream
    rc=$?
    if [ $rc -ne 0 ] && grep -q "snapshot failed" "$LOGS/4-replay-edited.log" && grep -q 'Jello' "$LOGS/4-replay-edited.log"; then
        ok "replay failed (exit $rc) on the snapshot, the diff shows the edited text"
        grep -m 2 -E '^E +[-+] .*ello!' "$LOGS/4-replay-edited.log" | sed 's/^/      | /'
    else
        bad "the edited cassette's replay exited $rc without a snapshot failure showing the edit"
        show "$LOGS/4-replay-edited.log" 30
    fi
    # The edited cassette still loads (README: editing by hand); validate reports the protocol problem.
    hrun "$LOGS/4-validate-edited.log" validate "$C"
    note "validate of the edited cassette (exit $?): $(head -n 3 "$LOGS/4-validate-edited.log" | tr '\n' ' ' | cut -c1-300)"
else
    bad "could not edit the cassette: $(cat "$LOGS/4-edit.log")"
fi
cp -p "$WORK/edit.orig.json" "$C"
if pyt_ci "$LOGS/4-replay-restored.log" tests/test_walk.py::test_assistants_run_stream; then
    ok "restored cassette replays again"
else
    bad "the restored cassette does not replay"
    show "$LOGS/4-replay-restored.log" 20
fi
end_step

# ---------------------------------------------------------------------------------------------
step 5 "a cassette prefixed with a UTF-8 byte-order mark still replays"
for t in "${TESTS[@]}"; do
    cp -p "$CASS/$t.json" "$WORK/$t.nobom.json"
    { printf '\xef\xbb\xbf'; cat "$WORK/$t.nobom.json"; } >"$CASS/$t.json"
done
[ "$(head -c 3 "$CASS/test_responses_stream.json" | od -An -tx1 | tr -d ' ')" = "efbbbf" ] || bad "the BOM was not written"
if pyt_ci "$LOGS/5-replay-bom.log" tests/test_walk.py && grep -q "3 passed" "$LOGS/5-replay-bom.log"; then
    ok "all three BOM-prefixed cassettes replay: $(tail -n 1 "$LOGS/5-replay-bom.log")"
else
    bad "BOM-prefixed cassettes do not replay"
    show "$LOGS/5-replay-bom.log" 30
fi
for c in inspect validate; do
    if hrun "$LOGS/5-$c-bom.log" $c "$CASS/test_responses_stream.json"; then
        ok "harness $c reads the BOM-prefixed cassette"
    else
        bad "harness $c of the BOM-prefixed cassette exited non-zero: $(head -n 2 "$LOGS/5-$c-bom.log" | tr '\n' ' ')"
    fi
done
for t in "${TESTS[@]}"; do cp -p "$WORK/$t.nobom.json" "$CASS/$t.json"; done
end_step

# ---------------------------------------------------------------------------------------------
step 6 "export to every format, import each back, inspect and validate all; replay from HAR"
FORMATS=$(cd "$PROJ" && timeout "$TO" "$HARNESS" export --help 2>/dev/null \
    | sed -n 's/.*--format {\([^}]*\)}.*/\1/p' | head -n 1 | tr ',' ' ')
if [ -z "$FORMATS" ]; then
    bad "could not read the formats from harness export --help"
else
    ok "formats offered: $FORMATS"
fi
EX=$WORK/export
mkdir -p "$EX"
n_ok=0
for t in "${TESTS[@]}"; do
    src=$CASS/$t.json
    for f in $FORMATS; do
        case $f in har) ext=har ;; jsonl) ext=jsonl ;; sse) ext=sse ;; vcrpy | ruby-vcr | cassetter) ext=yaml ;; *) ext=json ;; esac
        out=$EX/$t.$f.$ext
        imp=$EX/$t.$f.imported.json
        tag="$t as $f"
        if ! hrun "$LOGS/6-export-$t-$f.log" export "$src" --format "$f" -o "$out" || [ ! -s "$out" ]; then
            bad "export $tag: $(head -n 2 "$LOGS/6-export-$t-$f.log" | tr '\n' ' ')"
            continue
        fi
        for c in inspect validate; do
            hrun "$LOGS/6-$c-$t-$f.log" $c "$out" || bad "$c of the $tag export: $(head -n 3 "$LOGS/6-$c-$t-$f.log" | tr '\n' ' ')"
        done
        if ! hrun "$LOGS/6-import-$t-$f.log" import --cassette "$imp" "$out" || [ ! -s "$imp" ]; then
            bad "import of the $tag export: $(head -n 3 "$LOGS/6-import-$t-$f.log" | tr '\n' ' ')"
            continue
        fi
        for c in inspect validate; do
            hrun "$LOGS/6-$c-imported-$t-$f.log" $c "$imp" || bad "$c of the $tag import: $(head -n 3 "$LOGS/6-$c-imported-$t-$f.log" | tr '\n' ' ')"
        done
        # README: export then import gives back the same runs, steps and messages.
        hrun "$LOGS/6-diff-$t-$f.log" diff "$src" "$imp" || bad "harness diff original vs $tag round trip: $(head -n 3 "$LOGS/6-diff-$t-$f.log" | tr '\n' ' ')"
        n_ok=$((n_ok + 1))
    done
done
ok "$n_ok export/import round trips finished"
if grep -l -F "$FAKE_KEY" "$EX"/* >/dev/null 2>&1; then bad "the API key is in an exported file"; fi

# Replay tests from the HAR exports (README: HAR cassettes replay as they are).
if [ -s "$EX/test_responses_stream.har.har" ]; then
    mkdir -p "$PROJ/tests/cassettes/test_har"
    for t in "${TESTS[@]}"; do cp "$EX/$t.har.har" "$PROJ/tests/cassettes/test_har/$t.har"; done
    hrun "$LOGS/6-expected-assistants.log" inspect --format json "$CASS/test_assistants_run_stream.json"
    hrun "$LOGS/6-expected-responses.log" inspect --format json "$CASS/test_responses_stream.json"
    hrun "$LOGS/6-expected-chat.log" inspect --format json "$CASS/test_chat_completions_stream.json"
    "$PY" - "$LOGS" "$PROJ/tests/expected.json" <<'EOF' >"$LOGS/6-expected.log" 2>&1
import json, sys
logs, out = sys.argv[1], sys.argv[2]
load = lambda name: json.load(open(f"{logs}/6-expected-{name}.log", encoding="utf-8"))
a, r, c = load("assistants"), load("responses"), load("chat")
expected = {
    "assistants": [part["text"]["value"] for m in a["messages"] for part in m["content"] if part["type"] == "text"][-1],
    "assistants_status": a["final_run"]["status"],
    "responses": "".join(part.get("text", "") for item in r["final_response"]["output"] for part in item.get("content", [])),
    "chat": c["final_completion"]["choices"][0]["message"]["content"],
}
json.dump(expected, open(out, "w", encoding="utf-8"))
print(expected)
EOF
    [ $? -eq 0 ] || bad "could not read the expected texts from inspect --format json: $(tail -n 3 "$LOGS/6-expected.log")"
    cat >"$PROJ/tests/test_har.py" <<EOF
"""Replays of the HAR exports: the same client code, the same answers as the harness cassettes."""
import json
from pathlib import Path

import pytest

EXPECTED = json.loads((Path(__file__).parent / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture
def client(run_emulator):
    return run_emulator.client(api_key="$FAKE_KEY")


@pytest.mark.run_cassette("test_assistants_run_stream.har")
def test_assistants_from_har(client, run_cassette):
    assistant = client.beta.assistants.create(model="gpt-4o", name="walk")
    thread = client.beta.threads.create()
    client.beta.threads.messages.create(thread_id=thread.id, role="user", content="Say hello.")
    with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        stream.until_done()
        run = stream.get_final_run()
        text = "".join(part.text.value for m in stream.get_final_messages() for part in m.content if part.type == "text")
    assert run.status == EXPECTED["assistants_status"]
    assert text == EXPECTED["assistants"]
    assert run_cassette.transcript.final_run["status"] == EXPECTED["assistants_status"]


@pytest.mark.run_cassette("test_responses_stream.har")
def test_responses_from_har(client, run_cassette):
    with client.responses.stream(model="gpt-4o", input="Say hello.") as stream:
        for _ in stream:
            pass
        final = stream.get_final_response()
    assert final.status == "completed"
    assert final.output_text == EXPECTED["responses"]


@pytest.mark.run_cassette("test_chat_completions_stream.har")
def test_chat_from_har(client, run_cassette):
    chunks = client.chat.completions.create(
        model="gpt-4o", messages=[{"role": "user", "content": "Say hello."}], stream=True
    )
    text = "".join((chunk.choices[0].delta.content or "") for chunk in chunks if chunk.choices)
    assert text == EXPECTED["chat"]
EOF
    if pyt_ci "$LOGS/6-har-replay.log" tests/test_har.py && grep -q "3 passed" "$LOGS/6-har-replay.log"; then
        ok "HAR replays: $(tail -n 1 "$LOGS/6-har-replay.log")"
    else
        bad "replay from the HAR exports failed"
        show "$LOGS/6-har-replay.log" 30
    fi
else
    bad "no HAR export to replay"
fi
end_step

# ---------------------------------------------------------------------------------------------
step 7 "re-record with --run-record-mode=all: the tests pass and the cassettes are rewritten"
declare -A STAT_BEFORE
for t in "${TESTS[@]}"; do STAT_BEFORE[$t]=$(stat -c '%i %Y.%y' "$CASS/$t.json"); done
SNAP_BEFORE=$(sha256sum <"$SNAP")
sleep 1.1
if pyt "$LOGS/7-rerecord.log" tests/test_walk.py --run-record-mode=all && grep -q "3 passed" "$LOGS/7-rerecord.log"; then
    ok "re-recorded: $(tail -n 1 "$LOGS/7-rerecord.log")"
else
    bad "re-recording with --run-record-mode=all did not pass 3 tests"
    show "$LOGS/7-rerecord.log" 30
fi
for t in "${TESTS[@]}"; do
    after=$(stat -c '%i %Y.%y' "$CASS/$t.json" 2>/dev/null)
    if [ -n "$after" ] && [ "$after" != "${STAT_BEFORE[$t]}" ]; then
        if cmp -s "$CASS/$t.json" "$WORK/cassettes.recorded/test_walk/$t.json"; then
            ok "$t.json rewritten (new file, same bytes)"
        else
            ok "$t.json rewritten ($(diff "$WORK/cassettes.recorded/test_walk/$t.json" "$CASS/$t.json" | grep -c '^>') lines changed: ports, dates)"
        fi
    else
        bad "$t.json was not rewritten"
    fi
done
[ "$SNAP_BEFORE" = "$(sha256sum <"$SNAP")" ] && ok "the snapshot file is unchanged (same conversation)" || bad "the snapshot file changed on re-recording without --snapshot-update"
if pyt_ci "$LOGS/7-replay.log" tests/test_walk.py && grep -q "3 passed" "$LOGS/7-replay.log"; then
    ok "the re-recorded cassettes replay under CI=true"
else
    bad "the re-recorded cassettes do not replay"
    show "$LOGS/7-replay.log" 20
fi
grep -r -l -F "$FAKE_KEY" "$CASS" >/dev/null 2>&1 && bad "the API key reached a re-recorded cassette"
end_step

# ---------------------------------------------------------------------------------------------
step 8 "broken files: truncated, not JSON, empty: one-line errors, and a replay error naming the file"
B=$WORK/broken
mkdir -p "$B"
ORIG=$WORK/chat.orig.json
cp -p "$CASS/test_chat_completions_stream.json" "$ORIG"
head -c $(($(wc -c <"$ORIG") / 2)) "$ORIG" >"$B/truncated.json"
printf 'this is not JSON, just a line of text\n' >"$B/not-json.json"
: >"$B/empty.json"
for kind in truncated not-json empty; do
    f=$B/$kind.json
    for c in inspect validate; do
        log=$LOGS/8-$c-$kind.log
        hrun "$log" $c "$f"
        rc=$?
        lines=$(grep -c . "$log")
        want=1
        if [ "$c" = validate ]; then  # README: validate puts its status line above the one line
            want=2
            head -n 1 "$log" | grep -q -F "$f: FAILED (1 error)" || bad "validate's status line for the $kind file: $(head -n 1 "$log")"
        fi
        if [ $rc -eq 0 ]; then bad "harness $c of the $kind file exited 0"; fi
        if [ $rc -eq 124 ]; then bad "harness $c of the $kind file timed out"; fi
        if grep -q Traceback "$log"; then bad "harness $c of the $kind file printed a Traceback"; fi
        if [ "$lines" -ne "$want" ]; then
            bad "harness $c of the $kind file printed $lines lines, not $want: $(tr '\n' '|' <"$log" | cut -c1-300)"
        else
            ok "harness $c $kind: exit $rc: $(cut -c1-200 "$log")"
        fi
        grep -q -F "$f" "$log" || bad "harness $c of the $kind file does not name it"
    done
    # The same file as a test's cassette: the replay fails naming it.
    cp "$f" "$CASS/test_chat_completions_stream.json"
    log=$LOGS/8-replay-$kind.log
    pyt_ci "$log" tests/test_walk.py::test_chat_completions_stream
    rc=$?
    if [ $rc -eq 0 ]; then
        bad "the replay with the $kind cassette passed"
    elif ! grep -q -F "$CASS/test_chat_completions_stream.json" "$log"; then
        bad "the replay with the $kind cassette failed (exit $rc) without naming the file"
        show "$log" 15
    else
        msg=$(grep -m 1 -E '^(FAILED|ERROR) ' "$log" | cut -c1-300)
        ok "replay with the $kind cassette fails (exit $rc): $msg"
        if [ "$kind" = empty ] && ! grep -q "the cassette is an empty file" "$log"; then
            bad "the empty cassette is not reported as an empty file"
        fi
        if [ "$kind" = truncated ] && grep -q "starting at" "$log"; then
            bad "the truncated cassette's reason ends in a dangling 'starting at'"
        fi
    fi
    grep -q Traceback "$log" && note "the pytest output for the $kind cassette holds a 'Traceback'"
    cp -p "$ORIG" "$CASS/test_chat_completions_stream.json"
done
pyt_ci "$LOGS/8-replay-restored.log" tests/test_walk.py || bad "the restored cassettes do not replay"
end_step

# ---------------------------------------------------------------------------------------------
step 9 "a missing cassette under CI=true: the test fails, nothing records, the message names the request and cassette"
cat >"$PROJ/tests/test_missing.py" <<EOF
"""Tests whose cassettes were never recorded."""
import openai
import pytest


@pytest.fixture
def run_emulator_config():
    return {"scenario": "text"}


@pytest.mark.run_cassette
def test_never_recorded(run_emulator):
    client = run_emulator.client(api_key="$FAKE_KEY")
    with client.responses.stream(model="gpt-4o", input="Never recorded.") as stream:
        for _ in stream:
            pass


@pytest.mark.run_cassette
def test_never_recorded_closed_port():
    # Port 9 on loopback (discard) is closed: were the request let through, the SDK would raise
    # APIConnectionError instead of the harness's UnmatchedRequestError.
    client = openai.OpenAI(api_key="$FAKE_KEY", base_url="http://127.0.0.1:9/v1", max_retries=0)
    client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Never recorded."}])
EOF
MISS=$PROJ/tests/cassettes/test_missing
pyt_ci "$LOGS/9-missing.log" tests/test_missing.py -rA
rc=$?
if [ $rc -eq 0 ]; then
    bad "the tests without cassettes passed under CI=true"
fi
if grep -q "2 failed" "$LOGS/9-missing.log"; then ok "both tests failed (exit $rc)"; else bad "not 2 failed: $(tail -n 1 "$LOGS/9-missing.log")"; fi
for pair in "test_never_recorded:POST http://127.0.0.1:[0-9]*/v1/responses" "test_never_recorded_closed_port:POST http://127.0.0.1:9/v1/chat/completions"; do
    t=${pair%%:*}
    req=${pair#*:}
    line=$(grep -m 1 -E "^FAILED tests/test_missing.py::$t " "$LOGS/9-missing.log")
    if [ -z "$line" ]; then bad "$t: no FAILED line"; continue; fi
    echo "      | ${line:0:400}"
    grep -q "UnmatchedRequestError" <<<"$line" || bad "$t: not an UnmatchedRequestError (did a request go out?)"
    grep -q -e "$req" <<<"$line" || bad "$t: the message does not name the request '$req'"
    grep -q -F "$MISS/$t.json" <<<"$line" || bad "$t: the message does not name the cassette $MISS/$t.json"
done
grep -q -e "--run-record-mode=" "$LOGS/9-missing.log" && ok "the message gives the command to record" \
    || bad "the message does not say how to record (--run-record-mode=...)"
# openai 1.x/2.x wrap whatever the transport raises in APIConnectionError: the harness says so in a
# line of its own; a connection actually attempted to the closed port shows as refused.
if grep -v -F "(the client raised openai.APIConnectionError from it)" "$LOGS/9-missing.log" \
    | grep -q -E "APIConnectionError|ConnectError|Connection refused"; then
    bad "a connection was attempted"
fi
if [ -e "$MISS" ] && [ -n "$(ls -A "$MISS" 2>/dev/null)" ]; then
    bad "a cassette was written under CI=true: $(ls "$MISS")"
else
    ok "no cassette was written"
fi
end_step

# ---------------------------------------------------------------------------------------------
echo
if [ "${WALK_KEEP:-1}" = 0 ]; then rm -rf "$ROOT"; else echo "walk: kept $ROOT (WALK_KEEP=0 removes it)"; fi
if [ ${#FAILED_STEPS[@]} -eq 0 ]; then
    echo "walk: all steps passed"
    exit 0
fi
echo "walk: FAILED steps: ${FAILED_STEPS[*]}"
exit 1
