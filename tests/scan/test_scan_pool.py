"""``skillyard scan --jobs N``: worker processes, same results in the same order, failures kept per skill."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from skillyard.cli.main import cli
from skillyard.scan import ScanOptions
from skillyard.services.scan import scan_paths
from skillyard.services.scan_pool import scan_in_order
from skillyard.sources import Loaded, read_source
from tests.conftest import write_skill
from tests.scan.pool_scanners import dies_on_bad, fails_on_bad

LABELLED = Path(__file__).resolve().parents[1] / "fixtures" / "scan" / "labelled" / "tune"


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tree of 24 labelled skills (benign and malicious, with findings of every family) in nested folders."""
    root = tmp_path_factory.mktemp("tree")
    for kind in ("benign", "malicious"):
        for case in sorted((LABELLED / kind).iterdir())[:12]:
            shutil.copytree(case, root / kind / case.name)
    return root


def scan_cli(tree: Path, fmt: str, jobs: str, out: Path) -> bytes:
    res = CliRunner().invoke(cli, ["scan", str(tree), "--format", fmt, "--jobs", jobs, "-o", str(out)])
    assert res.exit_code in (0, 1), res.output
    return out.read_bytes()


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_jobs_2_gives_byte_identical_output(tree: Path, tmp_path: Path, fmt: str) -> None:
    one = scan_cli(tree, fmt, "1", tmp_path / f"one.{fmt}")
    two = scan_cli(tree, fmt, "2", tmp_path / f"two.{fmt}")
    assert one == two
    assert b"critical" in one or b"error" in one  # the tree really has findings to order


def test_jobs_option_is_checked(tree: Path) -> None:
    for bad in ("0", "-2", "many"):
        res = CliRunner().invoke(cli, ["scan", str(tree), "--jobs", bad])
        assert res.exit_code == 2 and "--jobs" in res.output
    assert CliRunner().invoke(cli, ["scan", str(tree), "--jobs", "auto", "--json"]).exit_code in (0, 1)


def test_a_failing_skill_loses_no_other(tmp_path: Path) -> None:
    for name in ("alpha", "bad-one", "gamma", "delta"):
        write_skill(tmp_path, name)
    seq = scan_paths([str(tmp_path)], ScanOptions(), scanner=fails_on_bad)
    par = scan_paths([str(tmp_path)], ScanOptions(), scanner=fails_on_bad, jobs=2)
    assert [r.skill.path for r in par.results] == [r.skill.path for r in seq.results]
    assert [r.skill.name for r in par.results] == ["alpha", "delta", "gamma"]
    assert par.errors == seq.errors and len(par.errors) == 1
    assert "scanner failed: ValueError: cannot scan bad-one" in par.errors[0].reason


def test_a_worker_that_dies_is_reported_and_the_rest_scanned(tmp_path: Path) -> None:
    names = [f"skill-{i:02d}" for i in range(10)]
    for name in [*names, "bad-crash"]:
        write_skill(tmp_path, name)
    par = scan_paths([str(tmp_path)], ScanOptions(), scanner=dies_on_bad, jobs=2)
    assert [r.skill.name for r in par.results] == names
    assert len(par.errors) == 1 and par.errors[0].path.endswith("bad-crash")
    assert "worker process died" in par.errors[0].reason


def test_pass_through_items_keep_their_place(tmp_path: Path) -> None:
    for name in ("a-skill", "b-skill", "c-skill"):
        write_skill(tmp_path, name)
    skills = [it.skill for it in read_source(str(tmp_path)) if isinstance(it, Loaded)]
    items = [("x", None, ""), *((s.name, s, s.name) for s in skills), ("y", None, "")]
    out = list(scan_in_order(items, ScanOptions(), jobs=2))
    assert [tag for tag, _ in out] == ["x", "a-skill", "b-skill", "c-skill", "y"]
    assert [d is None for _, d in out] == [True, False, False, False, True]
    assert all(d.result is not None and d.result.skill.path == tag for tag, d in out if d is not None)


def test_interrupt_stops_the_workers(tmp_path: Path) -> None:
    for i in range(12):
        write_skill(tmp_path, f"skill-{i:02d}")
    skills = [it.skill for it in read_source(str(tmp_path)) if isinstance(it, Loaded)]
    before = set(multiprocessing.active_children())  # another test's pool may still be winding down
    gen = scan_in_order(((s.name, s, s.name) for s in skills), ScanOptions(), jobs=2)
    assert next(gen)[0] == "skill-00"
    workers = set(multiprocessing.active_children()) - before
    assert workers
    with pytest.raises(KeyboardInterrupt):
        gen.throw(KeyboardInterrupt)
    assert [p for p in workers if p.is_alive()] == []


PARENT = """
import multiprocessing, sys, time
from skillyard.scan import ScanOptions
from skillyard.services.scan_pool import scan_in_order
from skillyard.sources import Loaded, read_source
skills = [it.skill for it in read_source(sys.argv[1]) if isinstance(it, Loaded)]
gen = scan_in_order(((s.name, s, s.name) for s in skills), ScanOptions(), jobs=2)
next(gen)
print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
time.sleep(600)
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_workers_leave_when_the_parent_is_killed(tmp_path: Path) -> None:
    for i in range(12):
        write_skill(tmp_path, f"skill-{i:02d}")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(tmp_path)], stdout=subprocess.PIPE, env=env)
    assert parent.stdout is not None
    pids = [int(p) for p in parent.stdout.readline().split()]
    assert pids
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.2)
    assert not [p for p in pids if _alive(p)]


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_registry_scan_with_jobs_matches_one_process(tree: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "reg.db")
    assert CliRunner().invoke(cli, ["--registry", db, "add", str(tree)]).exit_code == 0
    outs = []
    for jobs in ("1", "2"):
        res = CliRunner().invoke(cli, ["--registry", db, "scan", "--all", "--format", "sarif", "--jobs", jobs])
        assert res.exit_code in (0, 1), res.output
        outs.append(res.output)
    assert outs[0] == outs[1] and '"ruleId"' in outs[0]
    shown = CliRunner().invoke(cli, ["--registry", db, "scan", "--all", "--json", "--jobs", "2"]).output
    assert len(json.loads(shown)["results"]) == 24
