#!/usr/bin/env bash
# Mutation testing of src/TcpModel/Machine with Stryker.NET 5.1.0 (a local dotnet tool, .config/dotnet-tools.json).
# Not in CI: a whole run takes hours of CPU. Settings live in stryker-config.json (mutate, the test-case filter,
# one core, per-test coverage). xunit runs without parallelism (parallel runs credit kills to whichever test
# happened to be running); the benchmark smoke tests and the other whole-suite/CLI/pcap/report tests are not in
# the filter (they replay every packetdrill script and would be credited with kills the spec tests do not make),
# nor MutantsAreCaught (it asserts that named seeded bugs are caught, not what TCP must do).
#
#   scripts/stryker.sh                          all of Machine/
#   scripts/stryker.sh Guard.cs Classifier.cs   only these files of Machine/ (one report per batch)
#   STRYKER_CONFIG=stryker-config.coverage-off.json scripts/stryker.sh Timers.cs
#                                               every mutant against the whole filter (no per-test coverage:
#                                               its attribution is wrong in this suite, docs/readme/stryker.md)
#
# Each run writes StrykerOutput/<timestamp>/reports/mutation-report.{json,html};
# scripts/stryker-score.py StrykerOutput/*/reports/mutation-report.json prints the per-file table.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
mutate=()
for f in "$@"; do mutate+=(--mutate "**/Machine/$f"); done
export TCPMODEL_STRYKER=1 # tests/TcpModel.Tests.csproj then ships Stryker/xunit.runner.json (no parallelism)
cd tests/TcpModel.Tests
exec dotnet stryker \
  --config-file ../../"${STRYKER_CONFIG:-stryker-config.json}" ${STRYKER_ARGS:-} \
  "${mutate[@]}" \
  --output ../../StrykerOutput/"$(date -u +%Y%m%dT%H%M%S)"
