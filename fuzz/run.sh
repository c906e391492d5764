#!/usr/bin/env bash
# Coverage-guided fuzzing of one harness with AFL++ and SharpFuzz.
#
#   fuzz/run.sh TARGET [SECONDS]      TARGET: notation | packetdrill | step | pcap   (SECONDS default 300)
#
# Builds fuzz/TcpModel.Fuzz (Release) into fuzz/out, instruments TcpModel.dll with the SharpFuzz
# command-line tool (a local dotnet tool: .config/dotnet-tools.json), seeds fuzz/work/TARGET/in from
# fuzz/corpus/TARGET (plus spec/scenarios and the shared suites for packetdrill), and runs afl-fuzz for
# SECONDS. Findings: fuzz/work/TARGET/findings/default/{crashes,hangs}; replay one in-process with
#   dotnet fuzz/out/TcpModel.Fuzz.dll TARGET --replay FILE
# and turn it into a regression test in tests/TcpModel.Tests/Fuzz/. The last lines print
# execs_done, execs_per_sec, saved_crashes and saved_hangs from AFL++'s fuzzer_stats.
# Needs: afl++ (apt-get install -y afl++), the .NET SDK. Adding a target (e.g. the pcap reader):
# register it in FuzzTargets.All and give it a corpus folder fuzz/corpus/TARGET.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
target="${1:?usage: fuzz/run.sh notation|packetdrill|step|pcap [SECONDS]}"
seconds="${2:-300}"
[ -d "$here/corpus/$target" ] || { echo "fuzz/run.sh: no corpus for '$target' (fuzz/corpus/$target)" >&2; exit 2; }
command -v afl-fuzz >/dev/null || { echo "fuzz/run.sh: afl-fuzz not found (apt-get install -y afl++)" >&2; exit 2; }
shared="${TCPMODEL_SHARED:-$root/../shared}"

cd "$root"
dotnet tool restore >/dev/null
out="$here/out"
if [ ! -f "$out/.instrumented" ] || [ -n "$(find src/TcpModel fuzz/TcpModel.Fuzz -name '*.cs' -newer "$out/.instrumented" -print -quit)" ]; then
  rm -rf "$out"
  dotnet publish fuzz/TcpModel.Fuzz -c Release -o "$out" --verbosity quiet >/dev/null
  dotnet sharpfuzz "$out/TcpModel.dll" >/dev/null
  touch "$out/.instrumented"
fi

work="$here/work/$target"
rm -rf "$work/in"; mkdir -p "$work/in"
cp "$here/corpus/$target"/* "$work/in/"
if [ "$target" = packetdrill ]; then
  cp spec/scenarios/*.pkt "$work/in/"
  # the shared suites' small scripts (AFL++ works best from small seeds)
  if [ -d "$shared/suites" ]; then
    find "$shared/suites" -name '*.pkt' -size -2k | sort | while read -r f; do
      cp "$f" "$work/in/$(echo "$f" | md5sum | cut -c1-12).pkt"
    done
  fi
fi

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
# -t: a step or script takes milliseconds; 5 s catches a hang without flagging the first cold run
afl-fuzz -V "$seconds" -t 5000 -m none -i "$work/in" -o "$work/findings" -- dotnet "$out/TcpModel.Fuzz.dll" "$target" >"$work/afl.log" 2>&1 || true
stats="$work/findings/default/fuzzer_stats"
[ -f "$stats" ] || { echo "fuzz/run.sh: afl-fuzz did not start; see $work/afl.log" >&2; tail -20 "$work/afl.log" >&2; exit 1; }
grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|bitmap_cvg) ' "$stats"
