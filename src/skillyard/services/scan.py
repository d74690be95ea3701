"""Scan use cases: scan paths or registry skills, apply policy and suppressions, store results and tiers.

Importing this module registers :func:`scan_on_add` as an ``on_version_added`` hook, so every version added
to a registry is scanned and given a trust tier at add time. The CLI imports it through ``skillyard.cli.scan``
(listed in ``COMMAND_MODULES``); other edges (MCP, web) that add skills must ``import skillyard.services.scan``.
"""

from __future__ import annotations

import functools
import importlib
import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from skillyard import __version__
from skillyard.errors import NotFoundError, SkillyardError
from skillyard.formats.report import RuleInfo, ScanError, ScanReport, Suppressed
from skillyard.model import Finding, Risk, ScanResult, Severity, Skill, SkillRef, Version
from skillyard.registry import SkillStore
from skillyard.scan.baseline import WAIVER_RULE_INFO, Baseline, apply_suppressions
from skillyard.scan.options import ScanOptions
from skillyard.scan.policy import Policy, load_policy
from skillyard.services import hooks, trust
from skillyard.services.scan_pool import Scanned, scan_in_order
from skillyard.sources import Limits, Loaded, Refused, SourceError, read_source

Scanner = Callable[[Skill, ScanOptions], ScanResult]
ProgressFn = Callable[[str], None]
ARTIFACT_VERSION = 1


class ScanEngineUnavailable(SkillyardError):
    """The scan engine (``skillyard.scan.scan_skill``) cannot be imported."""


def default_scanner() -> Scanner:
    """The real engine: ``skillyard.scan.scan_skill``."""
    try:
        scan_skill = importlib.import_module("skillyard.scan").scan_skill
    except (ImportError, AttributeError) as e:
        raise ScanEngineUnavailable(f"the scan engine is not available: {e}") from None

    def run(skill: Skill, options: ScanOptions) -> ScanResult:
        result = scan_skill(skill, options)
        if not isinstance(result, ScanResult):
            raise TypeError(f"scan_skill returned {type(result).__name__}, not ScanResult")
        return result

    return run


def rule_catalogue() -> dict[str, RuleInfo]:
    """Metadata of every scan rule (for SARIF and markdown help links), plus the suppression rule."""
    out: dict[str, RuleInfo] = {WAIVER_RULE_INFO.id: WAIVER_RULE_INFO}
    try:
        rules: Iterable[Any] = importlib.import_module("skillyard.scan.rules").all_rules()
    except (ImportError, AttributeError):
        return out
    for r in rules:
        if getattr(r, "retired", False):
            continue
        out[r.id] = RuleInfo(
            id=r.id,
            title=r.title,
            family=str(r.family),
            severity=r.severity,
            confidence=float(r.confidence),
            rationale=r.rationale,
            remediation=r.remediation,
            mitre=r.mitre,
            help_uri=r.help_uri,
        )
    return out


def rule_capabilities() -> dict[str, str]:
    """Rule id -> the capability its findings give a skill (for the cross-skill risk graph)."""
    try:
        rules: Iterable[Any] = importlib.import_module("skillyard.scan.rules").all_rules()
    except (ImportError, AttributeError):
        return {}
    return {r.id: r.capability for r in rules if getattr(r, "capability", None)}


def _display_path(location: str) -> str:
    """A skill folder as shown in results: relative to the working directory when inside it."""
    if not location:
        return ""
    try:
        p = Path(location).resolve()
        rel = p.relative_to(Path.cwd().resolve())
        return rel.as_posix() or "."
    except (ValueError, OSError):
        return location


def _scan_one(scanner: Scanner, skill: Skill, options: ScanOptions, path: str) -> ScanResult:
    result = scanner(skill, options)
    return replace(result, skill=SkillRef(skill.name, path, skill.digest))


