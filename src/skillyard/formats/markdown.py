"""Markdown scan report, for pull-request comments and job summaries (GitHub ``$GITHUB_STEP_SUMMARY``)."""

from __future__ import annotations

from skillyard.formats.report import ScanReport, severity_order

_ICON = {"critical": "🟥", "high": "🔴", "medium": "🟠", "low": "🔵", "info": "⚪", "none": "🟢"}


def _cell(text: str, width: int = 120) -> str:
    """Make arbitrary (attacker-controlled) text safe inside a table cell: no pipes, newlines or HTML."""
    t = " ".join(text.split())
    t = t.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
    t = t.replace("`", "'")
    return t[:width] + ("…" if len(t) > width else "")


def to_markdown(report: ScanReport) -> str:
    """A summary table of skills by risk, then one findings table per skill that has findings."""
    s = report.summary()
    lines = ["# skillyard scan", ""]
    verdict = "**FAILED**" if report.failed else "**passed**"
    lines.append(
        f"{s['skills']} skill(s), {s['findings']} finding(s), {s['do_not_install']} marked do-not-install; "
        f"fail-on `{report.fail_on}`, policy `{report.policy}`: {verdict}."
    )
    lines += ["", "| skill | risk | findings | path |", "| --- | --- | ---: | --- |"]
    ordered = sorted(report.results, key=lambda x: (-x.risk.rank, x.skill.name))
    for r in ordered:
        icon = _ICON[r.risk.value]
        lines.append(f"| {_cell(r.skill.name)} | {icon} {r.risk.value} | {len(r.findings)} | `{_cell(r.skill.path)}` |")
    for r in ordered:
        if not r.findings and not r.unanalysable:
            continue
        lines += ["", f"## {_cell(r.skill.name)} — {r.risk.value}", ""]
        lines += ["| severity | rule | location | message | evidence |", "| --- | --- | --- | --- | --- |"]
        for f in severity_order(r.findings):
            rule = report.rules.get(f.rule)
            rid = f"[{f.rule}]({rule.help_uri})" if rule and rule.help_uri else f.rule
            loc = f"{f.file}:{f.line}" if f.line else f.file
            lines.append(
                f"| {_ICON[f.severity.value]} {f.severity.value} | {rid} | `{_cell(loc)}` | "
                f"{_cell(f.message)} | {'`' + _cell(f.evidence, 80) + '`' if f.evidence else ''} |"
            )
        for path in r.unanalysable:
            lines.append(f"| unanalysable | | `{_cell(path)}` | content could not be analysed | |")
    if report.errors:
        lines += ["", "## Not analysed", ""]
        lines += [f"- `{_cell(e.path)}`: {_cell(e.reason)}" for e in report.errors]
    if report.suppressed:
        lines += [
            "",
            f"{len(report.suppressed)} finding(s) suppressed "
            f"(baseline {s['suppressed']['baseline']}, waiver {s['suppressed']['waiver']}).",
        ]
    return "\n".join(lines) + "\n"
