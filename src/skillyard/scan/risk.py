"""From raw hits to weighted findings and a skill-level risk.

1. **Weighting.** A hit's confidence is ``rule (or hit) confidence x context weight``, and for a skill whose
   name/description is about security, SKILL.md and reference lines are further multiplied by
   ``security_topic_factor`` (such skills quote attack patterns). Scripts are never discounted for topic, nor
   are orders concealed in an HTML comment or tag characters (the engine passes ``security_topic=False``).
2. **Effective severity.** Weighted confidence >= 0.6 keeps the rule severity; >= 0.35 lowers it one level;
   >= 0.15 two levels; below that the finding is informational. A quoted ``curl | bash`` under "Patterns to
   detect" (0.8 x 0.25 = 0.2) therefore becomes ``low``; the same line in an install step stays ``high``.
3. **Skill risk** is the highest effective severity (info -> none), escalated one level to ``critical`` when
   two different families each have a ``high`` finding (e.g. credential access and a paste-site download:
   independent evidence of intent).

``risk`` ``high``/``critical`` means "do not install".
"""

from __future__ import annotations

from collections.abc import Iterable

from skillyard.model import Finding, Risk, Severity
from skillyard.scan.context import ContextKind
from skillyard.scan.options import ScanOptions
from skillyard.scan.rules.base import Hit, Rule

_SEV = [Severity.INFO, Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL]
_TOPIC_KINDS = (ContextKind.INSTRUCTION, ContextKind.REFERENCE, ContextKind.DOCUMENTATION)


def weighted_confidence(hit: Hit, rule: Rule, options: ScanOptions, security_topic: bool) -> float:
    """The hit's confidence after context weighting (0..1)."""
    conf = hit.confidence if hit.confidence is not None else rule.confidence
    kind = hit.context.kind if hit.context is not None else ContextKind.INSTRUCTION
    w = options.weight(kind)
    if security_topic and kind in _TOPIC_KINDS:
        w *= options.security_topic_factor
    return round(max(0.0, min(1.0, conf * w)), 3)


def effective_severity(severity: Severity, weighted: float) -> Severity:
    """Lower ``severity`` by how weak the weighted confidence is (see module docs)."""
    drop = 0 if weighted >= 0.6 else 1 if weighted >= 0.35 else 2 if weighted >= 0.15 else 9
    return _SEV[max(0, _SEV.index(severity) - drop)] if drop < 9 else Severity.INFO


def to_finding(hit: Hit, rule: Rule, options: ScanOptions, security_topic: bool) -> Finding:
    """Weight one hit into a contract :class:`~skillyard.model.Finding`."""
    wc = weighted_confidence(hit, rule, options, security_topic)
    sev = effective_severity(hit.severity or rule.severity, wc)
    msg = hit.message
    if hit.context is not None and hit.context.kind is not ContextKind.INSTRUCTION:
        why = f": {hit.context.reason}" if hit.context.reason else ""
        msg = f"{msg} [{hit.context.kind.value}{why}]"
    return Finding(rule.id, rule.family.value, sev, wc, hit.file, hit.line, msg, hit.evidence)


# Concealment rules, and rules whose findings are actions worth hiding (sending, escalating, installing).
_CONCEAL_RULES = frozenset({"P007"})
_ACTION_FAMILIES = frozenset({"data-exfiltration", "privilege-escalation", "supply-chain"})
_NOT_ACTIONS = frozenset({"PE001", "PE004", "SC011", "SC010"})


def _concealed_action(findings: list[Finding]) -> bool:
    """Concealment from the user (not discounted as documentation) a few lines from an action the agent would
    hide (upload, push, escalation, install): the two together are intent, even when each alone is medium or
    weaker."""
    hides = [f for f in findings if f.rule in _CONCEAL_RULES and f.confidence >= 0.5]
    return any(
        f.category in _ACTION_FAMILIES
        and f.rule not in _NOT_ACTIONS
        and f.confidence >= 0.4
        and any(h.file == f.file and abs(h.line - f.line) <= 8 for h in hides)
        for f in findings
    )


# Turning the agent's approvals off is medium alone (orchestration skills do it for sub-agents); with a
# persistence hook or a memory implant in the same skill, every later session runs unattended code.
_BYPASS_RULES = frozenset({"PE003"})
_PERSIST_RULES = frozenset({"PE005", "PE006"})


def _unattended_persistence(findings: list[Finding]) -> bool:
    """The current agent's approvals turned off (not a sub-agent's launch flag) plus a persistence hook."""
    bypass = any(f.rule in _BYPASS_RULES and f.confidence >= 0.4 and "sub-agent" not in f.message for f in findings)
    return bypass and any(f.rule in _PERSIST_RULES and f.confidence >= 0.5 for f in findings)


def skill_risk(findings: Iterable[Finding]) -> Risk:
    """The skill-level verdict from weighted findings (see module docs)."""
    findings = list(findings)
    top = Severity.INFO
    high_families: set[str] = set()
    for f in findings:
        if f.severity.rank > top.rank:
            top = f.severity
        if f.severity.rank >= Severity.HIGH.rank and f.category != "integrity":
            high_families.add(f.category)
    risk = Risk.NONE if top is Severity.INFO else Risk(top.value)
    if risk.rank < Risk.HIGH.rank and (_concealed_action(findings) or _unattended_persistence(findings)):
        risk = Risk.HIGH
    if risk is Risk.HIGH and len(high_families) >= 2:
        risk = Risk.CRITICAL
    return risk
