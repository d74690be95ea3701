"""The Cisco skill-scanner side of ``bench/scan.py``: its offline analyzers behind the same :class:`Verdict` as
skillyard's, and its threat categories mapped onto the project's families."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

# Cisco threat categories -> the project's families (for blaming a false positive on a family).
CISCO_FAMILY = {
    "PROMPT_INJECTION": "prompt-injection",
    "SOCIAL_ENGINEERING": "prompt-injection",
    "UNICODE_STEGANOGRAPHY": "prompt-injection",
    "SKILL_DISCOVERY_ABUSE": "prompt-injection",
    "TRANSITIVE_TRUST_ABUSE": "prompt-injection",
    "AUTONOMY_ABUSE": "prompt-injection",
    "DATA_EXFILTRATION": "data-exfiltration",
    "HARDCODED_SECRETS": "data-exfiltration",
    "UNAUTHORIZED_TOOL_USE": "privilege-escalation",
    "COMMAND_INJECTION": "supply-chain",
    "OBFUSCATION": "supply-chain",
    "MALWARE": "supply-chain",
    "SUPPLY_CHAIN_ATTACK": "supply-chain",
    "TOOL_CHAINING_ABUSE": "supply-chain",
}


@dataclass
class Verdict:
    flagged: bool
    family: str  # family of the strongest finding ("other" when none)
    level: str  # skillyard risk / Cisco max severity
    seconds: float
    rules: tuple[str, ...] = ()
    error: str = ""


class Cisco:
    """The Cisco skill-scanner, core (offline) analyzers only."""

    def __init__(self) -> None:
        logging.disable(logging.WARNING)  # it logs every YAML problem of every skill
        t0 = time.perf_counter()
        from skill_scanner.core.scanner import SkillScanner

        self.scanner = SkillScanner()
        self.init_seconds = time.perf_counter() - t0
        self.analyzers = [a.get_name() for a in self.scanner.analyzers]
        try:
            from importlib.metadata import version

            self.version = version("cisco-ai-skill-scanner")
        except Exception:
            self.version = "?"

    def folder(self, folder: Path) -> Verdict:
        t0 = time.perf_counter()
        try:
            r = self.scanner.scan_skill(folder, lenient=True)
        except Exception as e:  # count, do not crash the benchmark
            return Verdict(False, "other", "error", time.perf_counter() - t0, error=f"{type(e).__name__}: {e}")
        dt = time.perf_counter() - t0
        sev = {"CRITICAL": 4, "HIGH": 3, "MEDIUM": 2, "LOW": 1, "INFO": 0, "SAFE": 0}
        findings = sorted(r.findings, key=lambda f: -sev.get(f.severity.name, 0))
        top = findings[0] if findings else None
        level = top.severity.name.lower() if top else "safe"
        flagged = bool(top and sev.get(top.severity.name, 0) >= 3)
        fam = CISCO_FAMILY.get(top.category.name, "other") if flagged and top else "other"
        return Verdict(flagged, fam, level, dt, tuple(sorted({f.rule_id for f in findings})))
