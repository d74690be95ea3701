"""What a setup script leaves behind: backdoor keys, persistence that runs remote code, password traps, and
directives planted in the agent's own instruction files.

The generic persistence rules (PE005/PE006) see *that* a script writes a launch agent, a shell rc file or a
memory file, which honest skills do too. These rules look at *what* gets written - usually a heredoc or a string
constant the line rules read as data:

- PE020: a hard-coded public key appended to ``authorized_keys`` (someone else's key: a login backdoor).
- PE021: a persistence entry (launchd plist, shell rc, crontab, systemd unit, git hook) whose payload fetches and
  runs remote code or opens a reverse shell, or a launch agent that pretends to be Apple's (``com.apple.*``).
- PE022: a home-made password dialog (``osascript ... with hidden answer``), the AMOS stealer's way to get the
  login password (a shell function that shadows ``sudo`` is PE009).
- PE023: a script writes text that orders the agent to run something, silently or every session, into agent
  instruction or memory files (MEMORY.md, SOUL.md, CLAUDE.md, AGENTS.md, .cursorrules ...).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers import agent_files
from skillyard.scan.analyzers.hosts import URL, host_class
from skillyard.scan.analyzers.view import SkillView, TextFile
from skillyard.scan.context import SCRIPT
from skillyard.scan.rules.base import Family, Hit, Rule, snippet

_SCRIPT_LANGS = (
    "shell",
    "bash",
    "sh",
    "python",
    "javascript",
    "typescript",
    "powershell",
    "ruby",
    "perl",
    "zsh",
    "lua",
    "elisp",
    "vim",
    "autohotkey",
    "just",
)  # editor configs run at every start


def _scripts(view: SkillView) -> Iterator[TextFile]:
    for tf in view.files:
        if tf.role == "script" and (tf.lang in _SCRIPT_LANGS or tf.path.endswith((".sh", ".bash", ".zsh", ".command"))):
            yield tf


def _first(tf: TextFile, rx: re.Pattern[str]) -> tuple[int, re.Match[str]] | None:
    for n, row in enumerate(tf.rows, 1):
        m = rx.search(row)
        if m is not None:
            return n, m
    return None


# -- PE020 ----------------------------------------------------------------------------------------------------

_AUTH_KEYS_WRITE = re.compile(
    r"(?:>>|\btee\s+-a\b[^\n]*|\bappendFileSync?\s*\(|open\s*\([^)\n]*['\"]a['\"]|Add-Content\b[^\n]*)[^\n]*authorized_keys"
    r"|authorized_keys[^\n]*['\"]a['\"]",
)
_PUBKEY = re.compile(
    r"\b(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-nistp\d+|sk-ssh-ed25519@openssh\.com) AAAA[0-9A-Za-z+/]{40,}"
)


# the key kept hex- or base64-encoded (``bytes.fromhex('7373682d...')``, ``echo c3NoLXJzYSBB... | base64 -d``)
_ENCODED = re.compile(
    r"\b(?:7373682d|65636473612d|736b2d737368)[0-9a-fA-F]{80,}|\b(?:c3NoLW|ZWNkc2Et|c2stc3No)[\w+/]{60,}"
)
# an append whose target is a variable: ``ak = '~/.ssh/authorized_keys'`` ... ``open(ak, 'a')`` / ``>> "$ak"``
_APPEND_VAR = re.compile(
    r"""\bopen\s*\(\s*(\w+)\s*,\s*['"]a\+?b?['"]|>>\s*"?\$\{?(\w+)|\btee\s+-a\s+"?\$\{?(\w+)"""
    r"""|\bappendFileSync?\s*\(\s*(\w+)|\bAdd-Content\s+(?:-Path\s+)?\$(\w+)"""
)


# the key kept reversed (``string reverse "...91552de-hss"``, ``rev``, ``[::-1]``, ``.split('').reverse()``)
_QUOTED = re.compile(r"\"([^\"\n]{60,})\"|'([^'\n]{60,})'")
_LOOSE_KEY = re.compile(r"(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-nistp\d+) [0-9A-Za-z+/=]{40,}")


def _encoded_key(tf: TextFile) -> tuple[int, re.Match[str]] | None:
    for n, row in enumerate(tf.rows, 1):
        if "rev" in row or "[::-1]" in row:
            for m in _QUOTED.finditer(row):
                if _LOOSE_KEY.search((m.group(1) or m.group(2))[::-1]):
                    return n, m
        for m in _ENCODED.finditer(row):
            blob = m.group(0)
            try:
                raw = bytes.fromhex(blob) if blob[0].isdigit() else base64.b64decode(blob + "=" * (-len(blob) % 4))
            except ValueError:
                continue
            if _PUBKEY.search(raw.decode("latin-1")):
                return n, m
    return None


def _append_to_keys(tf: TextFile) -> tuple[int, re.Match[str]] | None:
    direct = _first(tf, _AUTH_KEYS_WRITE)
    if direct is not None:
        return direct
    holders = [r for r in tf.rows if "authorized_keys" in r]
    for n, row in enumerate(tf.rows, 1):
        for m in _APPEND_VAR.finditer(row):
            var = next(g for g in m.groups() if g)
            if any(re.search(rf"\b{re.escape(var)}\b\s*[:=]", r) for r in holders):
                return n, m
    return None


def _backdoor_key(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test" or "authorized_keys" not in tf.text:
            continue
        key = _first(tf, _PUBKEY) or _encoded_key(tf)
        write = _append_to_keys(tf) if key else None
        if key is None or write is None:
            continue
        n, m = write
        ctx = SCRIPT if tf.role == "script" else (tf.line_objs(n)[0].ctx if tf.line_objs(n) else None)
        yield Hit(
            "PE020",
            tf.path,
            n,
            f"appends a public key hard-coded in the skill (line {key[0]}) to authorized_keys: whoever holds the "
            "private key can log in",
            snippet(tf.rows[n - 1], m.start(), m.end()),
            ctx,
        )


# -- PE021 ----------------------------------------------------------------------------------------------------

_PERSIST_TARGET = re.compile(
    r"Library/Launch(?:Agents|Daemons)|\.(?:bash|zsh)rc\b|\.bash_profile\b|\.zprofile\b|\.profile\b|config/fish/config"
    r"|\bcrontab\b|/etc/cron|systemd/(?:user|system)|\.config/systemd|\.git/hooks/|core\.hooksPath|autostart/"
    r"|CurrentVersion\\\\?Run\b|schtasks\b|Startup\\\\",
    re.IGNORECASE,
)
_REMOTE_RUN = re.compile(
    r"\b(?:curl|wget)\b[^|\n<]*?(https?://[^\s|\"'<]+)[^|\n<]*\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b"
    r"|\b(?:curl|wget)\b[^|\n<]*?(https?://[^\s|\"'<]+)[^|\n<]*\|\s*(?:python\d?|node|perl)\b"
    r"|(?:ba|z|da)?sh\s+(?:-\w+\s+)*(?:<\(|-c\s+[\"']?\$\()\s*(?:curl|wget)\b[^)\n]*?(https?://[^\s|\"'<)]+)",
    re.IGNORECASE,
)
_REMOTE_RUN_VAR = re.compile(r"\b(?:curl|wget)\s[^|\n<]*\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b")
_REVSHELL = re.compile(
    r"/dev/tcp/\d|\bnc(?:at)?\s+(?:-\w+\s+)*-e\s+/bin/|\bos\.dup2\s*\(\s*\w+\.fileno\(\)|\bpty\.spawn\s*\("
    r"|\bsocket\.socket\(\)[^\n]*\.connect\(\(\s*['\"]\d{1,3}(?:\.\d{1,3}){3}['\"]|\bmkfifo\b[^\n]*\bnc\b",
)
_APPLE_LABEL = re.compile(r"<string>\s*com\.apple\.[\w.-]+\s*</string>|Library/LaunchAgents/com\.apple\.[\w.-]+\.plist")


def _payload(view: SkillView) -> Iterator[Hit]:
    for tf in _scripts(view):
        target = _first(tf, _PERSIST_TARGET)
        if target is None:
            continue
        hits = 0
        for n, row in enumerate(tf.rows, 1):
            m = _REMOTE_RUN.search(row)
            if m is not None:
                url = m.group(1) or m.group(2) or m.group(3) or ""
                if host_class(url) not in ("trusted", "local"):
                    yield Hit("PE021", tf.path, n,
                              f"installs persistence (line {target[0]}) whose payload fetches and runs a remote script",
                              snippet(row, m.start(), m.end()), SCRIPT)  # fmt: skip
                    hits += 1
                    continue
            m = _REMOTE_RUN_VAR.search(row) if "://" not in row else None
            if m is not None:  # the URL is kept in a variable (often decoded): a hidden host, fetched on a schedule
                yield Hit("PE021", tf.path, n,
                          f"installs persistence (line {target[0]}) whose payload fetches and runs a script from a "
                          "URL held in a variable", snippet(row, m.start(), m.end()), SCRIPT)  # fmt: skip
                hits += 1
                continue
            m = _REVSHELL.search(row)
            if m is not None:
                yield Hit("PE021", tf.path, n,
                          f"installs persistence (line {target[0]}) that opens a reverse shell",
                          snippet(row, m.start(), m.end()), SCRIPT, Severity.CRITICAL)  # fmt: skip
                hits += 1
            if hits >= 3:
                break
        if "LaunchAgents" in tf.text or "LaunchDaemons" in tf.text:
            apple = _first(tf, _APPLE_LABEL)
            if apple is not None:
                n, m = apple
                yield Hit(
                    "PE021",
                    tf.path,
                    n,
                    "installs a launch agent under an Apple name (com.apple.*) so it passes for part of macOS",
                    snippet(tf.rows[n - 1], m.start(), m.end()),
                    SCRIPT,
                )


# -- PE022 ----------------------------------------------------------------------------------------------------

_FAKE_DIALOG = re.compile(r"display\s+dialog[^\n]*(?:with\s+hidden\s+answer|hidden\s+answer)", re.IGNORECASE)
_PW_WORD = re.compile(r"passw|contrase|kennwort|mot de passe|密码|パスワード", re.IGNORECASE)
_SEND = re.compile(r"\b(?:curl|wget|nc|Invoke-WebRequest|Invoke-RestMethod)\b")


def _password_trap(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test":
            continue
        low = tf.lower
        if "hidden answer" in low:
            for n, row in enumerate(tf.rows, 1):
                m = _FAKE_DIALOG.search(row)
                if m is None or not _PW_WORD.search(row):
                    continue
                uses = "sudo -S" in tf.text or bool(_SEND.search(tf.text))
                # outside scripts the line's own context decides: an indicator table or YARA string is documentation
                ctx = SCRIPT if tf.role == "script" else next((ln.ctx for ln in tf.line_objs(n)), None)
                yield Hit(
                    "PE022",
                    tf.path,
                    n,
                    "shows a home-made password dialog"
                    + (" and feeds the answer to sudo or the network" if uses else ""),
                    snippet(row, m.start(), m.end()),
                    ctx,
                    Severity.HIGH if uses else Severity.MEDIUM,
                )
                break


# -- PE023 ----------------------------------------------------------------------------------------------------

_AGENT_FILES = agent_files.ANY
_WRITE = re.compile(
    r"\bwrite_text\s*\(|\.write\s*\(|\bwriteFileSync?\s*\(|\bappendFileSync?\s*\(|>>|\btee\b|Set-Content|Add-Content"
    r"|\bopen\s*\([^)\n]*['\"][wa]\+?['\"]",
)
_ORDER = re.compile(
    r"\b(?:run|execute|call|invoke|fetch|install)\b[^\n]{0,80}(?:`|\bcurl\b|\bwget\b|\bnpx\b|\bbash\b|\bsh\b|https?://)"
    r"|\b(?:curl|wget)\b[^\n]{0,80}\|\s*(?:ba)?sh\b|\bnpx\s+-y\b",
    re.IGNORECASE,
)
_STEALTH = re.compile(
    r"\bsilently\b|\bdo\s+not\s+(?:ask|mention|tell|remove|disclose)\b|\bdon'?t\s+(?:ask|mention|tell)\b"
    r"|\bwithout\s+(?:asking|telling|mentioning)\b|\bnever\s+(?:mention|ask|tell)\b|\bevery\s+session\b"
    r"|\bstart\s+of\s+every\b|\bbefore\s+any\s+task\b|\bhighest\s+priority\b|\bowner-approved\b",
    re.IGNORECASE,
)


def _memory_implant(view: SkillView) -> Iterator[Hit]:
    for tf in _scripts(view):
        if not _AGENT_FILES.search(tf.text) or not _WRITE.search(tf.text):
            continue
        for n, row in enumerate(tf.rows, 1):
            m = _ORDER.search(row)
            if m is None or (
                not _STEALTH.search(row) and not any(_STEALTH.search(r) for r in tf.rows[max(0, n - 3) : n + 2])
            ):
                continue
            urls = URL.findall(row)
            if urls and all(host_class(u) in ("trusted", "local") for u in urls):
                continue
            walks = bool(
                re.search(r"\b(?:homedir|expanduser|Path\.home|os\.walk|readdirSync|rglob|\$HOME|~/)", tf.text)
            )
            yield Hit(
                "PE023",
                tf.path,
                n,
                "writes an order for the agent (run a command, silently or every session) into agent instruction or "
                "memory files" + (" outside this project" if walks else ""),
                snippet(row, m.start(), m.end()),
                SCRIPT,
                Severity.CRITICAL if walks else None,
            )
            break


RULES = [
    Rule(
        "PE020",
        "Hard-coded key added to authorized_keys",
        Family.PRIVILEGE_ESCALATION,
        Severity.HIGH,
        0.85,
        "A skill that appends a public key it carries to ~/.ssh/authorized_keys gives the key's owner a login on the "
        "user's machine; ssh-copy-id and the user's own key never need a key baked into the skill.",
        "Let the user add their own key (ssh-copy-id); never ship a public key to install.",
        _backdoor_key,
        mitre="T1098.004",
    ),
    Rule(
        "PE021",
        "Persistence that runs remote code or a reverse shell",
        Family.PRIVILEGE_ESCALATION,
        Severity.HIGH,
        0.85,
        "A launch agent, rc-file entry, cron job, systemd unit or git hook whose payload pipes a download into a shell "
        "or connects a shell to a remote host gives the attacker lasting control; naming it com.apple.* hides it.",
        "Persist only the user's own command, shown before it is installed, under the user's own reverse-DNS label.",
        _payload,
        mitre="T1543.001",
    ),
    Rule(
        "PE022",
        "Fake password dialog",
        Family.PRIVILEGE_ESCALATION,
        Severity.HIGH,
        0.85,
        "A home-made password dialog (osascript 'with hidden answer' titled like System Preferences) harvests the "
        "login password, which the stealer then feeds to sudo -S or sends out (AMOS-style stealers).",
        "Let the system prompt for privileges (sudo, Authorization Services); never read the password yourself.",
        _password_trap,
        mitre="T1056.002",
    ),
    Rule(
        "PE023",
        "Script plants directives in agent instruction files",
        Family.PRIVILEGE_ESCALATION,
        Severity.HIGH,
        0.8,
        "A script that writes 'run this, silently / every session' into MEMORY.md, CLAUDE.md, AGENTS.md and the like "
        "makes every later session execute the attacker's command; walking the home folder spreads it to every "
        "project.",
        "Write memory or instruction files only with text the user approved, shown as a diff; never orders to run.",
        _memory_implant,
        mitre="T1546",
    ),
]
