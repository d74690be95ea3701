"""PE031: a project file that makes the editor run shell commands when a file of the project is opened (blind12
emacs-project-defaults).

Emacs applies ``.dir-locals.el`` to every file under its folder; an ``(eval . FORM)`` entry runs ``FORM`` once the
user marks the variables safe (a skill that says "answer ``!`` so you are not asked again" asks for exactly that).
Neovim's ``exrc`` files (``.nvim.lua``, ``.exrc``) run on entering the folder once trusted. Such a file that starts
processes (``shell-command``, ``call-process``, ``make-process``; ``vim.fn.system``, ``os.execute``, ``io.popen``,
``jobstart``) runs code for whoever opens the project: high, critical when it goes through sudo (TRAMP
``/sudo::``, ``sudo``) or sets a setuid bit. Indentation, fill-column or compile-command settings are not matched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.view import SkillView
from skillyard.scan.context import SCRIPT
from skillyard.scan.rules.base import Family, Hit, Rule, snippet

_NAMES = (".dir-locals.el", ".dir-locals-2.el", ".nvim.lua", ".exrc", ".nvimrc")
_PROCESS = re.compile(
    r"\((?:async-)?shell-command(?:-to-string)?\b|\(call-process(?:-shell-command)?\b|\((?:start|make)-process\b"
    r"|\(process-file\b|\bvim\.fn\.(?:system|systemlist|jobstart)\s*\(|\bos\.execute\s*\(|\bio\.popen\s*\("
    r"|\bvim\.system\s*\(|^\s*:?!\S|\bsystem\s*\(",
    re.MULTILINE,
)
_ROOT = re.compile(
    r"/sudo::|\bsudo\b|\bchmod\b[^\n]*(?:[ugoa]*\+s|\b[4-7][0-7]{3}\b)|\(\+\s*[24]000\b|setuid|\bcurl\b|\bwget\b"
)


def _editor_autorun(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        name = tf.path.rsplit("/", 1)[-1].lower()
        if tf.role == "test" or name not in _NAMES:
            continue
        if name.startswith(".dir-locals") and "(eval" not in tf.text:
            continue  # without eval, dir-locals only set variables
        m = _PROCESS.search(tf.text)
        if m is None:
            continue
        line = tf.text.count("\n", 0, m.start()) + 1
        worse = _ROOT.search(tf.text)
        yield Hit("PE031", tf.path, line, f"{name} runs a shell command whenever the project is opened"
                  + (f" (with {worse.group(0).strip()!r})" if worse else ""), snippet(tf.rows[line - 1]), SCRIPT,
                  Severity.CRITICAL if worse else None)  # fmt: skip


RULES = [
    Rule(
        "PE031",
        "Editor project file runs commands on open",
        Family.PRIVILEGE_ESCALATION,
        Severity.HIGH,
        0.85,
        "An Emacs .dir-locals.el eval form or a Neovim exrc file that starts processes runs code for anyone who "
        "opens the project (once its variables are marked safe or the folder trusted); through sudo or with a "
        "setuid bit it becomes a root backdoor.",
        "Keep project files to plain settings; put commands in a script the user runs on purpose.",
        _editor_autorun,
        mitre="T1546",
    ),
]
