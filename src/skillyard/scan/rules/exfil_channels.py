"""Exfiltration through channels that look like ordinary work: git, scp/rsync, email copies, session indexes.

The generic rules look for a secret read next to an HTTP request. These attacks send data through a tool that
honest skills use every day, so the signal is *where* it goes: a hard-coded destination the user never chose.

- E023: a script adds a git remote with a hard-coded URL and pushes every branch or tag (``--all``, ``--mirror``,
  ``refs/*``) to it - private code leaves in one quiet command.
- E024: a credential folder (``~/.ssh``, ``~/.aws``, ``~/.gnupg``, ``~/.kube``, ``.git-credentials``) is archived
  or copied and sent with ``scp``/``rsync``/``sftp`` to a remote host, with host-key checking off or output hidden.
- E025: mail-sending code adds a ``Bcc``/``Cc`` address written in the code (often assembled from pieces) that the
  skill never mentions: every message the user sends is copied to someone else.
- E026: code reads agent session histories (``~/.claude/projects``, ``~/.codex/sessions``, ``~/.gemini``) and
  sends them to a hard-coded host.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.hosts import URL, code_host_severity, host_of
from skillyard.scan.analyzers.view import SkillView, TextFile
from skillyard.scan.context import SCRIPT
from skillyard.scan.rules.base import Family, Hit, Rule, snippet

_CODE_LANGS = ("python", "javascript", "typescript", "shell", "powershell")


def _code_files(view: SkillView) -> Iterator[TextFile]:
    for tf in view.files:
        if tf.role != "test" and tf.lang in _CODE_LANGS:
            yield tf


# -- E023 -----------------------------------------------------------------------------------------------------

_REMOTE_ADD = re.compile(r"\bgit\s+remote\s+add\s+(?:-\S+\s+)*(?P<name>[\w.-]+)\s+[\"']?(?P<url>\S+)")
_PUSH_ALL = re.compile(r"\bgit\s+push\b(?P<args>[^\n;&|]*)")
_ALL_FLAGS = re.compile(r"\s--(?:all|mirror|tags)\b|\s[\"']?\+?refs/\*|\s[\"']?\*:\*")


def _git_push(view: SkillView) -> Iterator[Hit]:
    for tf in _code_files(view):
        if "git remote add" not in tf.text or "push" not in tf.text:
            continue
        remotes: dict[str, str] = {}
        for m in _REMOTE_ADD.finditer(tf.text):
            url = m.group("url").strip("\"'")
            remotes[m.group("name")] = url if "://" in url else "ssh://" + url.replace(":", "/", 1)
        for n, row in enumerate(tf.rows, 1):
            pm = _PUSH_ALL.search(row)
            if pm is None or not _ALL_FLAGS.search(" " + pm.group("args")):
                continue
            target = next((r for r in remotes if re.search(rf"\s{re.escape(r)}\b", pm.group("args"))), None)
            if target is None:
                continue
            sev = code_host_severity(remotes[target])
            if sev is not None:
                host = host_of(remotes[target]) or remotes[target]
                yield Hit("E023", tf.path, n, f"pushes every branch/tag to a remote the skill adds ({host})",
                          snippet(row), SCRIPT, sev)  # fmt: skip


# -- E024 -----------------------------------------------------------------------------------------------------

_CRED_DIR = re.compile(r"(?:~|\$HOME|\$\{HOME\})/?\.(?:ssh|aws|gnupg|kube|docker)\b|\s\.(?:ssh|aws|gnupg|kube)\b"
                       r"|\.git-credentials\b|\bid_(?:rsa|ed25519|ecdsa)\b")  # fmt: skip
_COPY_OUT = re.compile(r"\b(?:scp|rsync|sftp)\b[^\n]*\s[\"']?[\w$.{}\"-]*@?[\w$.{}\"-]+:")
_QUIET = re.compile(r"StrictHostKeyChecking\s*=\s*no|2>\s*/dev/null|>\s*/dev/null|\s&\s*(?:$|;)|\bnohup\b")


def _cred_copy(view: SkillView) -> Iterator[Hit]:
    for tf in _code_files(view):
        low = tf.lower
        if ("scp" not in low and "rsync" not in low and "sftp" not in low) or not _CRED_DIR.search(tf.text):
            continue
        for n, row in enumerate(tf.rows, 1):
            m = _COPY_OUT.search(row)
            if m is None or not _QUIET.search(row):
                continue
            if _CRED_DIR.search(row) or re.search(r"\b(?:tar|zip|7z)\b[^\n]*" + _CRED_DIR.pattern, tf.text):
                yield Hit("E024", tf.path, n, "sends a credential folder to a remote host with scp/rsync, quietly",
                          snippet(row), SCRIPT)  # fmt: skip
                break


# -- E025 -----------------------------------------------------------------------------------------------------

_MAIL_API = re.compile(r"postmark|sendgrid|smtplib|nodemailer|mailgun|resend\.|sesv2|send_email|sendmail|"
                       r"mailersend|sparkpost|mailjet|/email\b|/mail/send", re.IGNORECASE)  # fmt: skip
_BCC = re.compile(r"""\b(?:Bcc|bcc|BCC|Cc|cc)\b['"]?\]?\s*[:=]\s*(?P<v>[^\n]+)""")
_LIT = r"""(?:'[^'\n]*'|"[^"\n]*")"""
_LITS = rf"""\[\s*{_LIT}(?:\s*,\s*{_LIT})*\s*,?\s*\]"""
# 'a' + 'b' | ['a', 'b'].join('@') | '@'.join(['a', 'b']) | a NAME bound to one of these in the same file
_TUPLE = rf"""\(\s*{_LIT}(?:\s*,\s*{_LIT})*\s*\)"""
_JOINED = re.compile(rf"""^(?P<arr>{_LITS})\s*\.\s*join\s*\(\s*(?P<sep>{_LIT})\s*\)"""
                     rf"""|^(?P<sep2>{_LIT})\s*\.\s*join\s*\(\s*(?P<arr2>{_LITS}|{_TUPLE})\s*\)""")  # fmt: skip
_PIECE = re.compile(r"'([^'\n]*)'|\"([^\"\n]*)\"")
_CONCAT = re.compile(rf"""^{_LIT}(?:\s*\+\s*{_LIT})*""")


def _literal(expr: str, text: str, depth: int = 0) -> str | None:
    """The constant string an expression spells (literals glued with + or .join, or a name bound to one)."""
    expr = expr.strip()
    m = _JOINED.match(expr)
    if m is not None:
        parts = _PIECE.findall(m.group("arr") or m.group("arr2"))
        sep = (m.group("sep") or m.group("sep2"))[1:-1]
        return sep.join(a or b for a, b in parts)
    m = _CONCAT.match(expr)
    if m is not None:
        return "".join(a or b for a, b in _PIECE.findall(m.group(0)))
    name = re.match(r"[A-Za-z_$][\w$]*(?=\s*(?:[,;})\]]|$))", expr)
    if name is not None and depth == 0:
        bound = re.search(rf"(?m)^\s*(?:const\s+|let\s+|var\s+)?{re.escape(name.group(0))}\s*=\s*([^;\n]+)", text)
        if bound is not None:
            return _literal(bound.group(1), text, 1)
    return None


_PLACEHOLDER = re.compile(r"example\.(?:com|org|net)|\.test$|\.invalid$|\.local$|yourdomain|your-domain|company\.com")


# ``to: [argv.to, 'keep@inbox.example']`` / ``sendmail(frm, [to, "x@y.z"], msg)``: the user's recipient plus a fixed one
_TO_LIST = re.compile(
    r"""\b(?:to|To|TO|to_addrs|recipients|Recipients)\b['"]?\]?\s*[:=]\s*\[(?P<a>[^\]\n]+)\]"""
    r"""|\bsendmail\s*\(\s*[^,\n]+,\s*\[(?P<b>[^\]\n]+)\]"""
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _extra_recipient(row: str, declared: str) -> str:
    m = _TO_LIST.search(row) if "[" in row and "@" in row else None
    if m is None:
        return ""
    items = [x.strip() for x in (m.group("a") or m.group("b")).split(",") if x.strip()]
    literal = [x[1:-1] for x in items if len(x) > 2 and x[0] == x[-1] and x[0] in "'\"" and _EMAIL.fullmatch(x[1:-1])]
    if len(literal) == len(items):  # a fixed list of recipients, not the user's plus one
        return ""
    return next((a for a in literal if not _PLACEHOLDER.search(a.lower()) and a.lower() not in declared), "")


def _mail_copy(view: SkillView) -> Iterator[Hit]:
    declared = ""
    for tf in _code_files(view):
        if not re.search(r"\bb?cc\b|\bto\b|to_addrs|recipients", tf.lower) or not _MAIL_API.search(tf.text):
            continue
        if not declared:  # the skill's own prose: SKILL.md, references, description
            prose = (f.lower for f in view.files if f.lang == "markdown")
            declared = " ".join([view.skill.description.lower(), *prose])
        for n, row in enumerate(tf.rows, 1):
            extra = _extra_recipient(row, declared)
            if extra:
                yield Hit("E025", tf.path, n, f"adds a hard-coded address the skill never mentions to the recipients "
                          f"({extra})", snippet(row), SCRIPT)  # fmt: skip
                continue
            m = _BCC.search(row)
            if m is None:
                continue
            addr = (_literal(m.group("v"), tf.text) or "").strip()
            if not re.fullmatch(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", addr) or _PLACEHOLDER.search(addr.lower()):
                continue
            if addr.lower() in declared:
                continue
            yield Hit("E025", tf.path, n, f"copies every message to a hard-coded address the skill never mentions "
                      f"({addr})", snippet(row), SCRIPT)  # fmt: skip


# -- E026 -----------------------------------------------------------------------------------------------------

_HISTORY = re.compile(
    r"\.claude[/\\'\"\s,]+projects|\.codex[/\\'\"\s,]+sessions|\.gemini[/\\'\"\s,]+tmp|\.cursor[/\\'\"\s,]+chats"
    r"|claude[/\\'\"\s,]+conversations|\.aider\.chat\.history",
)
_SEND = re.compile(r"\bfetch\s*\(|\brequests\.(?:post|put)\b|\bhttpx\.(?:post|put)\b|\baxios\.(?:post|put)\b"
                   r"|\bcurl\b[^\n]*(?:-d|--data|-F|-T|--upload)|\burlopen\s*\("
                   r"|method\s*:\s*['\"](?:POST|PUT)")  # fmt: skip


def _history_upload(view: SkillView) -> Iterator[Hit]:
    for tf in _code_files(view):
        if "claude" not in tf.lower and "codex" not in tf.lower and "gemini" not in tf.lower:
            continue
        if not _HISTORY.search(tf.text) or not _SEND.search(tf.text):
            continue
        for n, row in enumerate(tf.rows, 1):
            if not _SEND.search(row) and "POST" not in row:
                continue
            for url in URL.findall(row):
                sev = code_host_severity(url)
                if sev is not None:
                    yield Hit("E026", tf.path, n, f"sends agent session histories to {host_of(url)}",
                              snippet(row), SCRIPT, sev)  # fmt: skip
                    return


RULES = [
    Rule(
        "E023",
        "Pushes every branch to a remote the skill adds",
        Family.DATA_EXFILTRATION,
        Severity.HIGH,
        0.8,
        "`git remote add` with a hard-coded URL followed by `git push --all/--mirror/--tags` copies the whole "
        "repository, private branches included, to someone else's server.",
        "Push only to remotes the user configured, and only the branch they asked for.",
        _git_push,
        mitre="T1567",
    ),
    Rule(
        "E024",
        "Credential folder sent out with scp/rsync",
        Family.DATA_EXFILTRATION,
        Severity.HIGH,
        0.8,
        "Archiving ~/.ssh, ~/.aws, ~/.gnupg or ~/.kube and copying it to a remote host with host-key checks off or "
        "output hidden hands the user's keys to that host.",
        "Back up credential folders only to a destination the user names, visibly, and preferably encrypted.",
        _cred_copy,
        mitre="T1048",
    ),
    Rule(
        "E025",
        "Hidden Bcc/Cc copy on outgoing mail",
        Family.DATA_EXFILTRATION,
        Severity.HIGH,
        0.8,
        "A mail helper that adds a Bcc or Cc address written into the code, which the skill never mentions, copies "
        "every message the agent sends (invoices, password resets, private mail) to a stranger.",
        "Only send to the recipients the user gives; make any copy address a visible, documented option.",
        _mail_copy,
        mitre="T1114.003",
    ),
    Rule(
        "E026",
        "Agent session histories sent to a remote host",
        Family.DATA_EXFILTRATION,
        Severity.HIGH,
        0.8,
        "~/.claude/projects, ~/.codex/sessions and similar stores hold whole conversations, code and pasted "
        "secrets; sending them to a hard-coded host leaks everything the user ever did with an agent.",
        "Index session histories locally, or upload only to an endpoint the user configures.",
        _history_upload,
        mitre="T1005",
    ),
]
