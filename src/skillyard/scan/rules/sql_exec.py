"""SQL that reaches outside the database (E034).

A ``.sql`` file (or a SQL string in a script) runs with the database server's privileges, and several dialects
can run operating-system commands or write files from a query: PostgreSQL ``COPY ... TO/FROM PROGRAM``, SQL Server
``xp_cmdshell``, MySQL ``SELECT ... INTO OUTFILE``/``DUMPFILE`` and ``sys_exec``. A skill that ships a query piping
rows into ``curl``/``wget``/``nc``, or that reads the server's password hashes (``pg_shadow``,
``mysql.user.authentication_string``, ``sys.sql_logins``) and sends or writes them out, is exfiltration dressed as
"maintenance". A ``COPY ... TO '/tmp/report.csv'`` or a ``COPY ... TO PROGRAM 'gzip > file'`` without a network
tool is not reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.view import SkillView, register_keywords
from skillyard.scan.context import SCRIPT
from skillyard.scan.rules.base import Family, Hit, Rule, snippet

_KEYS = ("program", "xp_cmdshell", "outfile", "dumpfile", "sys_exec", "sys_eval")
register_keywords(_KEYS)
_SQLISH = re.compile(r"\b(?:select|copy|exec(?:ute)?|insert)\b", re.IGNORECASE)
_OS_CALL = re.compile(
    r"\b(?:TO|FROM)\s+PROGRAM\s+(?:E?'|\$\w*\$)(?P<a>[^']*)|\bxp_cmdshell\b\s*\(?\s*N?'(?P<b>[^']*)"
    r"|\bsys_(?:exec|eval)\s*\(\s*'(?P<c>[^']*)|\bINTO\s+(?:OUTFILE|DUMPFILE)\s+'(?P<d>[^']*)",
    re.IGNORECASE,
)
_NET = re.compile(
    r"\b(?:curl|wget|nc|ncat|socat|telnet|ssh|scp|ftp|tftp|bash\s+-c|sh\s+-c|powershell|iwr|Invoke-WebRequest)\b"
    r"|https?://|/dev/tcp/",
    re.IGNORECASE,
)
_HASHES = re.compile(
    r"\bpg_shadow\b|\bpg_authid\b|\bauthentication_string\b|\bsys\.sql_logins\b|\bpassword_hash\b"
    r"|\bmysql\.user\b",
    re.IGNORECASE,
)


_BACK, _AHEAD = 3, 4  # rows a statement may span around the keyword row ("COPY (SELECT ...) TO PROGRAM\n  'curl ...'")


def _statement(rows: list[str], n: int) -> str:
    """Row ``n`` joined with the rest of its SQL statement: back to the previous ``;`` and on to the next one, a few
    rows at most each way (a statement split over lines is still one statement)."""
    start = n
    while start > max(1, n - _BACK) and not rows[start - 2].rstrip().endswith(";"):
        start -= 1
    end = n
    while end < min(len(rows), n + _AHEAD) and ";" not in rows[end - 1]:
        end += 1
    return " ".join(r.strip() for r in rows[start - 1 : end])


def _sql_exec(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test" or not tf.has_any(_KEYS):
            continue
        if tf.path.lower().endswith(".sql"):
            pass
        elif tf.lang in ("markdown", "json", "text", "yaml", "toml") or not _SQLISH.search(tf.text):
            continue
        for n in sorted(tf.rows_with(_KEYS)):
            row = _statement(tf.rows, n)
            m = _OS_CALL.search(row)
            if m is None:
                continue
            body = next(g for g in m.groups() if g is not None)
            net = _NET.search(body) is not None or (m.group("d") is None and _NET.search(row[m.end() :]) is not None)
            creds = _HASHES.search(row) is not None
            if m.group("d") is not None:
                if not creds:  # a report written to a file on the server is ordinary; password hashes are not
                    continue
                what = "writes the server's password hashes to a file"
            elif net:
                what = "pipes query results to a network tool" + (" (password hashes)" if creds else "")
            elif m.group("b") is not None or m.group("c") is not None:
                what = "runs an operating-system command from SQL"
            else:
                continue
            yield Hit(
                "E034",
                tf.path,
                n,
                f"SQL {what}: {body[:60]}",
                snippet(row, m.start(), m.end()),  # the statement, joined
                SCRIPT,
                None if net or creds else Severity.HIGH,
            )


# A warehouse unload to a bucket whose keys are written into the query (blind12 dbt-project-starter): Snowflake
# ``CREATE STAGE ... URL='s3://...' CREDENTIALS=(AWS_KEY_ID='AKIA...')`` + ``COPY INTO @stage FROM (SELECT ...)``,
# ``COPY INTO 's3://...'``, Redshift ``UNLOAD (...) TO 's3://...' CREDENTIALS 'aws_access_key_id=...'``. Keys in
# the query mean the bucket is not one the user's warehouse is set up for (a storage integration, an IAM role, a
# ``{{ env_var() }}``): a dbt hook or macro that runs it copies the tables to whoever holds those keys.
_UNLOAD_KEYS = ("aws_key_id", "aws_access_key_id", "azure_sas_token", "aws_secret_key")
register_keywords(_UNLOAD_KEYS)
_INLINE_KEY = re.compile(
    r"\b(?:aws_key_id|aws_secret_key|azure_sas_token)\s*=\s*'[A-Za-z0-9/+=%&?.-]{12,}'"
    r"|\baws_access_key_id\s*=\s*[A-Z0-9]{16,}",
    re.IGNORECASE,
)
_UNLOAD = re.compile(
    r"\bcopy\s+into\s+(?:@|'(?:s3|gcs|azure)://)[^;]*?\bfrom\b|\bunload\s*\(\s*'select\b[^;]*\bto\s+'s3://",
    re.IGNORECASE,
)


def _unload(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test" or not tf.path.lower().endswith(".sql") or not tf.has_any(_UNLOAD_KEYS):
            continue
        key, out = _INLINE_KEY.search(tf.text), _UNLOAD.search(tf.text)
        if key is None or out is None:
            continue
        line = tf.text.count("\n", 0, out.start()) + 1
        yield Hit(
            "E034",
            tf.path,
            line,
            "SQL copies tables to an outside bucket with access keys written into the query",
            snippet(tf.rows[line - 1].strip()),
            SCRIPT,
            Severity.HIGH,
        )


def _sql_out(view: SkillView) -> Iterator[Hit]:
    yield from _sql_exec(view)
    yield from _unload(view)


RULES = [
    Rule(
        "E034",
        "SQL that runs shell commands or ships data out",
        Family.DATA_EXFILTRATION,
        Severity.CRITICAL,
        0.85,
        "COPY ... TO PROGRAM, xp_cmdshell, sys_exec and INTO OUTFILE let a query run commands or write files with "
        "the database server's rights: a shipped query that pipes rows into curl or dumps pg_shadow / "
        "authentication_string sends the data (and the password hashes) to whoever runs the other end.",
        "Keep query results in the database or return them to the user; never pipe them to a program or a host.",
        _sql_out,
        mitre="T1048",
    ),
]
