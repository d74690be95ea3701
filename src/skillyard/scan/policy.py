"""Scan policies: YAML presets (strict, balanced, permissive) or a user file, mapped onto
:class:`~skillyard.scan.options.ScanOptions`, the ``--fail-on`` threshold, inline-waiver handling and the
minimum trust tiers that may be served, installed, or have their scripts run.

A policy file (``version: 1``)::

    version: 1
    name: my-team
    extends: balanced          # optional: start from a preset, override what follows
    fail_on: high              # low | medium | high | critical | never
    inline_waivers: true       # honour "skillyard: ignore[RULE] reason=..." in the scanned files
    trust: {serve: instructions, install: instructions, run_scripts: scripts}
    scan:                      # any ScanOptions field
      min_confidence: 0.2
      disabled_rules: [SC103]
      context_weights: {reference: 0.8}

Errors name the file and the offending key (exit code 2 at the CLI).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from skillyard.errors import UsageError
from skillyard.model import Risk, TrustTier
from skillyard.scan.options import ScanOptions

PRESETS = ("strict", "balanced", "permissive")
DEFAULT_POLICY = "balanced"
POLICY_VERSION = 1
FAIL_ON_CHOICES = ("low", "medium", "high", "critical", "never")
_TOP_KEYS = {"version", "name", "description", "extends", "fail_on", "inline_waivers", "trust", "scan"}
_TRUST_KEYS = {"serve", "install", "run_scripts"}


class PolicyError(UsageError):
    """A policy name is unknown or a policy file is invalid (exit code 2)."""


@dataclass(frozen=True)
class Policy:
    """A resolved policy."""

    name: str
    description: str
    options: ScanOptions
    fail_on: str = Risk.HIGH.value
    inline_waivers: bool = True
    serve_min: TrustTier = TrustTier.INSTRUCTIONS
    install_min: TrustTier = TrustTier.INSTRUCTIONS
    scripts_min: TrustTier = TrustTier.SCRIPTS
    source: str = ""

    def may_serve(self, tier: TrustTier) -> bool:
        """Whether a skill's instructions may be served (MCP ``skills/get``, web) at this tier."""
        return tier != TrustTier.BLOCKED and tier >= self.serve_min

    def may_install(self, tier: TrustTier) -> bool:
        """Whether a skill may be installed into an agent at this tier (BLOCKED never is)."""
        return tier != TrustTier.BLOCKED and tier >= self.install_min

    def may_run_scripts(self, tier: TrustTier) -> bool:
        """Whether the skill's scripts may be run (with the agent's own approval flow) at this tier."""
        return tier != TrustTier.BLOCKED and tier >= self.scripts_min

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "source": self.source,
            "fail_on": self.fail_on,
            "inline_waivers": self.inline_waivers,
            "trust": {
                "serve": self.serve_min.name.lower(),
                "install": self.install_min.name.lower(),
                "run_scripts": self.scripts_min.name.lower(),
            },
            "scan": _options_dict(self.options),
        }


def _options_dict(o: ScanOptions) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(o):
        v = getattr(o, f.name)
        if isinstance(v, frozenset):
            v = sorted(v)
        elif isinstance(v, Mapping):
            v = {str(k): val for k, val in v.items()}
        out[f.name] = v
    return out


def _read_yaml(text: str, where: str) -> dict[str, Any]:
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        loc = f"{where}:{mark.line + 1}:{mark.column + 1}" if mark is not None else where
        raise PolicyError(f"{loc}: invalid YAML: {getattr(e, 'problem', None) or e}") from None
    if not isinstance(doc, dict):
        raise PolicyError(f"{where}: a policy must be a YAML mapping")
    return doc


def _preset_text(name: str) -> str:
    return resources.files("skillyard.scan").joinpath("policies").joinpath(f"{name}.yaml").read_text("utf-8")


def _tier(value: Any, where: str, key: str) -> TrustTier:
    try:
        return TrustTier.parse(str(value))
    except ValueError as e:
        raise PolicyError(f"{where}: trust.{key}: {e}") from None


# Options that policies written for older versions may still set; accepted and ignored. ``time_budget_s`` was a
# wall-clock budget, replaced by the deterministic ``work_budget`` (docs/scanner.md, "Limits and bounded work").
_RETIRED_OPTIONS = frozenset({"time_budget_s"})


