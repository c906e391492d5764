#!/usr/bin/env bash
# Runs Stryker's own mutants, by id, against a test filter without rebuilding anything: Stryker.NET compiles every
# mutant of a run into one TcpModel.dll (tests/TcpModel.Tests/bin/Debug/net10.0/TcpModel.dll while the run lasts),
# each behind `Stryker.MutantControl.IsActive(id)`, which reads the id from the environment variable that
# STRYKER_MUTANT_ID_CONTROL_VAR names. A hand check then costs one test run (~10 s for the Machine namespace)
# instead of a build per mutation (scripts/mutant-by-hand.py, 2–5 min on a loaded machine).
#
#   cp tests/TcpModel.Tests/bin/Debug/net10.0/TcpModel.dll /tmp/mutated.dll     # during a Stryker run
#   scripts/stryker-mutant.sh /tmp/mutated.dll "FullyQualifiedName~TcpModel.Tests.Machine." 9290 9291
#
# Run it in a clone whose src/TcpModel is the commit Stryker mutated (the tests may be newer: that is the point),
# after `dotnet build tests/TcpModel.Tests`; not in a worktree where Stryker is running. Id 1 (no such mutant) is
# the unmutated model. Prints one line per id: the test summary and the first failing tests. With
# STRYKER_MUTANT_TIMEOUT=S (seconds) a run that takes longer is stopped and reported "timeout" (a mutant that loops
# for ever: count it only after checking why).
set -euo pipefail
[ $# -ge 3 ] || { sed -n 2,14p "$0"; exit 2; }
dll=$1; flt=$2; shift 2
cd "$(dirname "$0")/.."
bin=tests/TcpModel.Tests/bin/Debug/net10.0
[ -f "$bin/TcpModel.Tests.dll" ] || { echo "$bin/TcpModel.Tests.dll: build the test project first" >&2; exit 2; }
dir=$(mktemp -d "$PWD/tests/TcpModel.Tests/stryker-mutant.XXXXXX") # inside the repo: the tests find TcpModel.sln above it
trap 'rm -rf "$dir"' EXIT
cp -r "$bin"/. "$dir"/ && cp "$dll" "$dir/TcpModel.dll"
for id in "$@"; do
  t0=$SECONDS
  out=$(cd "$dir" && STRYKER_MUTANT_ID_CONTROL_VAR=TCPMODEL_MUTANT TCPMODEL_MUTANT=$id \
        timeout -k 5 "${STRYKER_MUTANT_TIMEOUT:-0}" dotnet test TcpModel.Tests.dll --filter "$flt" 2>&1; echo "exit $?") || true
  sum=$(grep -E '^(Passed|Failed)!' <<<"$out" | sed 's/ - TcpModel.Tests.dll.*//' || true)
  grep -qE '^exit 12[4-9]$' <<<"$out" && sum="timeout after $((SECONDS - t0)) s"
  fails=$(grep -E '^\s+Failed TcpModel' <<<"$out" | sed 's/^ *Failed TcpModel.Tests.//; s/ \[.*//' | head -3 | tr '\n' ' ' || true)
  echo "$id | ${sum:-no summary (build or load error)} | $fails | $((SECONDS - t0)) s"
done
