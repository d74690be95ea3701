"""Scanner options: what policies (strict/balanced/permissive) map onto."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from skillyard.scan.context import DEFAULT_WEIGHTS


@dataclass(frozen=True)
class ScanOptions:
    """How a scan runs.

    - ``min_confidence``: findings whose weighted confidence is below this are dropped from the result
      (they still never change ``risk``, which only counts weighted findings above the risk thresholds).
    - ``context_weights``: per :class:`~skillyard.scan.context.ContextKind` multiplier of rule confidence.
    - ``security_topic_factor``: extra multiplier for SKILL.md/reference lines of a skill whose name or
      description is about security (such skills quote attack patterns to teach or detect them).
    - ``enabled_families`` / ``enabled_rules``: ``None`` means all; ``disabled_rules`` always wins.
    - ``max_file_bytes``: files above this are pattern-matched in full but not AST/shell-parsed (reported
      unanalysable). ``work_budget``: per-skill budget in counted work units (about a microsecond each on the
      machine it was calibrated on; see docs/scanner.md): shell analysis stops at 60% of it and line matching at
      100%; whatever was cut is reported unanalysable (fail closed, IN003), never skipped silently. Counted, not
      timed, so a skill's findings do not depend on machine speed or load.
    - ``max_decode_depth``: how many layers of base64/hex-to-shell are decoded and re-scanned.
    - ``trusted_installer_hosts``: hosts whose ``curl | sh`` installers are well known (extends the built-in list).
    """

    min_confidence: float = 0.0
    context_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    security_topic_factor: float = 0.6
    enabled_families: frozenset[str] | None = None
    enabled_rules: frozenset[str] | None = None
    disabled_rules: frozenset[str] = frozenset()
    max_file_bytes: int = 1_000_000
    work_budget: int = 1_000_000
    max_decode_depth: int = 3
    trusted_installer_hosts: frozenset[str] = frozenset()

    def weight(self, kind: str) -> float:
        return self.context_weights.get(kind, DEFAULT_WEIGHTS.get(kind, 1.0))

    def rule_enabled(self, rule_id: str, family: str) -> bool:
        if rule_id in self.disabled_rules:
            return False
        if self.enabled_rules is not None and rule_id in self.enabled_rules:
            return True
        if self.enabled_families is not None:
            return family in self.enabled_families
        return self.enabled_rules is None