@dataclass
class ScanRun:
    """Raw results of one run before suppression (results, the skills by result path, refused inputs)."""

    results: list[ScanResult] = field(default_factory=list)
    skills: dict[str, Skill] = field(default_factory=dict)
    errors: list[ScanError] = field(default_factory=list)
    versions: dict[str, Version] = field(default_factory=dict)
    seconds: float = 0.0
    max_skill_seconds: float = 0.0
    slowest: str = ""

    def timed(self, path: str, fn: Callable[[], ScanResult]) -> None:
        t0 = time.perf_counter()
        try:
            self.results.append(fn())
        except Exception as e:  # fail closed: a scanner crash on hostile input is reported, never dropped
            self.errors.append(ScanError(path, f"scanner failed: {type(e).__name__}: {e}"))
        self._account(path, time.perf_counter() - t0)

    def record(self, path: str, done: Scanned) -> None:
        """Add one skill's outcome (from :func:`~skillyard.services.scan_pool.scan_in_order`)."""
        if done.result is not None:
            self.results.append(done.result)
        else:
            self.errors.append(ScanError(path, done.error or "scanner failed"))
        self._account(path, done.seconds)

    def _account(self, path: str, dt: float) -> None:
        self.seconds += dt
        if dt > self.max_skill_seconds:
            self.max_skill_seconds, self.slowest = dt, path


def _path_items(
    targets: Sequence[str], limits: Limits | None, run: ScanRun
) -> Iterator[tuple[str | ScanError, Skill | None, str]]:
    """Every skill under ``targets`` as a ``(path, skill, path)`` scan item; refused inputs and unreadable
    targets as ``(ScanError, None, "")`` in their place."""
    for target in targets:
        try:
            items: Iterable[Loaded | Refused] = read_source(target, limits)
            for item in items:
                if isinstance(item, Refused):
                    yield ScanError(item.path, item.reason), None, ""
                    continue
                skill = item.skill
                path = _display_path(skill.location) or skill.folder_name
                if path in run.skills:
                    path = f"{path}#{skill.digest[7:19]}"
                run.skills[path] = skill
                yield path, skill, path
        except (SourceError, OSError) as e:
            msg = str(e)
            yield ScanError(target, msg if target in msg else f"{target}: {msg}"), None, ""


def scan_paths(
    targets: Sequence[str],
    options: ScanOptions,
    *,
    scanner: Scanner | None = None,
    limits: Limits | None = None,
    on_progress: ProgressFn | None = None,
    jobs: int = 1,
) -> ScanRun:
    """Scan every skill found under ``targets`` (folders, trees, archives).

    Every folder with a SKILL.md is reported, including ones whose frontmatter is broken; inputs the
    sources refused (unsafe archive members, over-limit files) and unreadable targets become errors.
    With ``jobs`` > 1 skills are scanned in that many worker processes; results come in the same order.
    """
    scan = scanner or default_scanner()
    run = ScanRun()
    items = _path_items(targets, limits, run)
    for tag, done in scan_in_order(items, options, jobs=jobs, scanner=scanner if jobs > 1 else scan):
        if isinstance(tag, ScanError):
            run.errors.append(tag)
            continue
        assert done is not None
        run.record(tag, done)
        if on_progress is not None:
            on_progress(tag)
    return run


def scan_registry(
    store: SkillStore,
    refs: Sequence[tuple[str, str | None]],
    options: ScanOptions,
    *,
    all_skills: bool = False,
    scanner: Scanner | None = None,
    persist: bool = True,
    reuse_stored: bool = False,
    on_progress: ProgressFn | None = None,
    jobs: int = 1,
) -> ScanRun:
    """Scan registry versions (``refs`` as ``(name, label or None)``, or every latest version) and, with
    ``persist``, store each result (artifact ``scan`` by digest) and the version's risk and trust tier.
    ``reuse_stored`` takes a version's stored scan instead of rescanning when there is one. With ``jobs`` > 1
    skills are scanned in worker processes (loading and storing stay in this process); same order of results."""
    scan = scanner or default_scanner()
    run = ScanRun()
    versions = store.list_latest() if all_skills else [store.get_version(n, lbl) for n, lbl in refs]

    def items() -> Iterator[tuple[tuple[Version, ScanResult | ScanError | Skill], Skill | None, str]]:
        for v in versions:
            if reuse_stored:
                prior = stored_result(store, v)
                if prior is not None:
                    yield (v, replace(prior, skill=SkillRef(v.name, v.ref, v.digest))), None, ""
                    continue
            try:
                skill = store.load_skill(v.name, v.label)
            except SkillyardError as e:
                yield (v, ScanError(v.ref, str(e))), None, ""
                continue
            yield (v, skill), skill, v.ref

    for (v, what), done in scan_in_order(items(), options, jobs=jobs, scanner=scanner if jobs > 1 else scan):
        if isinstance(what, ScanError):
            run.errors.append(what)
            continue
        run.versions[v.ref] = v
        if isinstance(what, ScanResult):
            run.results.append(what)
        else:
            assert done is not None
            run.skills[v.ref] = what
            run.record(v.ref, done)
            if persist and done.result is not None:
                store_result(store, v, done.result)
        if on_progress is not None:
            on_progress(v.ref)
    return run


