"""Wrappers around privilege-escalation checks (split out of privilege.py): a setting the skill explains and
refuses to enable is documentation, prose telling the agent its confirmations are off is PE003 at medium, and
NOPASSWD scoped to named commands is medium."""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.view import SkillView
from skillyard.scan.context import documentation
from skillyard.scan.rules.base import Check, Hit, line_rule

_EXPLAINED = re.compile(
    r"\b(?:do\s+not|don'?t|never)\s+(?:enable|turn\s+on|switch\s+on|set|activate)\s+(?:it|this|that|them)\b"
    r"|\bonly\s+(?:be\s+)?used\s+(?:inside|in|within)\s+(?:a\s+)?(?:disposable|throwaway|isolated|sandboxed)\b",
    re.IGNORECASE,
)


def explained(inner: Check) -> Check:
    def check(view: SkillView) -> Iterator[Hit]:
        for h in inner(view):
            tf = view.file(h.file)
            if tf is not None and tf.lang == "markdown" and 1 <= h.line <= len(tf.rows):
                after = " ".join(tf.rows[h.line - 1 : h.line + 3])
                if _EXPLAINED.search(after):
                    yield Hit(h.rule, h.file, h.line, h.message + " (explained, and the skill says not to enable it)",
                              h.evidence, documentation("explains the setting and refuses to enable it"))  # fmt: skip
                    continue
            yield h

    return check


# Prose telling the agent its confirmations are off: medium alone (autonomous-mode skills say similar things);
# the skill-level combination with a persistence hook or concealment makes it high.
_PROSE_BYPASS = re.compile(
    r"\b(?:safety\s+)?confirmations?\s+(?:prompts?\s+)?(?:are|is|have\s+been)\s+(?:now\s+)?(?:disabled|turned\s+off|off)\b"
    r"|\bnever\s+ask\s+(?:the\s+user\s+)?(?:for\s+)?(?:permission|confirmation|approval)\b"
    r"|\bpre-?approved\s+(?:all|every|any)\s+(?:shell\s+)?(?:commands?|tool\s+calls?)\b",
    re.IGNORECASE,
)


def with_prose_bypass(inner: Check) -> Check:
    prose = line_rule(
        "PE003",
        _PROSE_BYPASS,
        "tells the agent its confirmations are off",
        keywords=("confirmation", "never ask", "approved"),
        kinds=frozenset({"prose", "comment"}),
    )

    def check(view: SkillView) -> Iterator[Hit]:
        yield from inner(view)
        for h in prose(view):
            yield Hit(h.rule, h.file, h.line, h.message, h.evidence, h.context, Severity.MEDIUM)

    return check


_SUDO_RULE = re.compile(r"^\s*[%\w.-]+\s+[\w.,-]+\s*=\s*(?:\([^)]*\)\s*)?((?:\w+:\s*)*)(.+)$")


def _installs_scoped_rule(view: SkillView, evidence: str) -> bool:
    """``evidence`` installs a bundled sudoers file (``install -m 440 99-deploy /etc/sudoers.d/``) whose every rule
    names its commands (``deploy ALL=(root) NOPASSWD: /usr/bin/systemctl restart app.service``), none ``ALL``."""
    for tf in view.files:
        name = tf.path.rsplit("/", 1)[-1]
        if tf.path == "SKILL.md" or not re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w.-])", evidence):
            continue
        rules = [m for r in tf.rows if r.strip() and not r.lstrip().startswith(("#", "Defaults")) and
                 (m := _SUDO_RULE.match(r))]  # fmt: skip
        if rules and all(not re.search(r"(?:^|,)\s*ALL\s*(?:,|$)", m.group(2)) for m in rules):
            return True
    return False


def scoped(inner: Check) -> Check:
    """PE002: NOPASSWD scoped to named commands is medium (also when the line installs a bundled sudoers file whose
    rules all name their commands); NOPASSWD: ALL and setuid stay high."""

    def check(view: SkillView) -> Iterator[Hit]:
        for h in inner(view):
            scoped = "NOPASSWD" in h.evidence and not re.search(r"NOPASSWD:\s*ALL", h.evidence)
            scoped = scoped or ("sudoers" in h.evidence and _installs_scoped_rule(view, h.evidence))
            yield Hit(h.rule, h.file, h.line, h.message, h.evidence, h.context, Severity.MEDIUM if scoped else None)

    return check


_EXCLUDED = re.compile(r"-ExclusionPath\s+([\"'][^\"']+[\"']|[^\s;|]+)", re.IGNORECASE)
# a drive root, the profile and the download/temp/appdata folders are where payloads land: excluding them is how
# stealers blind Defender; so is excluding a process or a file extension
_BROAD = re.compile(
    r"^[A-Za-z]:\\?$|USERPROFILE|\$HOME|\$env:(?:TEMP|TMP|APPDATA|LOCALAPPDATA|ProgramData|SystemRoot|windir)|%(?:TEMP|TMP|"
    r"APPDATA|LOCALAPPDATA|ProgramData)%|Downloads|\\Users\\?[^\\]*\\?$|\\Windows\\?|\*|\\Temp\\?$",
    re.IGNORECASE,
)


def scoped_exclusion(inner: Check) -> Check:
    """PE008: a Defender exclusion for one named project folder (``Add-MpPreference -ExclusionPath D:\\src\\repo``,
    the documented build-speed advice) is medium; a drive root, the profile, temp/download/appdata folders, a
    process or extension exclusion, or switching protection off stays high."""

    def check(view: SkillView) -> Iterator[Hit]:
        for h in inner(view):
            paths = [p.strip("\"'") for p in _EXCLUDED.findall(h.evidence)]
            narrow = (
                bool(paths)
                and "Disable" not in h.evidence
                and not re.search(r"-Exclusion(?:Process|Extension)", h.evidence, re.IGNORECASE)
                and not any(_BROAD.search(p) for p in paths)
            )
            yield Hit(h.rule, h.file, h.line, h.message + (" (one project folder)" if narrow else ""), h.evidence,
                      h.context, Severity.MEDIUM if narrow else None)  # fmt: skip

    return check
