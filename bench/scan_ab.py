"""Same-process-style A/B of scanner throughput: two source trees, interleaved on the same skills.

Two worker processes (one per ``src`` directory) each load the first N skills of a corpus folder and scan
chunks of them on request; the parent alternates the chunks between the workers (which one goes first
alternates too) and sums each worker's scan time, so both see the same machine load. Prints skills/s per round.
Findings are not compared here: snapshot both trees (every finding of every skill) for that.

    .venv/bin/python bench/scan_ab.py --base ../base/src --new src --skills 2000 --rounds 2
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

_WORKER = """
import sys, time
from skillyard.scan import scan_skill
from skillyard.sources import Loaded, read_source
skills = [i.skill for i in read_source(sys.argv[1]) if isinstance(i, Loaded)][: int(sys.argv[2])]
for s in skills[:20]:
    scan_skill(s)
print("ready", flush=True)
for line in sys.stdin:
    i, j = map(int, line.split())
    t = time.perf_counter()
    for s in skills[i:j]:
        scan_skill(s)
    print(time.perf_counter() - t, flush=True)
"""


def _spawn(src: str, corpus: str, n: int) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=os.path.abspath(src))
    cmd = [sys.executable, "-c", _WORKER, corpus, str(n)]
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    return p


def _run(p: subprocess.Popen[str], i: int, j: int) -> float:
    assert p.stdin is not None and p.stdout is not None
    p.stdin.write(f"{i} {j}\n")
    p.stdin.flush()
    return float(p.stdout.readline())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", required=True, help="the baseline src directory")
    ap.add_argument("--new", default="src", help="the src directory measured against it")
    ap.add_argument("--corpus", default="/tmp/corpus")
    ap.add_argument("--skills", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--chunk", type=int, default=25)
    a = ap.parse_args()
    base, new = _spawn(a.base, a.corpus, a.skills), _spawn(a.new, a.corpus, a.skills)
    for r in range(a.rounds):
        tb = tn = 0.0
        for k, i in enumerate(range(0, a.skills, a.chunk)):
            j = min(a.skills, i + a.chunk)
            if k % 2:
                tn += _run(new, i, j)
                tb += _run(base, i, j)
            else:
                tb += _run(base, i, j)
                tn += _run(new, i, j)
        print(f"round {r + 1}: base {a.skills / tb:.1f} skills/s, new {a.skills / tn:.1f} skills/s, {tb / tn:.3f}x")
    print("load average", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    for p in (base, new):
        p.kill()


if __name__ == "__main__":
    main()
