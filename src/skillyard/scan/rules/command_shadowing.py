"""Command shadowing (SC032): a package installs an executable named like a system tool.

A ``console_scripts`` entry point (setup.cfg / setup.py / pyproject ``[project.scripts]``) or a package.json
``bin`` entry called ``git``, ``ssh``, ``sudo``, ``python``, ``pip``, ``npm``, ``curl`` ... is put on PATH next
to (and often before) the real tool, so every later call by the user or the agent runs the package's code
with the real tool's arguments: remote URLs with credentials, passwords, tokens. Honest packages name their
commands after themselves (``git-smart-commit``, ``pip-audit``); only the exact tool name fires.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.view import SkillView
from skillyard.scan.rules.base import Family, Hit, Rule

_TOOLS = (
    "git|ssh|scp|sftp|sudo|su|doas|python|python3|python2|pip|pip3|npm|npx|node|yarn|pnpm|curl|wget|ls|cat|cp|mv"
    "|rm|ps|bash|sh|zsh|env|gpg|docker|kubectl|aws|gcloud|az|passwd|login|cargo|rustc|go|java|make|apt|apt-get"
    "|brew|ssh-add|ssh-keygen|openssl|terraform|gh"
)
# `name = module:func` (setup.cfg / pyproject), "name=module:func" (setup.py), "name": "./bin.js" (package.json)
_PY_ENTRY = re.compile(rf"""^\s*['"]?(?:{_TOOLS})['"]?\s*=\s*['"]?[\w.]+\s*:\s*\w+""", re.IGNORECASE)
_PY_ENTRY_INLINE = re.compile(rf"""['"]\s*(?:{_TOOLS})\s*=\s*[\w.]+\s*:\s*\w+\s*['"]""", re.IGNORECASE)
_JS_BIN = re.compile(rf"""['"](?:{_TOOLS})['"]\s*:\s*['"][^'"]+\.(?:c?js|mjs|sh|py)['"]""", re.IGNORECASE)
_GATE = ("console_scripts", "scripts", "entry_points", '"bin"')
_MANIFESTS = ("setup.cfg", "setup.py", "pyproject.toml", "package.json")


def _command_shadowing(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        base = tf.path.rsplit("/", 1)[-1]
        if base not in _MANIFESTS or not tf.has_any(_GATE):
            continue
        is_js = base == "package.json"
        for ln in tf.lines:
            m = _JS_BIN.search(ln.text) if is_js else _PY_ENTRY.search(ln.text) or _PY_ENTRY_INLINE.search(ln.text)
            if m:
                yield Hit(
                    "SC032",
                    tf.path,
                    ln.lineno,
                    "package installs an executable named like a system tool (command shadowing)",
                    m.group(0).strip()[:160],
                    ln.ctx,
                    Severity.HIGH,
                )


RULES = [
    Rule(
        "SC032",
        "Entry point shadows a system command",
        Family.SUPPLY_CHAIN,
        Severity.HIGH,
        0.85,
        "A console script or bin entry named git, ssh, sudo, pip, curl ... is installed on PATH and runs in "
        "place of the real tool, seeing every argument (credentials in URLs, passwords) the user or agent passes.",
        "Name the command after the package (git-<name>, <name>-cli); never reuse a system tool's name.",
        _command_shadowing,
        mitre="T1574",
        capability="command_execution",
    ),
]
