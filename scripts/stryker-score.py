#!/usr/bin/env python3
"""Per-file table of Stryker.NET mutation reports (mutation-testing-report-schema JSON).

  scripts/stryker-score.py StrykerOutput/*/reports/mutation-report.json          per-file table + total
  scripts/stryker-score.py --survivors StrykerOutput/*/reports/mutation-report.json   also list survivors

Only files under Machine/ count; mutants Stryker marks Ignored (outside --mutate) or CompileError are not
counted. Score = killed / (killed + survived + no coverage), timeouts counted as killed (a mutant that
makes a test hang is detected); the table gives timeouts apart. When several reports hold one file the
newest report wins."""
import json, sys, os

args = [a for a in sys.argv[1:] if not a.startswith('--')]
survivors = '--survivors' in sys.argv
files = {}
for path in sorted(args):  # timestamped folders: later reports override earlier ones per file
    rep = json.load(open(path))
    for name, f in rep['files'].items():
        if '/Machine/' not in name.replace('\\', '/'):
            continue
        ms = f['mutants']
        if all(m['status'] in ('Ignored', 'CompileError') for m in ms):
            continue
        files[os.path.basename(name)] = (f, path)

rows, tot = [], dict(k=0, s=0, n=0, t=0, i=0, c=0)
for name in sorted(files):
    f, _ = files[name]
    c = dict(k=0, s=0, n=0, t=0, i=0, c=0)
    for m in f['mutants']:
        c[{'Killed': 'k', 'Survived': 's', 'NoCoverage': 'n', 'Timeout': 't', 'Ignored': 'i',
           'CompileError': 'c', 'RuntimeError': 'k'}[m['status']]] += 1
    for k in c: tot[k] += c[k]
    rows.append((name, c))

def score(c):
    d = c['k'] + c['t'] + c['s'] + c['n']
    return 100.0 * (c['k'] + c['t']) / d if d else float('nan')

print('| file | killed | timeout | survived | no coverage | compile error | score |')
print('|---|---:|---:|---:|---:|---:|---:|')
for name, c in rows:
    print(f"| {name} | {c['k']} | {c['t']} | {c['s']} | {c['n']} | {c['c']} | {score(c):.1f} % |")
print(f"| **total** | {tot['k']} | {tot['t']} | {tot['s']} | {tot['n']} | {tot['c']} | **{score(tot):.1f} %** |")
print(f"(ignored by --mutate in these files: {tot['i']})")
if survivors:
    for name in sorted(files):
        f, _ = files[name]
        lines = f['source'].split('\n')
        for m in sorted(f['mutants'], key=lambda m: (m['location']['start']['line'], m['location']['start']['column'])):
            if m['status'] in ('Survived', 'NoCoverage'):
                l = m['location']['start']['line']
                print(f"{name}:{l}:{m['location']['start']['column']} [{m['status']}] {m['mutatorName']}: "
                      f"{lines[l-1].strip()[:110]}  ->  {m.get('replacement','')[:110]!r}  id={m['id']}")
