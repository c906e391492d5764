#!/usr/bin/env python3
"""Per-file statuses from a Stryker.NET debug log, for a run stopped before it wrote its JSON report.

  STRYKER_ARGS="--verbosity debug --log-to-file" scripts/stryker.sh Guard.cs ... > stryker.log
  scripts/stryker-log-score.py stryker.log Guard.cs Classifier.cs [--survivors]

A mutant tested alone (every mutant, under coverage-analysis off) is Killed when its test run failed and Survived when it passed. A group of mutants
tested in one run (Stryker groups mutants no test covers twice) is Killed only when Stryker logged that
"each mutant's fate has been established" (every mutant of the group was killed); otherwise Unresolved.
"is not covered by any test" is NoCoverage; a mutant with no covering test and no such line was removed
as a compile error; a mutant never tested is NotRun. Score = killed / (killed + survived + no coverage)."""
import re, sys, collections
args = [a for a in sys.argv[1:] if not a.startswith('--')]
log = open(args[0], errors='replace').read().split('\n')
cur = None; mfile = {}; mdesc = {}; cov = {}; nocov = set(); runs = []; pending = None; fate = False
for i, l in enumerate(log):
    if (m := re.search(r'DBG\] Mutating (\S+)', l)): cur = m.group(1).split('/')[-1]; continue
    if (m := re.search(r'DBG\] Mutant (\d+) created (.*)', l)):
        mid = int(m.group(1)); mfile[mid] = cur; d = m.group(2); j = i + 1
        while ' using Stryker' not in d and j < len(log) and not log[j].startswith('['):
            d += ' ' + log[j].strip(); j += 1
        mdesc[mid] = re.sub(r'\s+', ' ', d); continue
    if (m := re.search(r'Mutant (\d+) is not covered by any test', l)): nocov.add(int(m.group(1))); continue
    if (m := re.search(r'Mutant (\d+) will be tested against \((\w+)\)', l)): cov[int(m.group(1))] = m.group(2); continue
    if (m := re.search(r'Runner 0: Testing \[(.*)\]', l)):
        pending = [int(x.split(':')[0]) for x in m.group(1).split(',')]; fate = False; continue
    if "fate has been established" in l: fate = True; continue
    if (m := re.search(r'Test run for .* is (\w+)', l)) and pending:
        runs.append((pending, m.group(1), fate)); pending = None; continue
    # coverage-analysis off: every mutant is tested alone and logged only as "Test run for ID: ... is RESULT"
    if (m := re.search(r'Test run for (\d+): .* is (\w+)', l)): runs.append(([int(m.group(1))], m.group(2), fate)); continue
status = {}
for ids, res, f in runs:
    for x in ids:
        if len(ids) == 1: status[x] = 'Killed' if res == 'failed' else 'Survived' if res == 'success' else res
        else: status[x] = 'Killed' if res == 'failed' and f else 'Survived' if res == 'success' else 'Unresolved'
for k in mfile:
    if k not in status:
        # under coverage-analysis off no "will be tested against" line tells a compile error from a mutant not yet
        # run: both are counted as not run (the JSON report, stryker-score.py, tells them apart)
        status[k] = 'NoCoverage' if k in nocov else 'NotRun' if not cov else 'CompileError' if cov.get(k, '0') == '0' else 'NotRun'
print('| file | mutants | killed | survived | no coverage | compile error | unresolved | not run | score of those run |')
print('|---|---:|---:|---:|---:|---:|---:|---:|---:|')
for fn in args[1:]:
    c = collections.Counter(status[k] for k in mfile if mfile[k] == fn)
    d = c['Killed'] + c['Survived'] + c['NoCoverage']
    print(f"| {fn} | {sum(c.values())} | {c['Killed']} | {c['Survived']} | {c['NoCoverage']} | {c['CompileError']} | "
          f"{c['Unresolved']} | {c['NotRun']} | {100.0 * c['Killed'] / d:.1f} % |" if d else f"| {fn} | - |")
if '--survivors' in sys.argv:
    for fn in args[1:]:
        for k in sorted(k for k in mfile if mfile[k] == fn and status[k] in ('Survived', 'NoCoverage', 'Unresolved')):
            print(f"{fn} {k} [{status[k]}] {mdesc[k][:230]}")
