"""Command execution hidden by string building in JavaScript (reported as SC006, obfuscated code execution).

Malicious npm packages and skill bundles rarely write ``require('child_process')`` or ``'curl … | sh'`` in one
piece: the module name or the command is spelled as char codes (``String.fromCharCode.apply(null, [99,104,…])``,
``[99,104,…].map(x => String.fromCharCode(x))``), hex/unicode escapes or joined fragments, then reached through
a computed ``require(b)`` or an ``exec(…)`` call, and a remote script is piped into a shell through string
concatenation (``exec('curl -s ' + u + '|sh')``). Each literal piece is decoded here without running anything;
a decoded piece that names a command runner or a shell command, in a file that has the matching sink, is the
class - whatever the variable names or the minification.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator

from skillyard.scan.analyzers.view import SkillView
from skillyard.scan.rules.base import Hit, snippet

_CODES = re.compile(
    r"\[\s*(\d{2,3}(?:\s*,\s*\d{2,3}){3,})\s*\]|fromCharCode\s*\(\s*(\d{2,3}(?:\s*,\s*\d{2,3}){2,})\s*\)"
)
_ESCAPES = re.compile(r"(?:\\x[0-9a-fA-F]{2}|\\u00[0-9a-fA-F]{2}){4,}")
_FRAGMENTS = re.compile(
    r"\[\s*((?:([\"'])[^\"'\n]{1,12}\2\s*,\s*){1,}([\"'])[^\"'\n]{1,12}\3)\s*\]\s*\.join\(\s*([\"'])\4\s*\)"
)
# Buffer.from('…', 'base64') / atob('…'), and a literal reversed at run time ('…'.split('').reverse().join(''))
_B64 = re.compile(r"(?:Buffer\.from\(\s*|atob\(\s*)([\"'])([A-Za-z0-9+/=]{8,})\1")
_REVERSED = re.compile(r"([\"'])([^\"'\n]{4,80})\1\s*\.split\(\s*([\"'])\3\s*\)\s*\.reverse\(\s*\)\s*\.join\(")
_RUNNER = re.compile(r"child_process|\b(?:exec|execSync|spawn|spawnSync|execFile)\b")
_COMMAND = re.compile(
    r"\b(?:curl|wget|bash|powershell|pwsh|nc|ncat)\b|/dev/tcp|\|\s*(?:ba|z)?sh\b|\bsh\s+-c\b", re.IGNORECASE
)
_COMPUTED_REQUIRE = re.compile(
    r"\brequire\s*\(\s*(?![\"'`\s)])|\bimport\s*\(\s*(?![\"'`\s)])|\bprocess\.mainModule\b|\bmodule\.constructor\._load\b"
    r"|\b(?:global|globalThis)\s*\[\s*(?![\"'])"
)
_EXEC_CALL = re.compile(
    r"\.\s*(?:exec|execSync|spawn|spawnSync|execFile)\s*\(|\b(?:exec|execSync|spawn|spawnSync)\s*\("
)
# exec('curl -s ' + url + ' | sh'): the remote-script pipe split around a variable
_CONCAT_PIPE = re.compile(
    r"\b(?:exec|execSync|spawn|spawnSync)\s*\(\s*([\"'`])\s*(?:curl|wget|iwr)\b[^\"'`\n]*\1\s*\+[^;\n]{0,200}?"
    r"\|\s*(?:ba|z)?sh\b",
    re.IGNORECASE,
)


def _decoded(text: str) -> Iterator[tuple[int, str]]:
    """(offset, decoded text) of every char-code array, escape run and joined fragment list in ``text``."""
    for m in _CODES.finditer(text):
        nums = [int(n) for n in (m.group(1) or m.group(2)).split(",")]
        if all(32 <= n < 127 for n in nums):
            yield m.start(), "".join(chr(n) for n in nums)
    for m in _ESCAPES.finditer(text):
        yield m.start(), bytes.fromhex(re.sub(r"\\x|\\u00", "", m.group(0))).decode("latin-1")
    for m in _FRAGMENTS.finditer(text):
        yield m.start(), "".join(re.findall(r"[\"']([^\"'\n]*)[\"']", m.group(1)))
    for m in _B64.finditer(text):
        try:
            yield m.start(), base64.b64decode(m.group(2), validate=True).decode("latin-1")
        except ValueError:
            continue
    for m in _REVERSED.finditer(text):
        yield m.start(), m.group(2)[::-1]


def js_hidden_exec(view: SkillView) -> Iterator[Hit]:
    """SC006 hits for JavaScript files that hide a command runner or a shell command in built strings."""
    for tf in view.files:
        if tf.lang != "javascript" or tf.role == "test" or not tf.deep:
            continue
        text = tf.text
        found: tuple[int, str] | None = None
        computed = bool(_COMPUTED_REQUIRE.search(text))
        pieces = list(_decoded(text))
        # a command runner: child_process named in the file, literally or in a decoded piece (not RegExp.exec)
        runner = "child_process" in text or any("child_process" in d for _, d in pieces)
        calls = runner and bool(_EXEC_CALL.search(text))
        for off, dec in pieces:
            # child_process spelled so; exec/spawn spelled so and reached by a computed require or member
            if "child_process" in dec or ((computed or runner) and _RUNNER.search(dec)):
                found = (off, f"loads '{dec[:40]}' through a name built from char codes or fragments")
            elif calls and _COMMAND.search(dec):
                found = (off, f"runs a command built from char codes or fragments ('{dec[:40]}')")
            if found:
                break
        if found is None and runner:
            m = _CONCAT_PIPE.search(text)
            if m is not None:
                found = (m.start(), "pipes a remote script into a shell through string concatenation")
        if found is None:
            continue
        off, msg = found
        line = text.count("\n", 0, off) + 1
        objs = tf.line_objs(line)
        if not objs:
            continue
        row = text.split("\n")[line - 1]
        col = off - (text.rfind("\n", 0, off) + 1)
        yield Hit("SC006", tf.path, line, msg, snippet(row, col, col + 40), objs[0].ctx)
