"""SARIF 2.1.0 output for code-scanning tools (GitHub, Azure DevOps, VS Code SARIF viewer).

Every rule the run knows is listed in ``tool.driver.rules`` with its short and full description, help
text, ``helpUri`` (an anchor in docs/rules.md), default level and ``properties.tags`` /
``security-severity`` (GitHub uses the latter to rank alerts). Each result carries ``partialFingerprints``
from the suppression fingerprint (rule + skill + file + normalised evidence, no line numbers) so alerts
survive edits that only move lines. Suppressed findings are kept with a ``suppressions`` entry
(``external`` for baselines, ``inSource`` for inline waivers), as SARIF intends.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from skillyard.formats.report import RuleInfo, ScanReport
from skillyard.model import Finding

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/skillyard/skillyard"
FINGERPRINT_KEY = "skillyard/v1"

LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "1.0"}


def _precision(confidence: float) -> str:
    if confidence >= 0.9:
        return "very-high"
    if confidence >= 0.7:
        return "high"
    if confidence >= 0.4:
        return "medium"
    return "low"


def _camel(title: str) -> str:
    return "".join(w.capitalize() for w in title.replace("-", " ").split() if w.isalnum())


def _descriptor(rule: RuleInfo) -> dict[str, Any]:
    sev = rule.severity.value
    tags = ["security", rule.family]
    if rule.mitre:
        tags.append(f"mitre-attack/{rule.mitre}")
    help_text = rule.remediation or rule.rationale or rule.title
    d: dict[str, Any] = {
        "id": rule.id,
        "name": "".join(w.capitalize() for w in rule.title.replace("-", " ").split() if w.isalnum()) or rule.id,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.rationale or rule.title},
        "help": {
            "text": help_text,
            "markdown": f"**{rule.title}**\n\n{rule.rationale}\n\n**Remediation:** {rule.remediation}",
        },
        "defaultConfiguration": {"level": LEVEL[sev]},
        "properties": {
            "tags": tags,
            "security-severity": SECURITY_SEVERITY[sev],
            "precision": _precision(rule.confidence),
            "problem.severity": "error" if sev in ("critical", "high") else "warning",
        },
    }
    if rule.help_uri:
        d["helpUri"] = rule.help_uri
    return d


def _fallback_rule(f: Finding) -> RuleInfo:
    return RuleInfo(id=f.rule, title=f.rule, family=f.category, severity=f.severity, confidence=f.confidence)


def _uri(skill_path: str, file: str) -> str:
    base = PurePosixPath(skill_path.replace("\\", "/")) if skill_path else PurePosixPath()
    p = base / file if file else base
    text = str(p)
    # Absolute paths become file URIs; relative ones stay relative to the checkout (uriBaseId %SRCROOT%).
    if text.startswith("/"):
        return "file://" + quote(text, safe="/")
    return quote(text, safe="/")


def _location(skill_path: str, f: Finding) -> dict[str, Any]:
    uri = _uri(skill_path, f.file)
    art: dict[str, Any] = {"uri": uri}
    if not uri.startswith("file://"):
        art["uriBaseId"] = "%SRCROOT%"
    phys: dict[str, Any] = {"artifactLocation": art}
    if f.line >= 1:
        region: dict[str, Any] = {"startLine": f.line}
        if f.evidence:
            region["snippet"] = {"text": f.evidence}
        phys["region"] = region
    return {"physicalLocation": phys}


def to_sarif(report: ScanReport) -> dict[str, Any]:
    """The SARIF 2.1.0 log of one run (validates against the OASIS schema; see tests/fixtures/sarif)."""
    rules: dict[str, RuleInfo] = dict(report.rules)
    for r in report.results:
        for f in r.findings:
            rules.setdefault(f.rule, _fallback_rule(f))
    for s in report.suppressed:
        rules.setdefault(s.finding.rule, _fallback_rule(s.finding))
    ordered = sorted(rules.values(), key=lambda x: x.id)
    index = {rule.id: i for i, rule in enumerate(ordered)}

    def result(skill_name: str, skill_path: str, risk: str, f: Finding, fp: str) -> dict[str, Any]:
        res: dict[str, Any] = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": LEVEL[f.severity.value],
            "message": {"text": f"{f.message} (skill {skill_name})"},
            "locations": [_location(skill_path, f)],
            "properties": {
                "skill": skill_name,
                "skillRisk": risk,
                "category": f.category,
                "severity": f.severity.value,
                "confidence": round(f.confidence, 3),
                "security-severity": SECURITY_SEVERITY[f.severity.value],
            },
        }
        if fp:
            res["partialFingerprints"] = {FINGERPRINT_KEY: fp}
        return res

    results: list[dict[str, Any]] = []
    for r in report.results:
        for i, f in enumerate(r.findings):
            fp = report.fingerprints.get((r.skill.path, i), "")
            results.append(result(r.skill.name, r.skill.path, r.risk.value, f, fp))
    paths = {r.skill.name: r.skill.path for r in report.results}
    for s in report.suppressed:
        res = result(s.skill, paths.get(s.skill, ""), "", s.finding, s.fingerprint)
        res["suppressions"] = [
            {"kind": "external" if s.kind == "baseline" else "inSource", "justification": s.justification}
        ]
        results.append(res)
    notifications = [{"level": "error", "message": {"text": f"{e.path}: {e.reason}"}} for e in report.errors]
    invocation: dict[str, Any] = {"executionSuccessful": not report.errors}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    driver: dict[str, Any] = {
        "name": "skillyard",
        "informationUri": INFORMATION_URI,
        "rules": [_descriptor(x) for x in ordered],
    }
    if report.tool_version:
        driver["version"] = report.tool_version
        driver["semanticVersion"] = report.tool_version
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "invocations": [invocation],
                "results": results,
                "columnKind": "unicodeCodePoints",
                "properties": {"summary": report.summary()},
            }
        ],
    }
