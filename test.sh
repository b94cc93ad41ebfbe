#!/usr/bin/env bash
# The README's test command. Installs and starts what the tests need (RabbitMQ from the distribution,
# Azurite from npm, docker-compose v2 for the compose-file test), builds the solution once, runs every
# test project against the real servers, stops the servers again and ends with one line:
#   N passed, N failed[, N skipped]
# Exit code: 0 only if tests ran and none failed.
#
# The tests find the servers through PIPELINE_TEST_* variables (scripts/test-infra/env.sh).
# PIPELINE_TEST_KEEP_INFRA=1 leaves RabbitMQ and Azurite running afterwards (handy while developing).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DEBIAN_FRONTEND=noninteractive
# libtorch's OpenMP threads spin while waiting; on 2 busy cores that slowed small TorchSharp steps ~50x.
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
RESULTS=TestResults
started=$SECONDS

stopped=
stop_infra() {
  [[ -n $stopped ]] && return 0
  stopped=1
  if [[ ${PIPELINE_TEST_KEEP_INFRA:-} == 1 ]]; then
    echo "test.sh: PIPELINE_TEST_KEEP_INFRA=1: leaving RabbitMQ and Azurite running" >&2
    return 0
  fi
  scripts/test-infra/stop-azurite.sh || true
  scripts/test-infra/stop-rabbitmq.sh || true
}
trap stop_infra EXIT
# Ends a run in which no test could run: servers stopped first, so the reason is the last line.
no_tests() { stop_infra; echo "test.sh: $1: no tests ran" >&2; exit 1; }

scripts/setup-native.sh || no_tests "scripts/setup-native.sh failed"
scripts/test-infra/install-packages.sh || no_tests "installing the test packages failed"
scripts/test-infra/start-rabbitmq.sh || no_tests "RabbitMQ did not start"
scripts/test-infra/start-azurite.sh || no_tests "Azurite did not start"
. scripts/test-infra/env.sh

restored=
for attempt in 1 2 3; do
  if dotnet restore Pipeline.sln --verbosity minimal; then restored=1; break; fi
  echo "test.sh: dotnet restore failed (attempt $attempt of 3)" >&2
  sleep $((attempt * 5))
done
[[ -n $restored ]] || no_tests "dotnet restore failed"
dotnet build Pipeline.sln -c Release --no-restore --verbosity minimal || no_tests "build failed"

rm -rf "$RESULTS"
test_rc=0
# -m:1 runs the test projects one after another: on 2 cores, projects running side by side starved
# each other's MassTransit test harnesses into timeouts, and the whole run was slower, not faster.
dotnet test Pipeline.sln -c Release --no-build -m:1 --verbosity minimal \
  --results-directory "$RESULTS" \
  --logger "trx;LogFilePrefix=results" \
  --logger "console;verbosity=normal" || test_rc=$?

# Sum the Counters of one TRX file (one per test project).
count() { local n; n=$(sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"); echo "${n:-0}"; }
read_counters() { counters=$(grep -o '<Counters [^>]*>' "$1" | head -n 1 || true); }
failures() { echo $(( $(count failed) + $(count error) + $(count timeout) + $(count aborted) )); }
failed_in() { read_counters "$1"; failures; }

# Names every failed test of the given TRX files and the start of its message. CI keeps only the
# tail of the output, so a red run must say what broke next to its summary.
list_failures() {
  awk '
    /<UnitTestResult / && /outcome="(Failed|Error|Timeout|Aborted)"/ {
      name = $0; sub(/.*testName="/, "", name); sub(/".*/, "", name)
      print "  FAILED " name; inresult = 1; shown = 0; next
    }
    inresult && /<\/UnitTestResult>/ { inresult = 0; next }
    inresult && /<Message>/ { inmessage = 1; sub(/.*<Message>/, "") }
    inmessage {
      line = $0; done = sub(/<\/Message>.*/, "", line)
      if (shown < 8) { print "    " line; shown++ }
      if (done) inmessage = 0
    }
  ' "$@" | sed 's/&quot;/"/g; s/&lt;/</g; s/&gt;/>/g; s/&apos;/'"'"'/g; s/&amp;/\&/g' || true
}

# A test that failed is run once more, alone, while the servers still run. If every rerun passes,
# the project counts as passed but the run says loudly which tests were flaky: a timing failure on
# a slow machine should not hide the rest, and it must not go unnoticed either.
shopt -s nullglob
declare -A recovered=()
flaky_report=""
retry=0
for trx in "$RESULTS"/*.trx; do
  [[ $(failed_in "$trx") -gt 0 ]] || continue
  dll=$(grep -o '<TestMethod codeBase="[^"]*"' "$trx" | head -n 1 | sed 's/.*codeBase="//; s/"$//')
  filter=$(grep -o '<UnitTestResult [^>]*outcome="\(Failed\|Error\|Timeout\|Aborted\)"[^>]*>' "$trx" \
    | sed 's/.*testName="//; s/".*//; s/(.*//' | sort -u | sed 's/^/FullyQualifiedName=/' | paste -sd '|' -)
  [[ -n $dll && -f $dll && -n $filter ]] || continue
  retry=$((retry + 1))
  echo "test.sh: rerunning the failed tests of $(basename "$dll") once: $filter" >&2
  list_failures "$trx" >&2
  retry_trx="$RESULTS/retry/retry-$retry.trx"
  dotnet test "$dll" --filter "$filter" --results-directory "$RESULTS/retry" \
    --logger "trx;LogFileName=retry-$retry.trx" --logger "console;verbosity=normal" || true
  if [[ -f $retry_trx ]]; then
    read_counters "$retry_trx"
    if [[ $(failed_in "$retry_trx") -eq 0 && $(count passed) -gt 0 ]]; then
      recovered[$trx]=1
      flaky_report+="$(list_failures "$trx" | grep '^  FAILED' | sed 's/^  FAILED /  FLAKY /')"$'\n'
    fi
  fi
done

stop_infra

passed=0 failed=0 skipped=0 files=0 first_run_failures=0
for trx in "$RESULTS"/*.trx; do
  files=$((files + 1))
  read_counters "$trx"
  file_failed=$(failures)
  first_run_failures=$((first_run_failures + file_failed))
  if [[ -n ${recovered[$trx]:-} ]]; then
    passed=$((passed + $(count passed) + file_failed))
  else
    passed=$((passed + $(count passed)))
    failed=$((failed + file_failed))
  fi
  skipped=$((skipped + $(count notExecuted)))
done

if [[ $test_rc -ne 0 && $first_run_failures -eq 0 ]]; then
  # A crashed test host or a project that produced no TRX still fails the run.
  echo "test.sh: dotnet test exited $test_rc with no failed test in $files TRX file(s): counting it as a failure" >&2
  failed=1
fi
echo "test.sh: $files test project(s), $((SECONDS - started)) s in all; TRX files in $RESULTS/" >&2
if [[ -n $flaky_report ]]; then
  echo "test.sh: WARNING: these tests failed, then passed when run again (flaky; see $RESULTS/):" >&2
  printf '%s' "$flaky_report" >&2
fi
if [[ $failed -gt 0 ]]; then
  echo "test.sh: failed tests:" >&2
  for trx in "$RESULTS"/*.trx; do [[ -z ${recovered[$trx]:-} ]] && list_failures "$trx" >&2; done
fi

summary="$passed passed, $failed failed"
[[ $skipped -gt 0 ]] && summary+=", $skipped skipped"
echo "$summary"
if [[ $failed -gt 0 || $passed -eq 0 ]]; then
  exit 1
fi
