#!/usr/bin/env bash
# Mutation testing of src/TcpModel/Machine with Stryker.NET 5.1.0 (a local dotnet tool, .config/dotnet-tools.json).
# Not in CI: a whole run takes hours of CPU. xunit runs without parallelism (parallel runs credit kills to
# whichever test happened to be running), and the benchmark smoke tests are excluded (they replay every
# packetdrill script and would be credited with kills the suite's own tests do not make).
#
#   scripts/stryker.sh                      all of Machine/
#   scripts/stryker.sh Guard.cs Classifier.cs   only these files of Machine/
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
mutate=()
if [ "$#" -eq 0 ]; then
  mutate=(--mutate "**/Machine/**/*.cs")
else
  for f in "$@"; do mutate+=(--mutate "**/Machine/$f"); done
fi
export TCPMODEL_STRYKER=1 # tests/TcpModel.Tests.csproj then ships Stryker/xunit.runner.json (no parallelism)
cd tests/TcpModel.Tests
exec dotnet stryker \
  --project TcpModel.csproj \
  "${mutate[@]}" \
  --test-case-filter 'FullyQualifiedName!~TcpModel.Tests.Benchmarks&FullyQualifiedName!~MutantsAreCaught' \
  --concurrency 1 \
  --reporter html --reporter progress --reporter json \
  --output ../../StrykerOutput
