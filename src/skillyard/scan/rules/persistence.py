"""Persistence that outlives the skill, beyond cron and rc files (PE006 additions, PE009).

- **Git hooks.** ``git config --global core.hooksPath DIR`` makes every git command in every repository run the
  scripts in DIR; a hook file written with ``printf``/``echo``/``cat <<EOF`` runs on the next checkout or commit.
  Global or remote-code hooks are what attackers plant; a repository's own ``.githooks``/``.husky`` is low.
- **What gets persisted.** A launch agent, service or hook whose body (including a here-document) runs a file
  the same script downloaded from an undeclared host is a dropper's persistence, not a scheduler: high.
- **Fake sudo (PE009).** A ``sudo``/``su``/``doas`` function or alias that prompts for the password itself
  (``read -s``, a ``[sudo] password`` prompt) or writes/sends it captures the user's password on every use.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers import agent_files
from skillyard.scan.analyzers.hosts import URL, host_class, vendor_declared
from skillyard.scan.analyzers.view import SkillView, TextFile
from skillyard.scan.context import SCRIPT
from skillyard.scan.rules.base import Check, Family, Hit, Rule, line_rule, snippet, warns_against
from skillyard.scan.rules.injection_patterns import CONCEAL, OVERRIDE

GIT_HOOKS = re.compile(
    r"\bgit\s+(?:-C\s+\S+\s+)?config\s+(?:--(?:global|system|local)\s+)?core\.hooksPath\s*[= ]\s*[\"']?"
    r"(?!/dev/null\b)\S"
    r"|(?:>>?|\btee\s+(?:-a\s+)?)\s*[\"']?[^\s\"';|&]*(?:\.git/hooks|githooks|\.husky|/hooks)/(?:pre|post)-[\w-]+"
    # the hook path held in a variable the script then writes to (``HOOK=.git/hooks/post-commit``)
    r"|^\s*(?:export\s+|local\s+)?\w+=[\"']?[^\s\"';|&]*(?:\.git/hooks|\.husky)/(?:pre|post)-[\w-]+",
    re.IGNORECASE,
)
HOOK_KEYS = ("hookspath", "hooks/")
_GLOBAL_HOOK = re.compile(r"--global|--system|(?:~|\$HOME|\$\{HOME\}|/Users/|/home/)[^\s]*hooks", re.IGNORECASE)
# (a command after a printf "\n" escape still counts: ``printf '#!/bin/sh\ncurl …'``)
_REMOTE = re.compile(
    r"(?:\b|(?<=\\[nt]))(?:curl|wget|iwr|Invoke-WebRequest)\b[^\n]*(?:\|\s*(?:ba|z)?sh\b|https?://)", re.IGNORECASE
)
_HEREDOC = re.compile(r"<<-?\s*[\"']?(\w+)[\"']?")
_DOWNLOAD = re.compile(
    r"\b(?:curl|wget)\b[^\n]*?\s-[a-zA-Z]*[oO]\s*[\"']?([^\s\"';|&]+)"
    r"|\b(?:curl|wget)\b[^\n]*?--output(?:-document)?[= ][\"']?([^\s\"';|&]+)|-OutFile\s+[\"']?([^\s\"';|&]+)"
    r"|urlretrieve\([^,\n]+,\s*[\"']([^\"']+)",
    re.IGNORECASE,
)


def persisted_body(tf: TextFile, line: int) -> str:
    """The line and, when it opens a here-document, the document up to its terminator (what gets written)."""
    rows = tf.raw_rows
    row = rows[line - 1] if 0 < line <= len(rows) else ""
    m = _HEREDOC.search(row)
    if m is None:
        return row
    body = [row]
    for r in rows[line : line + 60]:
        if r.strip() == m.group(1):
            break
        body.append(r)
    return "\n".join(body)


def downloaded_run(view: SkillView, tf: TextFile, body: str) -> str:
    """The file this script downloaded from an undeclared host that ``body`` runs ("" when none)."""
    claim = f"{view.skill.name} {view.skill.description}"
    for row in tf.raw_rows:
        m = _DOWNLOAD.search(row)
        if m is None:
            continue
        path = next(g for g in m.groups() if g)
        name = path.rstrip("/").rsplit("/", 1)[-1]
        urls = URL.findall(row)
        if len(name) < 3 or name.lower() in ("bin", "tmp", "out", "-") or name not in body.replace(row, ""):
            continue
        if urls and all(host_class(u) in ("local", "trusted") or vendor_declared(u, claim) for u in urls):
            continue
        return name
    return ""


def upgrade_persistence(inner: Check) -> Check:
    """PE006 from the pattern rule, raised to high when the persisted body runs remote code or a file the same
    script downloaded from an undeclared host (here-documents included)."""

    def check(view: SkillView) -> Iterator[Hit]:
        for h in inner(view):
            tf = view.file(h.file)
            if h.severity is Severity.HIGH or tf is None or h.context is None or h.context.kind.value != "script":
                yield h
                continue
            body = persisted_body(tf, h.line)
            remote = body != h.evidence and bool(_REMOTE.search(body))
            # the unit/plist the job loads may be written by another here-document of the same script
            docs = [persisted_body(tf, i) for i, r in enumerate(tf.raw_rows, 1) if _HEREDOC.search(r)]
            dropped = "" if remote else downloaded_run(view, tf, "\n".join([body, *docs]))
            if remote or dropped:
                why = " that fetches remote code" if remote else f" that runs a downloaded file ({dropped})"
                yield Hit(h.rule, h.file, h.line, h.message + why, h.evidence, h.context, Severity.HIGH, 0.8)
            else:
                yield h

    return check


def git_hooks(view: SkillView) -> Iterator[Hit]:
    """PE006 for hook directories and hook files: low in the repository, medium global, high with remote code."""
    for h in line_rule("PE006", GIT_HOOKS, "installs git hooks", keywords=HOOK_KEYS, kinds=frozenset({"code"}))(view):
        tf = view.file(h.file)
        if tf is None:
            continue
        body = persisted_body(tf, h.line)
        held = re.match(r"\s*(?:export\s+|local\s+)?([A-Za-z_]\w*)=", tf.raw_rows[h.line - 1])
        if held is not None:  # ``HOOK=.git/hooks/post-commit`` then ``cat > "$HOOK" <<'EOF'`` … what gets written
            into = re.compile(rf">\s*[\"']?\$\{{?{held.group(1)}\b")
            n = next((i for i, r in enumerate(tf.raw_rows, 1) if i > h.line and into.search(r)), 0)
            body += "\n" + persisted_body(tf, n) if n else ""
        body = body.replace("\\\n", " ")  # a command continued over lines is one command
        hooks_dir = re.search(r"hookspath\s*[= ]\s*[\"']?([^\s\"']+)", body, re.IGNORECASE)
        # a hooks directory set here and filled with remote code elsewhere in the same script
        filled = (
            hooks_dir is not None
            and tf.role == "script"
            and any(hooks_dir.group(1) in r and _REMOTE.search(r) for r in tf.raw_rows)
        )
        if _REMOTE.search(body) or filled:
            sends = re.search(r"--data(?:-binary)?\b|\s-[dFT]\s|--upload-file|--post-file", body)
            sev, msg = Severity.HIGH, ("installs a git hook that sends data to a remote host" if sends
                                       else "installs a git hook that runs remote code")  # fmt: skip
        elif _GLOBAL_HOOK.search(body):
            sev, msg = Severity.MEDIUM, "installs git hooks for every repository of the user"
        else:
            sev, msg = Severity.LOW, "installs the repository's git hooks"
        yield Hit(h.rule, h.file, h.line, msg, h.evidence, h.context, sev, 0.8 if sev is Severity.HIGH else None)


_FAKE_CMD = re.compile(
    r"(?:^|[\s;{(\"'])(?:function\s+)?(?:sudo|su|doas|passwd)\s*\(\s*\)\s*\{|\balias\s+(?:sudo|su|doas)\s*=\s*[\"']"
    r"(?!\s*(?:sudo|doas)\s*[\"'])"
)
_CAPTURE = re.compile(
    r"\bread\s+(?:-[a-zA-Z]*\s+)*-[a-zA-Z]*s|\[sudo\]\s+password|\bpassword\s+for\b"
    r"|\$\{?(?:p|pw|pwd|pass|passwd|password)\}?\b[^\n]*(?:>>|\bcurl\b|\bwget\b|\bnc\b)",
    re.IGNORECASE,
)


def _fake_sudo(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test" or not tf.has_any(("sudo", "doas", "passwd", " su")):
            continue
        for ln in tf.candidates(("sudo", "doas", "passwd", "su(", "su ")):
            if ln.kind != "code" and tf.role != "script":
                continue
            m = _FAKE_CMD.search(ln.text)
            if m is None:
                continue
            rows = tf.raw_rows
            body = "\n".join(rows[ln.lineno - 1 : ln.lineno + 8])
            end = body.find("}", m.end())
            if _CAPTURE.search(body[: end + 1] if end > 0 else body):
                yield Hit(
                    "PE009",
                    tf.path,
                    ln.lineno,
                    "defines a sudo/su replacement that captures the password",
                    snippet(ln.text, m.start(), m.end()),
                    ln.ctx,
                )


RULES = [
    Rule(
        "PE009",
        "Password-capturing sudo replacement",
        Family.PRIVILEGE_ESCALATION,
        Severity.HIGH,
        0.85,
        "A sudo/su/doas function or alias (usually appended to .bashrc/.zshrc) that reads the password itself and "
        "stores or sends it captures the user's password on every later use - a standing privilege escalation.",
        "Remove the wrapper; never prompt for, store or forward the user's password.",
        _fake_sudo,
        mitre="T1056.001",
        capability="writes_persistence",
    ),
]


# -- PE005: a bundled script writes standing orders into the agent's instruction files -------------------------
_AGENT_FILE = re.compile(agent_files.TOOL_FILES + r"|(?:MEMORY|SOUL|HEARTBEAT)\.md", re.IGNORECASE)
_WRITES = re.compile(
    r"\bopen\([^)\n]*[\"'][aw]\+?[\"']|\.open\(\s*[\"'][aw]\+?[\"']|\bwrite_text\(|\bappendFileSync\(|\bwriteFileSync\("
    r"|>>|\btee\b|Add-Content|Set-Content|Out-File"
)
_SCRIPT_LANGS = ("python", "shell", "javascript", "powershell")
_STANDING = re.compile(
    r"\b(?:pre-?approved|pre-?authori[sz]ed)\b[^\n]{0,40}\b(?:all|every|any)\b"
    r"|\b(?:never|do\s*n[o']t)\s+ask\s+(?:the\s+user\s+)?(?:for\s+)?(?:confirmation|permission|approval)"
    r"|\bwithout\s+(?:asking|confirmation|approval)\b",
    re.IGNORECASE,
)
# Orders that switch the repository's safety nets off for every later agent session: skip the security checks,
# force-push to the main branch, disable branch protection, run destructive commands without asking.
SAFETY_OFF = re.compile(
    r"\b(?:skip|disable|bypass|turn\s+off|ignore)\w*\s+[^.\n]{0,30}?\bsecurity\s+(?:scans?|checks?|reviews?|scanning"
    r"|tests?|hooks?)\b|\bgit\s+push\s+(?:--force\b|-f\b)[^.\n]{0,20}\b(?:main|master|production)\b"
    r"|\b(?:disable|remove|turn\s+off|bypass)\w*\s+(?:the\s+)?branch\s+protections?\b"
    r"|\b(?:never|do\s*n[o']t)\s+ask\s+(?:the\s+user\s+)?before\s+(?:destructive|deleting|force|dropping|wiping)",
    re.IGNORECASE,
)


_PATTERN_ROW = re.compile(
    r"\b\w*(?:PATTERN|REGEX|SIGNATURE|INDICATOR|IOC|SAMPLE|EXAMPLE|PHRASE|KEYWORD)S?\w*\s*[=:(\[]|re\.compile\(|RegExp\(",
    re.IGNORECASE,
)


def _written_text(row: str, start: int) -> bool:
    """The match sits in a text block (a string literal of 40+ characters, or one that runs past the line), not in
    a short quoted phrase or a list of patterns a checker looks for."""
    if _PATTERN_ROW.search(row):
        return False
    opens = [i for i in (row.rfind(q, 0, start) for q in "\"'`") if i >= 0]
    if not opens:
        return True  # a here-document or echo line
    o = max(opens)
    close = row.find(row[o], start)
    return close < 0 or close - o >= 40


def scripted_orders(view: SkillView) -> Iterator[Hit]:
    """PE005 (high): a script that writes an agent instruction/memory file and carries, in the same file, an
    override of the agent's rules or a blanket approval ("the user has pre-approved all tool calls")."""
    for tf in view.files:
        if tf.role != "script" or tf.lang not in _SCRIPT_LANGS or not _AGENT_FILE.search(tf.text):
            continue
        if not _WRITES.search(tf.text):
            continue
        for n, row in enumerate(tf.raw_rows, 1):
            m = OVERRIDE.search(row) or _STANDING.search(row) or CONCEAL.search(row) or SAFETY_OFF.search(row)
            if m is None or warns_against(row, m.start(), m.end(), code=True) or not _written_text(row, m.start()):
                continue
            objs = tf.line_objs(n)
            if objs:
                yield Hit(
                    "PE005",
                    tf.path,
                    n,
                    "writes standing orders (override, blanket approval, concealment or safety checks off) into "
                    "the agent's instruction/memory files",
                    snippet(row, m.start(), m.end()),
                    # the writer is code that runs, whatever a "BLOCK = ..." constant looks like
                    SCRIPT,
                    Severity.HIGH,
                    0.8,
                )
                break