def result_to_artifact(result: ScanResult) -> bytes:
    """The stored form of a scan result (versioned; includes capabilities and unanalysable files)."""
    doc = {
        "version": ARTIFACT_VERSION,
        "scanner": f"skillyard {__version__}",
        "scanned_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "result": result.to_dict(),
        "capabilities": list(result.capabilities),
        "unanalysable": list(result.unanalysable),
    }
    return json.dumps(doc, ensure_ascii=False, sort_keys=True).encode("utf-8")


def result_from_artifact(data: bytes) -> ScanResult:
    """Rebuild a :class:`ScanResult` from :func:`result_to_artifact` output."""
    doc = json.loads(data)
    r = doc["result"]
    s = r["skill"]
    findings = tuple(
        Finding(
            f["rule"],
            f["category"],
            Severity(f["severity"]),
            float(f["confidence"]),
            f["file"],
            int(f["line"]),
            f["message"],
            f.get("evidence", ""),
        )
        for f in r["findings"]
    )
    return ScanResult(
        SkillRef(s["name"], s["path"], s["digest"]),
        Risk(r["risk"]),
        findings,
        tuple(doc.get("unanalysable", ())),
        tuple(doc.get("capabilities", ())),
    )


def stored_result(store: SkillStore, version: Version) -> ScanResult | None:
    """The stored scan result of ``version``, or None when it was never scanned."""
    raw = store.get_artifact(version.digest, trust.SCAN_ARTIFACT)
    return result_from_artifact(raw) if raw is not None else None


def store_result(store: SkillStore, version: Version, result: ScanResult) -> trust.TierDecision:
    """Persist a scan of ``version`` and the tier it now derives (inline waivers are never applied here)."""
    store.put_artifact(version.digest, trust.SCAN_ARTIFACT, result_to_artifact(result))
    store.set_version_fields(version.digest, risk=result.risk.value)
    return trust.refresh_tier(store, replace(version, risk=result.risk.value))


def build_report(
    run: ScanRun,
    policy: Policy,
    *,
    baseline: Baseline | None = None,
    fail_on: str | None = None,
    honour_waivers: bool | None = None,
) -> ScanReport:
    """Apply suppressions and the policy's verdict to a run. Registry scans never honour inline waivers."""
    waivers = policy.inline_waivers if honour_waivers is None else honour_waivers
    applied = apply_suppressions(
        run.results,
        baseline=baseline,
        skills=run.skills,
        honour_waivers=waivers,
        untrusted_paths=frozenset(run.versions),  # registry content: never honour its authors' waivers
    )
    return ScanReport(
        results=applied.results,
        errors=tuple(run.errors),
        suppressed=applied.suppressed,
        fail_on=(fail_on or policy.fail_on).lower(),
        policy=policy.name,
        rules=rule_catalogue(),
        fingerprints=applied.fingerprints,
        tool_version=__version__,
    )


def looks_like_path(target: str) -> bool:
    """A scan target is a path when it exists on disk or is spelled like one; otherwise a registry ref."""
    return (
        Path(target).exists()
        or "/" in target
        or target.startswith(".")
        or target.endswith((".zip", ".tar", ".tgz", ".tar.gz", ".skill"))
    )


@functools.lru_cache(maxsize=1)
def _add_time_options() -> ScanOptions:
    return load_policy(None).options


def scan_on_add(store: SkillStore, skill: Skill, version: Version) -> None:
    """``on_version_added`` hook: scan the new version with the balanced preset, store result and tier."""
    result = _scan_one(default_scanner(), skill, _add_time_options(), version.ref)
    store_result(store, version, result)


hooks.on_version_added(scan_on_add)

__all__ = [
    "NotFoundError",
    "ScanEngineUnavailable",
    "ScanRun",
    "Suppressed",
    "build_report",
    "default_scanner",
    "looks_like_path",
    "result_from_artifact",
    "result_to_artifact",
    "rule_capabilities",
    "rule_catalogue",
    "scan_on_add",
    "scan_paths",
    "scan_registry",
    "store_result",
    "stored_result",
]
