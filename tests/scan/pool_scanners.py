"""Module-level scanners for the process-pool tests (a worker process must be able to import them)."""

from __future__ import annotations

import os

from skillyard.model import ScanResult, Skill
from skillyard.scan import ScanOptions, scan_skill


def fails_on_bad(skill: Skill, options: ScanOptions) -> ScanResult:
    """The real engine, except that a skill named ``bad-*`` makes it raise."""
    if skill.name.startswith("bad-"):
        raise ValueError(f"cannot scan {skill.name}")
    return scan_skill(skill, options)


def dies_on_bad(skill: Skill, options: ScanOptions) -> ScanResult:
    """The real engine, except that a skill named ``bad-*`` kills the process scanning it."""
    if skill.name.startswith("bad-"):
        os._exit(3)
    return scan_skill(skill, options)
