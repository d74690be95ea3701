"""The scan engine: analyse a skill, run the rules, weight by context, decide the risk.

Nothing here reads the disk, opens the network or executes skill content: the input is a
:class:`~skillyard.model.Skill` (files as bytes) and the output a :class:`~skillyard.model.ScanResult`.
"""

from __future__ import annotations

from skillyard.model import Finding, ScanResult, Severity, Skill, SkillRef
from skillyard.scan.analyzers.capabilities import CAPABILITIES, FACT_CAPABILITY, RULE_CAPABILITY, claimed
from skillyard.scan.analyzers.collect import collect_snippets
from skillyard.scan.analyzers.javascript import analyse_javascript
from skillyard.scan.analyzers.python import analyse_python
from skillyard.scan.analyzers.shell import analyse_snippet, download_run_facts
from skillyard.scan.analyzers.view import (
    WORK_PER_FACT,
    WORK_PER_HIT,
    WORK_PER_SHELL_BYTE,
    WORK_PER_SNIPPET,
    SkillView,
    Unanalysable,
    build_view,
)
from skillyard.scan.context import ContextKind
from skillyard.scan.options import ScanOptions
from skillyard.scan.risk import skill_risk, to_finding
from skillyard.scan.rules import all_rules, get_rule
from skillyard.scan.rules.base import Hit

_ACTIVE = (ContextKind.INSTRUCTION, ContextKind.SCRIPT, ContextKind.METADATA)
_UNEXPLAINED = ("reads_secrets", "writes_persistence", "reads_user_files")
# shell analysis may spend this share of the work budget; the rest is kept for line matching
SHELL_SHARE_PERCENT = 60


def analyse(skill: Skill, options: ScanOptions) -> SkillView:
    """Build the analysed view of ``skill``: lines, snippets, shell/Python/JS facts (bounded by the work budget)."""
    view = build_view(skill, options)
    view.work_limit = options.work_budget
    analyse_python(view)
    analyse_javascript(view)
    collect_snippets(view)
    shell_limit = options.work_budget * SHELL_SHARE_PERCENT // 100
    i = 0
    while i < len(view.snippets):
        sn = view.snippets[i]
        if sn.lang == "shell" and sn.text:
            cost = WORK_PER_SNIPPET + WORK_PER_SHELL_BYTE * len(sn.text)
            if view.work + cost > shell_limit:
                for path in sorted({s.file for s in view.snippets[i:]}):
                    view.unanalysable.append(
                        Unanalysable(
                            path, "budget", "shell analysis stopped at the work budget; pattern rules still ran"
                        )
                    )
                break
            view.work += cost
            facts = len(view.facts)
            analyse_snippet(view, sn)
            view.work += WORK_PER_FACT * (len(view.facts) - facts)
        elif sn.lang == "powershell" and sn.text:
            download_run_facts(view, sn, sn.text.lower())
        i += 1
    return view


def _concealed_order(view: SkillView, h: Hit) -> bool:
    """An order to the agent kept out of the user's sight - inside an HTML comment of a markdown file, or spelled in
    invisible Unicode tag characters - on a line read as an instruction (not a fenced or quoted example). A
    security skill teaching about such orders shows them; it does not hide them, so the topic discount does not
    apply."""
    if get_rule(h.rule).topic_exempt:  # rules whose hits are concealed orders by construction (E029, P036)
        return True
    if h.context is None or h.context.kind is not ContextKind.INSTRUCTION:
        return False
    if h.rule == "P003":
        return "tag characters" in h.message
    tf = view.file(h.file)
    if tf is None or tf.md is None or "<!--" not in tf.text:
        return False
    block = tf.md.block_of(h.line)
    if block is None or block[2] != "comment":
        return False
    row = tf.md.rows[block[0] - 1]
    return "<!--" in row and row[: row.find("<!--")].count("`") % 2 == 0  # not quoted as `<!-- ... -->`


