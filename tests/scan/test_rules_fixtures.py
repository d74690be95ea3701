"""Every rule ships a bad example that fires it and a good look-alike that does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillyard.model import SkillFile
from skillyard.scan import scan_skill
from skillyard.scan.rules import all_rules
from skillyard.spec import load_skill

REPO = Path(__file__).resolve().parents[2]
RULES = [r for r in all_rules() if not r.retired]


def load_dir(folder: Path):  # type: ignore[no-untyped-def]
    files = [
        SkillFile(p.relative_to(folder).as_posix(), p.read_bytes()) for p in sorted(folder.rglob("*")) if p.is_file()
    ]
    return load_skill(folder.name, files, location=str(folder))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_bad_example_fires(rule) -> None:  # type: ignore[no-untyped-def]
    folder = REPO / rule.bad_example
    assert folder.is_dir(), f"missing bad example {rule.bad_example}"
    result = scan_skill(load_dir(folder))
    fired = {f.rule for f in result.findings}
    assert rule.id in fired, f"{rule.id} did not fire on {rule.bad_example}: {sorted(fired)}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_good_example_is_quiet(rule) -> None:  # type: ignore[no-untyped-def]
    folder = REPO / rule.good_example
    assert folder.is_dir(), f"missing good example {rule.good_example}"
    result = scan_skill(load_dir(folder))
    fired = [f for f in result.findings if f.rule == rule.id and f.severity.rank >= 1]
    assert not fired, f"{rule.id} fired on its good example: {fired}"


def test_rule_metadata_is_complete() -> None:
    ids = [r.id for r in all_rules()]
    assert len(ids) == len(set(ids))
    for r in all_rules():
        assert r.title and r.rationale and r.remediation, r.id
        assert 0 < r.confidence <= 1, r.id
        assert r.help_uri.endswith("#" + r.id.lower())
        prefix = {
            "prompt-injection": "P",
            "data-exfiltration": "E",
            "privilege-escalation": "PE",
            "supply-chain": "SC",
            "integrity": "IN",
        }[r.family.value]
        assert r.id.startswith(prefix) and r.id[len(prefix) :].isdigit(), r.id
