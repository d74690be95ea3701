"""Clipboard harvesting (E011): code that reads the clipboard and sends data out.

The clipboard holds what the user just copied: passwords from a manager, one-time codes, wallet addresses and
seed phrases, API keys. Stealers poll it (``pbpaste`` / ``xclip -o`` / ``Get-Clipboard`` / ``pyperclip.paste()``
in a loop) and post every change to their server; clippers also rewrite it. A clipboard read in the same script
as a network call to a host the skill does not declare is that pattern, whatever the language. Reading the
clipboard alone (a local history manager, a "paste as markdown" helper) is not reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.hosts import URL, host_class, vendor_declared
from skillyard.scan.analyzers.view import SkillView, register_keywords
from skillyard.scan.rules.base import Family, Hit, Rule, snippet
from skillyard.scan.rules.signals import Signal, egress

_CLIP_READ = re.compile(
    r"\bpbpaste\b|\bxclip\b[^\n]*[\s\"']-o(?:ut)?\b|\bxsel\b[^\n]*[\s\"'](?:-o\b|--output\b|-[a-z]*o[a-z]*\b)|\bwl-paste\b"
    r"|\bGet-Clipboard\b|\bgcb\b(?=\s*[|)])|\bpyperclip\.paste\s*\(|\bclipboard\.paste\s*\(|\bclipboardy\.read(?:Sync)?\s*\("
    r"|\bclipboard\.readText\s*\(|\bGetClipboardData\s*\(|\bClipboard\]?::GetText\s*\(|\bClipboard\.GetText\s*\("
    r"|\bclipboard_get\s*\(|\bclipboard\(\)\.text\s*\(|\bthe\s+clipboard\b[^\n]*\bosascript\b"
    r"|\bosascript\b[^\n]*\bthe\s+clipboard\b",
    re.IGNORECASE,
)
_KEYS = ("pbpaste", "xclip", "xsel", "wl-paste", "clipboard", "gcb", "pyperclip")
register_keywords(_KEYS)  # at import, like every other rule: a late keyword invalidates the shared index
_LOOP = re.compile(
    r"\bwhile\s+(?:True|true|1|:)\b|\bwhile\s*\(\s*(?:true|1)\s*\)|\bsetInterval\s*\(|\bfor\s*\(\s*;\s*;\s*\)|\bwatch\s+-n"
    r"|\bwhile\s*\(\$true\)|\bschedule\.every\b",
)
# A network call in a script, for languages the egress signals do not parse (PowerShell ``Invoke-RestMethod``...).
_NET = re.compile(
    r"\b(?:Invoke-RestMethod|irm|Invoke-WebRequest|iwr|curl|wget|urlopen|requests\.\w+|httpx\.\w+|fetch|axios"
    r"|https?\.(?:request|get)|UploadString|UploadData|Net\.WebClient|HttpClient|sendall|nc|ncat)\b",
    re.IGNORECASE,
)
_SCRIPT_LANGS = ("python", "shell", "javascript", "powershell", "applescript", "ruby", "perl", "go")


def _clipboard(view: SkillView) -> Iterator[Hit]:
    # the egress signals (shared, cached, but costly) are computed only once a clipboard read is found
    sends: list[Signal] | None = None
    facts: dict[tuple[str, int], str] = {}
    claim = f"{view.skill.name} {view.skill.description}"
    for tf in view.files:
        if tf.role == "test" or not tf.has_any(_KEYS):
            continue
        script = tf.role == "script" and tf.lang in _SCRIPT_LANGS
        for ln in tf.candidates(_KEYS):
            if not script and ln.kind != "code":
                continue
            m = _CLIP_READ.search(ln.text)
            if m is None:
                continue
            if sends is None:
                sends = [s for s in egress(view) if s.active]
                facts = {(f.file, f.line): f.value for f in view.facts_of("py.network", "js.network", "sh.upload")}
            near = [s for s in sends if s.file == tf.path and (script or abs(s.lineno - ln.lineno) <= 6)]
            urls = [u for s in near for u in URL.findall(s.evidence)] + [
                facts[(s.file, s.lineno)] for s in near if facts.get((s.file, s.lineno), "").startswith("http")
            ]
            where = near[0].lineno if near else 0
            if not near and script and _NET.search(tf.text):
                urls = [u for u in URL.findall(tf.text) if host_class(u) not in ("local", "trusted")]
                where = next((i for i, r in enumerate(tf.raw_rows, 1) if urls and urls[0] in r), 0)
            if not where:
                continue
            declared = bool(urls) and all(
                vendor_declared(u, claim) or host_class(u) in ("local", "trusted") for u in urls
            )
            loop = bool(_LOOP.search(tf.text)) if script else False
            why = " in a polling loop" if loop else ""
            yield Hit(
                "E011",
                tf.path,
                ln.lineno,
                f"reads the clipboard{why} and sends data to {'a declared' if declared else 'an undeclared'} host "
                f"(line {where})",
                snippet(ln.text, m.start(), m.end()),
                ln.ctx,
                Severity.MEDIUM if declared else None,
            )


RULES = [
    Rule(
        "E011",
        "Clipboard harvesting",
        Family.DATA_EXFILTRATION,
        Severity.HIGH,
        0.8,
        "The clipboard holds passwords, one-time codes, keys and wallet addresses the user just copied; code that "
        "reads it (often in a polling loop) and sends data to a server is a clipboard stealer.",
        "Do not read the clipboard in code that talks to the network; let the user paste what they want to share.",
        _clipboard,
        mitre="T1115",
    ),
]
