"""PE028: Windows registry values that hijack logon or the accessibility programs (blind11 windows-context-menu).

Three registry places run a program of the attacker's choosing with SYSTEM or logon rights, and no honest tool
writes them:

- ``Image File Execution Options\\<exe>`` ``Debugger``: Windows starts the "debugger" instead of ``<exe>``. Set on
  ``sethc.exe``/``utilman.exe``/``osk.exe`` (the sticky-keys and ease-of-access programs runnable from the lock
  screen) to ``cmd.exe`` it is the classic pre-login SYSTEM shell (critical).
- ``Winlogon`` ``Userinit``/``Shell`` with anything added to ``userinit.exe``/``explorer.exe``: a program run at
  every logon.
- ``AppInit_DLLs``: a DLL loaded into every process that loads user32.

Read in ``.reg`` files (section header, then ``"Name"="data"``) and in ``reg add`` / ``Set-ItemProperty`` /
``New-ItemProperty`` lines anywhere. A ``.reg`` that adds an Explorer context-menu entry or sets ``LongPathsEnabled``
is not matched. Documentation lines are weighted as usual.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.view import SkillView, TextFile
from skillyard.scan.context import SCRIPT
from skillyard.scan.rules.base import Family, Hit, Rule, snippet

_ACCESSIBILITY = re.compile(r"\\(?:sethc|utilman|osk|narrator|magnify|displayswitch|atbroker)\.exe\b", re.IGNORECASE)
_KEY = re.compile(r"Image File Execution Options\\[^\\\]\"']+|\\Winlogon\b|\\Windows\b(?=[\]\"'\s]|$)", re.IGNORECASE)
_VALUE = re.compile(r"^\s*\"(Debugger|Userinit|Shell|AppInit_DLLs)\"\s*=\s*\"([^\"]*)\"", re.IGNORECASE)
# one command line: ``reg add "HKLM\...\sethc.exe" /v Debugger /d cmd.exe``, ``Set-ItemProperty -Path
# 'HKLM:\...\Winlogon' -Name Userinit -Value '...'``
_COMMAND = re.compile(
    r"(?:\breg(?:\.exe)?\s+add\b|\b(?:Set|New)-ItemProperty\b)[^\n]*?(Image File Execution Options\\[^\\\"']+|Winlogon"
    r"|\\Windows(?=[\"']))[^\n]*?(?:/v|-Name)\s+[\"']?(Debugger|Userinit|Shell|AppInit_DLLs)[\"']?"
    r"(?:[^\n]*?(?:/d|-Value)\s+[\"']?([^\"'\n]*))?",
    re.IGNORECASE,
)
_KEYS = ("image file execution options", "winlogon", "appinit_dlls")


def _verdict(key: str, name: str, data: str) -> tuple[str, Severity] | None:
    data = data.strip().strip('"').replace("\\\\", "\\")
    low, value = name.lower(), data.lower()
    if low == "debugger" and "image file execution options" in key.lower():
        if _ACCESSIBILITY.search(key + "\\") or _ACCESSIBILITY.search("\\" + key.rsplit("\\", 1)[-1]):
            return f"replaces the lock-screen program {key.rsplit(chr(92), 1)[-1]} with {data or 'another program'}", (
                Severity.CRITICAL
            )
        return f"starts {data or 'another program'} in place of {key.rsplit(chr(92), 1)[-1]} (IFEO debugger)", (
            Severity.HIGH
        )
    if low in ("userinit", "shell") and "winlogon" in key.lower():
        honest = {"userinit": ("userinit.exe", "userinit.exe,"), "shell": ("explorer.exe",)}[low]
        if value.rsplit("\\", 1)[-1] not in honest:
            return f"adds a program to every Windows logon (Winlogon {name})", Severity.HIGH
    if low == "appinit_dlls" and value:
        return "loads a DLL into every program (AppInit_DLLs)", Severity.HIGH
    return None


def _reg_file(tf: TextFile) -> Iterator[tuple[int, str, Severity]]:
    key = ""
    for n, row in enumerate(tf.rows, 1):
        if row.startswith("["):
            key = row.strip().strip("[]")
            continue
        m = _VALUE.match(row)
        if m and key:
            v = _verdict(key, m.group(1), m.group(2))
            if v:
                yield n, v[0], v[1]


def _logon_hijack(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if not any(k in tf.lower for k in _KEYS):
            continue
        found: list[tuple[int, str, Severity]] = []
        if tf.lang == "registry":
            found = list(_reg_file(tf))
        else:
            for n, row in enumerate(tf.rows, 1):
                m = _COMMAND.search(row)
                if m:
                    v = _verdict(m.group(1), m.group(2), m.group(3) or "")
                    if v:
                        found.append((n, v[0], v[1]))
        for n, msg, sev in found:
            objs = tf.line_objs(n)
            ctx = SCRIPT if tf.lang == "registry" or not objs else objs[0].ctx
            yield Hit("PE028", tf.path, n, msg, snippet(tf.rows[n - 1]), ctx, sev)


RULES = [
    Rule(
        "PE028",
        "Registry hijack of logon or lock-screen programs",
        Family.PRIVILEGE_ESCALATION,
        Severity.HIGH,
        0.9,
        "An Image File Execution Options 'Debugger' (above all on sethc.exe/utilman.exe: a SYSTEM shell at the lock "
        "screen), a Winlogon Userinit/Shell addition or AppInit_DLLs runs an attacker's program with logon or "
        "SYSTEM rights; no honest skill sets them.",
        "Remove the value; a context-menu or settings tweak never needs Winlogon, IFEO or AppInit_DLLs.",
        _logon_hijack,
        mitre="T1546.008",
    ),
]
