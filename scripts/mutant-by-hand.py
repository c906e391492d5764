#!/usr/bin/env python3
"""Applies one mutation to a source file by hand, runs a test filter, restores the file: the check behind every
"killed by hand" line of docs/readme/stryker.md (Stryker's per-test coverage credits tests wrongly in this suite,
so a Stryker survivor is only a candidate).

  scripts/mutant-by-hand.py FILE OLD NEW FILTER [OCCURRENCE]

OLD is replaced by NEW at its OCCURRENCE-th appearance (default 1) in FILE; `dotnet test` of the test project
then runs FILTER (a --filter expression). Prints KILLED (with the failing tests), SURVIVED or COMPILE ERROR.
Refuses a FILE with uncommitted changes, and restores it even when interrupted. Do not run it in a worktree
where Stryker is running: the build replaces the mutated assembly Stryker is testing."""
import os, subprocess, sys

if len(sys.argv) < 5:
    sys.exit(__doc__)
path, old, new, flt = sys.argv[1:5]
occurrence = int(sys.argv[5]) if len(sys.argv) > 5 else 1
root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
full = os.path.join(root, path)
if subprocess.run(['git', 'diff', '--quiet', '--', path], cwd=root).returncode != 0:
    sys.exit(f'{path}: has uncommitted changes; commit or stash them first')
src = open(full, encoding='utf-8').read()
at = -1
for _ in range(occurrence):
    at = src.find(old, at + 1)
    if at < 0:
        sys.exit(f'{path}: {old!r} occurs fewer than {occurrence} times')
try:
    open(full, 'w', encoding='utf-8').write(src[:at] + new + src[at + len(old):])
    r = subprocess.run(['dotnet', 'test', 'tests/TcpModel.Tests/TcpModel.Tests.csproj', '--filter', flt],
                       cwd=root, capture_output=True, text=True)
    out = r.stdout + r.stderr
    if 'error CS' in out:
        print('COMPILE ERROR', next(l.strip() for l in out.split('\n') if 'error CS' in l))
    elif r.returncode == 0:
        print('SURVIVED')
    else:
        print('KILLED')
        for line in out.split('\n'):
            if line.strip().startswith('Failed TcpModel'):
                print('   ', line.strip())
finally:
    open(full, 'w', encoding='utf-8').write(src)