def _capabilities(view: SkillView, hits: list[Hit]) -> dict[str, Hit | None]:
    caps: dict[str, Hit | None] = {}
    for h in hits:
        cap = RULE_CAPABILITY.get(h.rule)
        if cap and h.context is not None and h.context.kind in _ACTIVE and cap not in caps:
            caps[cap] = h
    for f in view.facts:
        cap = FACT_CAPABILITY.get(f.kind)
        if cap and f.ctx.kind in _ACTIVE and cap not in caps:
            caps[cap] = Hit("", f.file, f.line, f.detail, f.evidence, f.ctx)
    if any(tf.role == "script" and tf.lang in ("python", "shell", "javascript", "powershell") for tf in view.files):
        caps.setdefault("command_execution", None)
    low = " ".join(tf.lower for tf in view.files if tf.role == "skill_md")
    if any(
        k in low
        for k in (
            "web_fetch",
            "webfetch",
            "scrape",
            "browse the",
            "read emails",
            "inbox",
            "fetch the page",
            "issue comments",
            "search the web",
            "websearch",
        )
    ):
        caps.setdefault("reads_untrusted_input", None)
    return caps


def _alignment(view: SkillView, caps: dict[str, Hit | None]) -> list[Hit]:
    claim = f"{view.skill.name} {view.skill.description}"
    out: list[Hit] = []
    for cap in _UNEXPLAINED:
        h = caps.get(cap)
        if h is None or claimed(cap, claim):
            continue
        out.append(
            Hit(
                "IN002",
                h.file,
                h.line,
                f"{cap.replace('_', ' ')} is not explained by the name or description ({h.message})",
                h.evidence,
                h.context,
            )
        )
    if "reads_secrets" in caps and "network_egress" in caps and not claimed("reads_secrets", claim):
        h = caps["network_egress"]
        r = caps["reads_secrets"]
        in_scripts = all(
            x is not None and x.context is not None and x.context.kind is ContextKind.SCRIPT for x in (h, r)
        )
        if h is not None and in_scripts:
            out.append(
                Hit(
                    "IN002",
                    h.file,
                    h.line,
                    "undeclared secret access combined with network egress",
                    h.evidence,
                    h.context,
                    Severity.HIGH,
                    0.7,
                )
            )
    return out


def scan_skill(skill: Skill, options: ScanOptions | None = None) -> ScanResult:
    """Scan one skill: findings after context weighting, the skill-level risk and its capability profile.

    Never executes skill content and needs no network. Unanalysable content (binaries, archives, bytecode,
    oversized or undecodable files, work beyond the work budget) is listed in ``unanalysable`` and reported as
    findings - never skipped silently.
    """
    opts = options or ScanOptions()
    view = analyse(skill, opts)
    hits: list[Hit] = []
    for rule in all_rules():
        if rule.retired or not opts.rule_enabled(rule.id, rule.family.value):
            continue
        for h in rule.check(view):
            if h.rule == rule.id:
                hits.append(h)
            if view.spend(WORK_PER_HIT, h.file, f"rule {rule.id} (from line {h.line})"):
                break
    caps = _capabilities(view, hits)
    if opts.rule_enabled("IN002", "integrity"):
        hits.extend(_alignment(view, caps))
    best: dict[tuple[str, str, int], Finding] = {}
    for h in hits:
        f = to_finding(h, get_rule(h.rule), opts, view.security_topic and not _concealed_order(view, h))
        key = (f.rule, f.file, f.line)
        cur = best.get(key)
        if cur is None or (f.severity.rank, f.confidence) > (cur.severity.rank, cur.confidence):
            best[key] = f
    findings = sorted(
        (f for f in best.values() if f.confidence >= opts.min_confidence),
        key=lambda f: (-f.severity.rank, f.file, f.line, f.rule),
    )
    return ScanResult(
        skill=SkillRef(skill.name, skill.location, skill.digest),
        risk=skill_risk(findings),
        findings=tuple(findings),
        unanalysable=tuple(f"{u.path}: {u.kind}: {u.reason}" for u in view.unanalysable),
        capabilities=tuple(c for c in CAPABILITIES if c in caps),
    )
