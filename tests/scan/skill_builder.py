"""Build a one-off skill from a SKILL.md body and extra files, and scan it (shared by the attack-class tests)."""

from __future__ import annotations

from skillyard.model import ScanResult, Severity, SkillFile
from skillyard.scan import scan_skill
from skillyard.spec import load_skill

HIGH = (Severity.HIGH, Severity.CRITICAL)


def scan_md(name: str, description: str, body: str, extra: dict[str, str] | None = None) -> ScanResult:
    """Scan a skill made of a SKILL.md (frontmatter ``name`` and ``description``, then ``body``) and ``extra`` files."""
    md = f"---\nname: {name}\ndescription: {description}\n---\n\n{body}\n"
    files = [SkillFile("SKILL.md", md.encode())]
    files += [SkillFile(p, t.encode()) for p, t in (extra or {}).items()]
    return scan_skill(load_skill(name, files, location=name))
