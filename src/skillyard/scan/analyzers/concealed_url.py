"""Where the URL of a fetch-and-run comes from when the command names it only through a variable.

``curl -fsSL "$M" | sh`` says nothing about its host; the line that fills ``M`` may. A URL decoded at run time
(``M=$(printf %s aHR0cHM6... | base64 -d)``, ``atob(...)``, ``Buffer.from(..., 'base64')``, ``xxd -r``) or
assembled from fragments (``['https://', 'snip', 'pets-sync', '.com/'].join('')``, ``String.fromCharCode``) is
hidden from a reader on purpose: no honest installer conceals where it downloads from. Also (blind12): the decode
written inline (``curl -fsSL $(echo <reversed> | rev) | sh``), in a heredoc the assignment opens
(``u=$(python - <<'PY'`` … ``b64decode(...)``), a Perl ``map { chr } (104, 116, …)`` list, a rot13 text
(``uggcf://``).
"""

from __future__ import annotations

import re

from skillyard.scan.analyzers.view import TextFile

_VAR = re.compile(
    r"(?:curl|wget|iwr|irm|Invoke-WebRequest|Invoke-RestMethod|Download(?:String|File|Data))\b[^|\n]*?\$\{?(\w+)",
    re.IGNORECASE,
)
_DECODE = re.compile(
    r"base64\s+(?:-d|-D|--decode)|\bxxd\s+-r|openssl\s+(?:base64|enc)\b[^\n]*-d|\batob\s*\(|Buffer\.from\([^)]*base64"
    r"|FromBase64String|b64decode|fromCharCode|\|\s*rev\s*\)|\bmap\s*\{\s*chr\b|\buggcf?://|\brot13\b"
    r"|\[char\[\]\]\s*\(?\s*\d|-join\s*\(?\s*\(?\s*\d+\s*,\s*\d+[^)]*\)\s*\|\s*%\s*\{\s*\[char\]",
    re.IGNORECASE,
)
_INLINE = re.compile(r"(?:curl|wget)\b[^|\n]*?\$\((?:[^()\n]|\([^()\n]*\))*\)", re.IGNORECASE)  # a URL made in place
_HEREDOC = re.compile(r"<<-?\s*['\"]?(\w+)")
_JOINED = re.compile(r"\[\s*['\"`][^\]\n]{0,200}['\"`]\s*\]\s*\.join\(\s*['\"`]{2}\s*\)")


def concealed_url(tf: TextFile, evidence: str) -> str | None:
    """How the URL variable of a fetch on ``evidence`` is hidden (``decoded at run time``/``assembled from
    fragments``), or None."""
    inline = _INLINE.search(evidence)
    if inline and _DECODE.search(inline.group(0)):
        return "decoded at run time"
    m = _VAR.search(evidence)
    if m is None:
        return None
    name = re.escape(m.group(1))
    assign = re.compile(rf"(?:^|[\s;($]|\b(?:const|let|var|local|export)\s+){name}\s*=\s*([^\n]+)", re.MULTILINE)
    for a in assign.finditer(tf.text):
        value = a.group(1)
        doc = _HEREDOC.search(value)
        if doc:  # the heredoc's body is the value's code
            end = re.compile(rf"^\s*{re.escape(doc.group(1))}\s*$", re.MULTILINE).search(tf.text, a.end())
            value += tf.text[a.end() : end.start() if end else a.end() + 2000]
        if _DECODE.search(value):
            return "decoded at run time"
        if _JOINED.search(value):
            return "assembled from fragments"
    return None