def _apply_scan(base: ScanOptions, scan: Any, where: str) -> ScanOptions:
    if scan is None:
        return base
    if not isinstance(scan, dict):
        raise PolicyError(f"{where}: 'scan' must be a mapping of ScanOptions fields")
    fields = {f.name: f for f in dataclasses.fields(ScanOptions)}
    changes: dict[str, Any] = {}
    for key, value in scan.items():
        if key in _RETIRED_OPTIONS:
            continue
        if key not in fields:
            raise PolicyError(f"{where}: scan.{key}: unknown option; expected one of {', '.join(sorted(fields))}")
        current = getattr(base, key)
        if key == "context_weights":
            if not isinstance(value, dict) or not all(isinstance(v, int | float) for v in value.values()):
                raise PolicyError(f"{where}: scan.context_weights must map context kinds to numbers")
            changes[key] = {**dict(current), **{str(k): float(v) for k, v in value.items()}}
        elif isinstance(current, frozenset) or (current is None and key.startswith("enabled_")):
            if value is None:
                changes[key] = None if current is None or key.startswith("enabled_") else frozenset()
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                changes[key] = frozenset(value)
            else:
                raise PolicyError(f"{where}: scan.{key} must be a list of strings")
        elif isinstance(current, bool):
            if not isinstance(value, bool):
                raise PolicyError(f"{where}: scan.{key} must be true or false")
            changes[key] = value
        elif isinstance(current, int | float):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise PolicyError(f"{where}: scan.{key} must be a number")
            changes[key] = type(current)(value)
        else:
            changes[key] = value
    return dataclasses.replace(base, **changes)


def _build(doc: dict[str, Any], where: str, depth: int = 0) -> Policy:
    unknown = set(doc) - _TOP_KEYS
    if unknown:
        raise PolicyError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    if doc.get("version", POLICY_VERSION) != POLICY_VERSION:
        raise PolicyError(f"{where}: unsupported policy version {doc.get('version')!r} (expected 1)")
    base: Policy
    if "extends" in doc:
        parent = str(doc["extends"])
        if parent not in PRESETS or depth > 0:
            raise PolicyError(f"{where}: extends: must name a preset ({', '.join(PRESETS)})")
        base = _build(_read_yaml(_preset_text(parent), f"preset:{parent}"), f"preset:{parent}", depth + 1)
    else:
        base = Policy(name="custom", description="", options=ScanOptions())
    fail_on = str(doc.get("fail_on", base.fail_on)).lower()
    if fail_on not in FAIL_ON_CHOICES:
        raise PolicyError(f"{where}: fail_on: {fail_on!r} is not one of {', '.join(FAIL_ON_CHOICES)}")
    waivers = doc.get("inline_waivers", base.inline_waivers)
    if not isinstance(waivers, bool):
        raise PolicyError(f"{where}: inline_waivers must be true or false")
    trust = doc.get("trust") or {}
    if not isinstance(trust, dict) or set(trust) - _TRUST_KEYS:
        raise PolicyError(f"{where}: trust must be a mapping with keys {', '.join(sorted(_TRUST_KEYS))}")
    return Policy(
        name=str(doc.get("name", base.name)),
        description=" ".join(str(doc.get("description", base.description)).split()),
        options=_apply_scan(base.options, doc.get("scan"), where),
        fail_on=fail_on,
        inline_waivers=waivers,
        serve_min=_tier(trust["serve"], where, "serve") if "serve" in trust else base.serve_min,
        install_min=_tier(trust["install"], where, "install") if "install" in trust else base.install_min,
        scripts_min=(_tier(trust["run_scripts"], where, "run_scripts") if "run_scripts" in trust else base.scripts_min),
        source=where,
    )


def load_policy(name_or_path: str | None = None) -> Policy:
    """A preset by name (``strict``, ``balanced``, ``permissive``; default balanced) or a YAML file path."""
    ref = name_or_path or DEFAULT_POLICY
    if ref in PRESETS:
        return _build(_read_yaml(_preset_text(ref), f"preset:{ref}"), f"preset:{ref}")
    p = Path(ref)
    if not p.is_file():
        raise PolicyError(f"{ref}: not a policy preset ({', '.join(PRESETS)}) nor a policy file")
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise PolicyError(f"{p}: cannot read policy: {e}") from None
    return _build(_read_yaml(text, str(p)), str(p))
