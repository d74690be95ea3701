"""Inline JavaScript in npm lifecycle scripts (used by SC020).

``"prepare": "node -e \\"require('https').get(String.fromCharCode(104,116,...), r => ... eval(d))\\""`` runs on
``npm install`` (``prepare`` also when installing from git): the one-liner is JavaScript, not shell, so the shell
rules see no ``curl | sh``. Here the body of ``node -e`` / ``--eval`` / ``-p`` is read as JS: ``String.fromCharCode``
runs, ``atob``/``Buffer.from(..., 'base64')`` and ``\\x`` escapes are decoded (without running anything), and a
body that both fetches something and evaluates code (``eval``, ``new Function``, ``vm.runIn*``,
``Module._compile``, ``child_process``) is a download-and-run hook.
"""

from __future__ import annotations

import base64
import binascii
import re

from skillyard.scan.analyzers.hosts import URL

_INLINE = re.compile(r"\b(?:node|nodejs|bun|deno(?:\s+eval)?)\b[^\n]*?(?:\s(?:-e|--eval|-p|--print)\b|\beval\b)")
_CHARCODES = re.compile(r"\bString\.fromCharCode\s*\(\s*((?:\d{1,3}\s*,\s*)*\d{1,3})\s*\)")
_B64 = re.compile(r"""\b(?:atob\s*\(\s*(['"])(?P<a>[A-Za-z0-9+/=]{8,})\1|Buffer\.from\s*\(\s*(['"])"""
                  r"""(?P<b>[A-Za-z0-9+/=]{8,})\3\s*,\s*['"]base64['"])""")  # fmt: skip
_HEX = re.compile(r"\\x([0-9a-fA-F]{2})")
_FETCH = re.compile(
    r"\bhttps?['\"]?\s*\)?\s*\.\s*(?:get|request)\s*\(|\bfetch\s*\(|\baxios\b|\bnet\.connect\s*\(|\burlopen\b"
    r"|\brequire\s*\(\s*['\"](?:node:)?https?['\"]\s*\)",
)
_EVAL = re.compile(
    r"\beval\s*\(|\bnew\s+Function\s*\(|\bFunction\s*\(\s*\w+\s*\)|\bvm\.\w*run\w*\s*\(|\b_compile\s*\("
    r"|\bchild_process\b|\bexecSync\s*\(|\bspawn\s*\(",
)


def _decode(body: str) -> str:
    def charcodes(m: re.Match[str]) -> str:
        try:
            return repr("".join(chr(int(x)) for x in m.group(1).split(",")))
        except ValueError:
            return m.group(0)

    def b64(m: re.Match[str]) -> str:
        blob = m.group("a") or m.group("b")
        try:
            return repr(base64.b64decode(blob + "=" * (-len(blob) % 4)).decode("utf-8"))
        except (binascii.Error, ValueError):
            return m.group(0)

    body = _CHARCODES.sub(charcodes, body)
    body = _B64.sub(b64, body)
    return _HEX.sub(lambda m: chr(int(m.group(1), 16)), body) if "\\x" in body else body


def inline_fetch_eval(cmd: str) -> tuple[str, str] | None:
    """(decoded body, first URL or "") when the lifecycle command runs inline JS that fetches and evaluates code."""
    m = _INLINE.search(cmd)
    if m is None:
        return None
    body = _decode(cmd[m.end() :])
    if not _FETCH.search(body) or not _EVAL.search(body):
        return None
    urls = URL.findall(body)
    return body, (urls[0] if urls else "")
