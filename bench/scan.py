"""Scanner benchmark: skillyard beside the Cisco AI skill-scanner (offline analyzers only), in one run.

(a) Labelled fixtures (every split under tests/fixtures/scan/labelled): precision, recall and F1 per family at
    the "do not install" threshold (skillyard: risk high/critical; Cisco: max severity HIGH/CRITICAL), with
    the same per-family accounting as :mod:`skillyard.scan.evaluate` (recall over that family's malicious
    cases; a flagged benign case is a false positive of the family of its strongest finding). ``tune`` is the
    split the rules were tuned on; ``holdout`` was not tuned on. Cisco sees each case without its label.json.
(b) The shared corpus (6,144 real skills): skills/s, per-skill p50/p95/max time, risk distribution, top
    rules, share flagged high/critical and share with any finding, per source collection; then Cisco and
    skillyard on the same random sample of skills (Cisco is slow), with the throughput ratio.

    .venv/bin/pip install cisco-ai-skill-scanner      # into the venv only; not a project dependency
    .venv/bin/python bench/scan.py                     # everything (about 6-8 minutes on 2 cores)
    .venv/bin/python bench/scan.py --sample 100 --corpus-limit 1000   # quicker
    .venv/bin/python bench/scan.py --no-cisco --json /tmp/scan-bench.json
    .venv/bin/python bench/scan.py --jobs 2           # also: corpus + skillyard's sample side with 2 processes

With ``--jobs N`` the corpus pass and skillyard's side of the Cisco sample are run a second time with N worker
processes (``skillyard scan --jobs N``'s pool) and printed beside the single-process figures, never instead of
them: the headline ratio stays one process against one process (Cisco runs in one process).

Cisco runs in-process through ``SkillScanner()`` with its default core analyzers (static YARA/regex rules,
bytecode, pipeline taint, correlation): no LLM, no VirusTotal/AI Defense/OSV, nothing that needs the network.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from scan_cisco import Cisco, Verdict

from skillyard.model import Risk
from skillyard.scan import ScanOptions, scan_skill
from skillyard.scan.evaluate import Counts, load_folder
from skillyard.services.scan_pool import scan_in_order
from skillyard.sources import Loaded, read_source

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"  # overridable with --shared
LABELLED = ROOT / "tests" / "fixtures" / "scan" / "labelled"
FAMILIES = ("prompt-injection", "data-exfiltration", "privilege-escalation", "supply-chain")
PUBLISHED_ANY, PUBLISHED_HIGH = 0.26, 0.05


def peak_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# ------------------------------------------------------------------------------------------ scanners


def ours_folder(folder: Path) -> Verdict:
    """skillyard on a folder: read (sources) + scan, timed together (Cisco's scan also reads from disk)."""
    t0 = time.perf_counter()
    items = [i for i in read_source(str(folder)) if isinstance(i, Loaded)]
    if not items:
        return Verdict(True, "other", "refused", time.perf_counter() - t0, error="refused")
    r = scan_skill(items[0].skill)
    return _ours_verdict(r, time.perf_counter() - t0)


def _ours_verdict(r: Any, seconds: float) -> Verdict:
    strong = sorted(r.findings, key=lambda f: -f.severity.rank)
    fam = strong[0].category if strong and strong[0].severity.rank >= 3 else "other"
    return Verdict(r.risk.blocks_install, fam, r.risk.value, seconds, tuple(sorted({f.rule for f in r.findings})))


# ------------------------------------------------------------------------------------------ (a) labelled


# What each split's figures mean. The blind sets were written by people who never saw the rules; each was
# measured blind exactly once (figures in its README) and then used to find missing attack classes.
SPLIT_NOTES = {
    "tune": "rules were tuned on it",
    "holdout": "not tuned on",
    "blind": "written blind; measured blind once at P 1.00 R 0.55, used for development since",
    "blind2": "written blind; measured blind once at P 0.90 R 0.78, used for development since",
    "blind3": "written blind; measured blind once at P 0.97 R 0.68 (2026-12-04); every miss fixed as a class since",
    "blind4": "written blind; measured blind once at P 0.95 R 0.61 (2026-12-04, 6b4a046), used for development since",
    "blind5": "written blind; measured blind once at P 1.00 R 0.50 (2026-12-04, db0d5ae), used for development since",
    "blind6": "written blind; measured blind once at P 1.00 R 0.65 (2026-12-04, 94d8e1b), used for development since",
    "blind7": "written blind; measured blind once at P 0.97 R 0.65 (2026-12-04, 32e981e), used for development since",
    "blind8": "written blind; measured blind once at P 1.00 R 0.58 (2026-12-04, f905d95), used for development since",
    "blind9": "written blind; measured blind once at P 0.92 R 0.47 (2026-12-04, b4b9e56), used for development since",
    "blind10": "written blind; measured blind once at P 0.96 R 0.50 (2026-12-04, 4c6ea13), used for development since",
    "blind11": "written blind; measured blind once at P 0.89 R 0.38 (2026-12-04, c532323), used for development since",
    "blind12": "written blind; measured blind once at P 0.93 R 0.27 (2026-12-04, 4cb0e02), used for development since",
    "blind13": "written blind; measured blind once at P 0.91 R 0.44 (2026-12-04, 71b7520), used for development since",
    "blind14": "written blind; measured blind once at P 1.00 R 0.85 (2026-12-04, a3f92ee), used for development since",
    "blind16": "written blind; measured blind once at P 0.97 R 0.75 (2026-12-05, 1f670ad), used for development since",
}


def cases(split: Path) -> list[tuple[Path, str, str]]:
    out = []
    for label in ("malicious", "benign"):
        for case in sorted(p for p in (split / label).iterdir() if p.is_dir()) if (split / label).is_dir() else []:
            meta = json.loads((case / "label.json").read_text()) if (case / "label.json").is_file() else {}
            out.append((case, label, str(meta.get("family", label))))
    return out


def evaluate(
    split: Path, judge: Callable[[Path], Verdict], judged_root: Path | None = None
) -> tuple[Counts, dict[str, Counts], list[str]]:
    """Labels come from ``split``; the judge sees the same case under ``judged_root`` when given."""
    overall, fams, errors = Counts(), {f: Counts() for f in FAMILIES}, []
    for case, label, family in cases(split):
        v = judge(judged_root / case.relative_to(split) if judged_root else case)
        if label == "malicious":
            c = fams.setdefault(family, Counts())
            if v.flagged:
                overall.tp += 1
                c.tp += 1
            else:
                overall.fn += 1
                c.fn += 1
                errors.append(f"missed {case.name} ({family}, {v.level})")
        elif v.flagged:
            overall.fp += 1
            fams.setdefault(v.family, Counts()).fp += 1
            errors.append(f"false positive {case.name} ({v.level}: {', '.join(v.rules[:4])})")
        else:
            overall.tn += 1
    return overall, fams, errors


def strip_labels(split: Path, into: Path) -> Path:
    """A copy of a labelled split without label.json files (so Cisco cannot read the answer)."""
    dst = into / split.name
    shutil.copytree(split, dst, ignore=shutil.ignore_patterns("label.json"))
    return dst


def fmt(c: Counts) -> str:
    return f"P {c.precision:.2f} R {c.recall:.2f} F1 {c.f1:.2f} (tp {c.tp} fp {c.fp} fn {c.fn})"


def labelled_part(cisco: Cisco | None, out: dict[str, Any]) -> None:
    print("\n== (a) labelled fixtures, 'do not install' threshold ==")
    with tempfile.TemporaryDirectory() as tmp:
        present = sorted(p.name for p in LABELLED.iterdir() if p.is_dir()) if LABELLED.is_dir() else []
        order = [s for s in ("tune", "holdout") if s in present] + [s for s in present if s not in ("tune", "holdout")]
        if not order:
            print(f"{LABELLED}: no labelled splits")
        for split_name in order:
            split = LABELLED / split_name
            n = len(cases(split))
            ours = evaluate(split, lambda p: _ours_verdict(scan_skill(load_folder(p)), 0.0))
            theirs = None
            if cisco is not None:
                copy = strip_labels(split, Path(tmp))
                theirs = evaluate(split, cisco.folder, copy)
            note = SPLIT_NOTES.get(split_name, "not tuned on")
            print(f"\n[{split_name}] {n} cases ({note})")
            print(f"  {'family':<22} {'skillyard':<44} {'cisco':<44}")
            rows = [("ALL", ours[0], theirs[0] if theirs else None)]
            rows += [(f, ours[1].get(f, Counts()), theirs[1].get(f, Counts()) if theirs else None) for f in FAMILIES]
            for name, a, b in rows:
                print(f"  {name:<22} {fmt(a):<44} {fmt(b) if b else '-':<44}")
            for e in ours[2]:
                print(f"    skillyard {e}")
            out.setdefault("labelled", {})[split_name] = {
                "cases": n,
                "skillyard": {
                    "overall": ours[0].to_dict(),
                    "families": {k: v.to_dict() for k, v in ours[1].items()},
                    "errors": ours[2],
                },
                "cisco": None
                if theirs is None
                else {
                    "overall": theirs[0].to_dict(),
                    "families": {k: v.to_dict() for k, v in theirs[1].items()},
                    "errors": theirs[2],
                },
            }


# ------------------------------------------------------------------------------------------ (b) corpus


def ensure_corpus(path: Path) -> Path:
    if path.is_dir() and any(path.iterdir()):
        return path
    src = SHARED / "corpus" / "skills.jsonl.gz"
    print(f"materialising {src} -> {path} ...")
    subprocess.run([sys.executable, str(SHARED / "tools" / "materialize.py"), str(src), str(path)], check=True)
    return path


def collections_by_index() -> dict[int, str]:
    """Corpus folder index (NNNNN- prefix) -> source collection (owner/repo)."""
    src = SHARED / "corpus" / "skills.jsonl.gz"
    if not src.is_file():
        return {}
    with gzip.open(src, "rt", encoding="utf-8") as fh:
        return {i: json.loads(line)["source"]["repo"] for i, line in enumerate(fh)}


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def parallel_scan(skills: Iterable[Any], jobs: int) -> tuple[dict[str, str], float, int]:
    """Scan ``skills`` with ``jobs`` worker processes (the ``scan --jobs`` pool): risk per location, wall seconds
    (worker start-up included), scanner errors."""
    t0 = time.perf_counter()
    risks: dict[str, str] = {}
    errors = 0
    opts = ScanOptions()
    for loc, done in scan_in_order(((s.location, s, s.location) for s in skills), opts, jobs=jobs):
        if done is None or done.result is None:
            errors += 1
            continue
        risks[loc] = done.result.risk.value
    return risks, time.perf_counter() - t0, errors


def loaded(folder: Path) -> Iterator[Any]:
    return (i.skill for i in read_source(str(folder)) if isinstance(i, Loaded))


def corpus_part(corpus: Path, limit: int, out: dict[str, Any], jobs: int = 1) -> list[Path]:
    print(f"\n== (b) corpus {corpus} ==")
    repo_of = collections_by_index()
    times: list[tuple[float, str]] = []
    risks: Counter[str] = Counter()
    rule_skills: Counter[str] = Counter()
    rule_skills_blocking: Counter[str] = Counter()
    per_repo: dict[str, Counter[str]] = defaultdict(Counter)
    folders: list[Path] = []
    refused = errors = 0
    risk_of: dict[str, str] = {}
    load = os.getloadavg()
    t_start = time.perf_counter()
    t_scan = 0.0
    for item in read_source(str(corpus)):
        if not isinstance(item, Loaded):
            refused += 1
            continue
        skill = item.skill
        t0 = time.perf_counter()
        try:
            r = scan_skill(skill)
        except Exception:
            errors += 1
            continue
        dt = time.perf_counter() - t0
        t_scan += dt
        times.append((dt, skill.location))
        folders.append(Path(skill.location))
        risk_of[skill.location] = r.risk.value
        risks[r.risk.value] += 1
        rules = {f.rule for f in r.findings}
        rule_skills.update(rules)
        if r.risk.blocks_install:
            rule_skills_blocking.update(f.rule for f in r.findings if f.severity.rank >= 3)
        top = Path(skill.location).relative_to(corpus).parts[0]
        repo = repo_of.get(int(top.split("-", 1)[0]), "?") if top[:5].isdigit() else "?"
        per_repo[repo][r.risk.value] += 1
        if limit and len(times) >= limit:
            break
    wall = time.perf_counter() - t_start
    n = len(times)
    secs = sorted(t for t, _ in times)
    slowest = max(times) if times else (0.0, "")
    flagged = risks["high"] + risks["critical"]
    anything = n - risks["none"]
    print(f"skills scanned: {n} (refused by sources: {refused}, scanner errors: {errors})")
    print(f"throughput: {n / wall:.1f} skills/s end to end (read + scan), {n / t_scan:.1f} skills/s scan only")
    print(
        f"per-skill scan time: p50 {1000 * statistics.median(secs):.1f} ms, "
        f"p95 {1000 * secs[int(0.95 * (n - 1))]:.1f} ms, max {1000 * slowest[0]:.0f} ms ({slowest[1]})"
    )
    print(f"over 1 s: {sum(1 for t in secs if t > 1.0)} skill(s); peak RSS {peak_rss_mib():.0f} MiB")
    print("risk distribution: " + ", ".join(f"{k.value} {risks[k.value]} ({pct(risks[k.value] / n)})" for k in Risk))
    print(f"flagged high/critical (do not install): {flagged} = {pct(flagged / n)}", end="")
    print(f"  [published: ~{pct(PUBLISHED_HIGH)} high severity]")
    print(f"any finding at risk >= low: {anything} = {pct(anything / n)}", end="")
    print(f"  [published: ~{pct(PUBLISHED_ANY)} with some vulnerability]")
    print("top rules (skills with >= 1 finding of the rule):")
    for rule, c in rule_skills.most_common(12):
        print(f"  {rule:<8} {c:>5}  ({pct(c / n)})")
    print("rules behind do-not-install verdicts (skills):")
    for rule, c in rule_skills_blocking.most_common(8):
        print(f"  {rule:<8} {c:>5}")
    print("per source collection (skills, share high/critical, share >= low):")
    for repo, c in sorted(per_repo.items(), key=lambda kv: -sum(kv[1].values())):
        tot = sum(c.values())
        print(f"  {repo:<48} {tot:>5}  {pct((c['high'] + c['critical']) / tot):>6}  {pct((tot - c['none']) / tot):>6}")
    if jobs > 1:
        par, par_wall, par_errors = parallel_scan(itertools.islice(loaded(corpus), n), jobs)
        same = sum(1 for k, v in par.items() if risk_of.get(k) == v)
        print(
            f"with --jobs {jobs} (beside, not instead of, the one-process figures above): "
            f"{len(par) / par_wall:.1f} skills/s end to end (read in the parent + scan in {jobs} spawned workers, "
            f"start-up included) = {(len(par) / par_wall) / (n / wall):.2f}x the one-process pass; "
            f"{same}/{n} same risk as the one-process pass, scanner errors {par_errors}; "
            f"load average {load[0]:.2f} before the corpus pass, {os.getloadavg()[0]:.2f} after"
        )
        out["corpus_parallel"] = {
            "jobs": jobs,
            "skills": len(par),
            "wall_s": round(par_wall, 2),
            "skills_per_s": round(len(par) / par_wall, 2),
            "speedup_vs_one_process": round((len(par) / par_wall) / (n / wall), 2),
            "same_risk": same,
            "load_before": round(load[0], 2),
            "load_after": round(os.getloadavg()[0], 2),
        }
    out["corpus"] = {
        "skills": n,
        "refused": refused,
        "errors": errors,
        "wall_s": round(wall, 2),
        "scan_s": round(t_scan, 2),
        "skills_per_s": round(n / wall, 2),
        "scan_only_skills_per_s": round(n / t_scan, 2),
        "p50_ms": round(1000 * statistics.median(secs), 2),
        "p95_ms": round(1000 * secs[int(0.95 * (n - 1))], 2),
        "max_ms": round(1000 * slowest[0], 1),
        "slowest": slowest[1],
        "over_1s": sum(1 for t in secs if t > 1.0),
        "peak_rss_mib": round(peak_rss_mib(), 1),
        "risk": dict(risks),
        "flagged_share": round(flagged / n, 4),
        "any_share": round(anything / n, 4),
        "top_rules": rule_skills.most_common(20),
        "per_collection": {k: dict(v) for k, v in per_repo.items()},
    }
    return folders


def sample_part(folders: list[Path], size: int, seed: int, cisco: Cisco, out: dict[str, Any], jobs: int = 1) -> None:
    sample = random.Random(seed).sample(folders, min(size, len(folders)))
    print(f"\n== (b') same {len(sample)} corpus skills (seed {seed}) through both scanners ==")
    ours = [ours_folder(p) for p in sample]  # warm: the engine is already imported and used
    theirs = [cisco.folder(p) for p in sample]
    t_ours = sum(v.seconds for v in ours)
    t_theirs = sum(v.seconds for v in theirs)
    r_ours, r_theirs = len(sample) / t_ours, len(sample) / t_theirs
    both = sum(1 for a, b in zip(ours, theirs, strict=True) if a.flagged and b.flagged)
    only_ours = sum(1 for a, b in zip(ours, theirs, strict=True) if a.flagged and not b.flagged)
    only_theirs = sum(1 for a, b in zip(ours, theirs, strict=True) if b.flagged and not a.flagged)
    print(
        f"cisco {cisco.version}: analyzers {', '.join(cisco.analyzers)}; start-up {cisco.init_seconds:.1f} s (excluded)"
    )
    print(f"skillyard: {r_ours:.1f} skills/s (max {1000 * max(v.seconds for v in ours):.0f} ms)")
    print(
        f"cisco:     {r_theirs:.2f} skills/s (max {1000 * max(v.seconds for v in theirs):.0f} ms, "
        f"errors {sum(1 for v in theirs if v.error)})"
    )
    print(f"throughput ratio skillyard/cisco: {r_ours / r_theirs:.1f}x (one process each: the headline)")
    if jobs > 1:
        par, par_wall, _ = parallel_scan((s for p in sample for s in itertools.islice(loaded(p), 1)), jobs)
        r_par = len(par) / par_wall
        print(
            f"skillyard with --jobs {jobs}: {r_par:.1f} skills/s (wall, read in the parent, worker start-up "
            f"included) = {r_par / r_ours:.2f}x its one-process figure; shown beside the headline, not instead of "
            f"it (Cisco ran in one process; load average now {os.getloadavg()[0]:.2f})"
        )
        out["sample_parallel"] = {"jobs": jobs, "skillyard_skills_per_s": round(r_par, 2),
                                  "speedup_vs_one_process": round(r_par / r_ours, 2)}  # fmt: skip
    print(
        f"flagged high/critical: skillyard {pct(sum(v.flagged for v in ours) / len(sample))}, "
        f"cisco {pct(sum(v.flagged for v in theirs) / len(sample))}; both {both}, only skillyard {only_ours}, "
        f"only cisco {only_theirs}"
    )
    levels = Counter(v.level for v in theirs)
    print("cisco max severity distribution: " + ", ".join(f"{k} {v}" for k, v in levels.most_common()))
    top_cisco = Counter(r for v in theirs if v.flagged for r in v.rules).most_common(8)
    print("cisco rules in flagged skills: " + ", ".join(f"{r} {c}" for r, c in top_cisco))
    out["sample"] = {
        "size": len(sample),
        "seed": seed,
        "skillyard_skills_per_s": round(r_ours, 2),
        "cisco_skills_per_s": round(r_theirs, 3),
        "ratio": round(r_ours / r_theirs, 1),
        "cisco_init_s": round(cisco.init_seconds, 1),
        "cisco_version": cisco.version,
        "cisco_analyzers": cisco.analyzers,
        "skillyard_max_ms": round(1000 * max(v.seconds for v in ours), 1),
        "cisco_max_ms": round(1000 * max(v.seconds for v in theirs), 1),
        "flagged": {
            "skillyard": sum(v.flagged for v in ours),
            "cisco": sum(v.flagged for v in theirs),
            "both": both,
            "only_skillyard": only_ours,
            "only_cisco": only_theirs,
        },
        "cisco_levels": dict(levels),
    }


def main() -> None:
    global SHARED
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=Path("/tmp/corpus"))
    ap.add_argument("--shared", type=Path, default=SHARED, help="the shared data folder (default ../shared)")
    ap.add_argument("--corpus-limit", type=int, default=0, help="scan only the first N corpus skills")
    ap.add_argument("--sample", type=int, default=250, help="corpus skills run through both scanners")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-cisco", action="store_true")
    ap.add_argument("--no-corpus", action="store_true")
    ap.add_argument("--json", type=Path, help="also write every figure to this file")
    ap.add_argument(
        "--jobs", type=int, default=1, help="also run the corpus pass and skillyard's sample side with N processes"
    )
    args = ap.parse_args()
    SHARED = args.shared
    out: dict[str, Any] = {}
    cisco = None
    if not args.no_cisco:
        try:
            cisco = Cisco()
        except ImportError:
            print(
                "cisco-ai-skill-scanner is not installed (.venv/bin/pip install cisco-ai-skill-scanner); "
                "running skillyard alone"
            )
    labelled_part(cisco, out)
    if not args.no_corpus:
        if not (args.corpus.is_dir() or (SHARED / "corpus").is_dir()):
            print("\n(b) skipped: no corpus (needs ../shared or --corpus DIR)")
        else:
            folders = corpus_part(ensure_corpus(args.corpus), args.corpus_limit, out, args.jobs)
            if cisco is not None and folders:
                sample_part(folders, args.sample, args.seed, cisco, out, args.jobs)
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, default=str))
        print(f"\nfigures written to {args.json}")


if __name__ == "__main__":
    main()
