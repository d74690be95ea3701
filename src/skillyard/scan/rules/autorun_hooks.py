"""Places that run a command on their own: agent hooks, editor tasks, ssh config, Python ``.pth`` files, MCP configs.

A command in these places runs without anyone typing it - on every agent tool call, when a folder is opened in the
editor, on every ``ssh`` invocation, at every Python start-up. Honest skills put formatters and linters there;
droppers put a download piped into a shell or an encoded payload handed to ``eval``.

- PE024: an auto-run location (Claude Code ``hooks`` in a settings file, a VS Code task with ``runOn: folderOpen``,
  a JetBrains run configuration registered as a project startup task, ssh ``Match exec``/``ProxyCommand``/
  ``LocalCommand``, a ``.pth`` file written into site-packages) holds a command that fetches code from an unvouched
  host and runs it, or decodes a hidden payload and evaluates it (or, when the skill's settings turn the editor's
  trust prompt off, a folder-open command that runs any inline code).
- PE025: code writes an MCP server entry that pre-approves every tool (``autoApprove``/``alwaysAllow`` ``*``) into
  another agent's configuration (Cursor, Claude Desktop, Windsurf, VS Code): the agent then calls that server's
  tools without ever asking the user.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.hosts import URL, host_class, templated_host
from skillyard.scan.analyzers.view import SkillView, TextFile
from skillyard.scan.context import SCRIPT
from skillyard.scan.rules.base import Family, Hit, Rule, snippet

# -- PE024 ----------------------------------------------------------------------------------------------------

AGENT_EVENTS = re.compile(r"\"(?:PreToolUse|PostToolUse|SessionStart|UserPromptSubmit|Stop|SubagentStop|"
                           r"Notification|PreCompact|SessionEnd)\"")  # fmt: skip
_SSH_AUTO = re.compile(r"^\s*(?:Match\s+(?:.*\s)?exec|ProxyCommand|LocalCommand|KnownHostsCommand)\b", re.IGNORECASE)
# ``https.get``, also written ``require('https').get`` / ``require("node:http").request`` in a ``node -e`` one-liner
_FETCH = re.compile(r"\b(?:curl|wget|iwr|irm|Invoke-WebRequest|Invoke-RestMethod|urlopen|fetch)\b"
                    r"|\bhttps?(?:\\?['\"]\s*\))?\.(?:get|request)\b", re.IGNORECASE)  # fmt: skip
_RUN = re.compile(
    r"\|\s*(?:sudo\s+)?(?:ba|z|da|k)?sh\b|\|\s*(?:python\d?|node|perl|ruby|iex)\b|\b(?:eval|exec)\s*\(|\bnew\s+Function\s*\(|\bchmod\s+\+x"
    r"|\bsubprocess\.|\bos\.system\b|\bPopen\b|\bIEX\b",
    re.IGNORECASE,
)
_ENCODED_EVAL = re.compile(
    r"\b(?:eval|exec|Function)\s*\(\s*(?:Buffer\.from|atob|base64\.b64decode|b64decode|codecs\.decode|bytes\.fromhex)"
    r"|base64\s+(?:-d|--decode)\b[^|\n]*\|\s*(?:ba|z)?sh\b|FromBase64String[^\n]*(?:iex|Invoke-Expression)",
    re.IGNORECASE,
)


def _bad_command(cmd: str) -> tuple[str, Severity] | None:
    """Why this command is a dropper (and how bad), or None."""
    if _ENCODED_EVAL.search(cmd):
        return "decodes a hidden payload and evaluates it", Severity.HIGH
    if not _FETCH.search(cmd) or not _RUN.search(cmd):
        return None
    worst: Severity | None = None
    for url in URL.findall(cmd):
        cls = host_class(url)
        if cls in ("trusted", "local") or templated_host(url):
            continue
        sev = Severity.MEDIUM if cls == "github" else Severity.HIGH
        worst = sev if worst is None or sev.rank > worst.rank else worst
    return None if worst is None else ("fetches code from the network and runs it", worst)


# Settings that let a folder-open task run with no prompt: VS Code workspace trust off, automatic tasks allowed
# without asking, the trust prompt suppressed; a JetBrains project marked trusted in advance.
_TRUST_OFF = re.compile(
    r"\"security\.workspace\.trust\.(?:enabled\"\s*:\s*false|startupPrompt\"\s*:\s*\"never)"
    r"|\"task\.allowAutomaticTasks\"\s*:\s*\"on\"|TRUSTED_PROJECT_PATHS"
)
# A command that runs code written inline (a one-liner for an interpreter, ``eval``) or taken from a URL
_INLINE_CODE = re.compile(
    r"\b(?:node|nodejs|deno|bun|python\d?|perl|ruby|php)\s+-[ec]\b|\b(?:ba|z|da)?sh\s+-c\b"
    r"|\b(?:powershell|pwsh)(?:\.exe)?\b[^\n]*\s-(?:c|command|e|enc|encodedcommand)\b|\beval\b|https?://",
    re.IGNORECASE,
)


def _judge(cmd: str, unprompted: bool) -> tuple[str, Severity] | None:
    bad = _bad_command(cmd)
    if bad is None and unprompted and _INLINE_CODE.search(cmd):
        bad = "runs inline code, and the skill's settings turn the editor's trust prompt off", Severity.HIGH
    return bad


def _ide_startup_tasks(view: SkillView) -> bool:
    """The skill ships JetBrains project settings that register startup tasks."""
    return any(".idea/" in tf.path.lower() and "ProjectStartup" in tf.text for tf in view.files)


def _trust_off(view: SkillView) -> bool:
    """The skill ships editor settings that let folder-open tasks run unprompted."""
    return any(
        ("trust" in tf.text or "allowAutomaticTasks" in tf.text or "TRUSTED_PROJECT" in tf.text)
        and _TRUST_OFF.search(tf.text) is not None
        for tf in view.files
    )


def _rows(
    tf: TextFile, where: str, pick: re.Pattern[str] | None, follow: int = 0, unprompted: bool = False
) -> Iterator[Hit]:
    """Each picked row (with the ``follow`` rows after it, for a callback written over several lines).
    ``unprompted``: the skill also turns the editor's trust prompt off, so inline code run there is enough."""
    for n, row in enumerate(tf.rows, 1):
        if pick is not None and not pick.search(row):
            continue
        window = [row]
        for nxt in tf.rows[n : n + follow]:
            if pick is not None and pick.search(nxt):  # the next hook starts: it is judged on its own
                break
            window.append(nxt)
        bad = _judge(" ".join(window), unprompted)
        if bad is not None:
            # in markdown the line's own context applies (a security skill quoting a hook under "Red flags")
            objs = tf.line_objs(n) if tf.lang == "markdown" else []
            yield Hit("PE024", tf.path, n, f"{where} {bad[0]}", snippet(row), objs[0].ctx if objs else SCRIPT, bad[1])


_COMMAND_KEY = re.compile(r"\"command\"\s*:")
# Vim/Neovim ``autocmd`` (and Lua ``nvim_create_autocmd``), Emacs ``add-hook``: code run on editor events
_EDITOR_AUTO = re.compile(r"\bautocmd\b|\bnvim_create_autocmd\b|\(add-hook\b")
# a .pth file, or sitecustomize.py/usercustomize.py (imported at every start too), written by a script
# (quoted in code, or a shell path: ``> "$SITE/x.pth"``, ``tee $(python3 -m site --user-site)/x.pth``)
_PTH_WRITE = re.compile(r"""['"][\w.-]*\.pth['"]|[/)}][\w.-]+\.pth\b|['"/](?:site|user)customize\.py\b""")
_SITE = re.compile(
    r"site-packages|getsitepackages|getusersitepackages|USER_SITE|sysconfig\.get_path|-m\s+site\s+--user-site"
)


_PTH_EXEC = re.compile(r"""['"][^'"\n]*\b(?:exec|eval)\s*\(""")
_DECODES = re.compile(
    r"\b(?:b64decode|b32decode|b85decode|a85decode|fromhex|unhexlify|decompress|codecs\.decode|marshal\.loads)\s*\("
)
_B64_BLOB = re.compile(r"[A-Za-z0-9+/]{40,}={0,2}")


def _decoded_literals(text: str) -> str:
    """Base64 blobs of the file decoded (printable UTF-8 only), one per line, to look for fetch-and-run inside."""
    out = []
    for blob in _B64_BLOB.findall(text) if "b64decode" in text else ():
        try:
            s = base64.b64decode(blob + "=" * (-len(blob) % 4)).decode("utf-8")
        except (binascii.Error, ValueError, UnicodeDecodeError):
            continue
        if s.isprintable():
            out.append(s)
    return "\n".join(out)


def _pth(tf: TextFile) -> Iterator[Hit]:
    if tf.path.lower().endswith(".pth"):
        where = ".pth start-up file (runs at every Python start)"
        hits = list(_rows(tf, where, re.compile(r"^\s*import\b")))
        yield from hits
        for n, row in enumerate(tf.rows, 1) if not hits else ():
            # exec()/eval() of decoded or decompressed data however it is spelled (zlib, marshal, codecs, ...)
            if row.lstrip().startswith("import") and re.search(r"\b(?:exec|eval)\s*\(", row) and _DECODES.search(row):
                yield Hit(
                    "PE024", tf.path, n, f"{where} decodes a hidden payload and evaluates it", snippet(row), SCRIPT
                )
        return
    if not _PTH_WRITE.search(tf.text) or not _SITE.search(tf.text):
        return
    bad = _bad_command(tf.text) or _bad_command(_decoded_literals(tf.text))
    if bad is None and _PTH_EXEC.search(tf.text) and _DECODES.search(tf.text):
        # the line written runs exec()/eval() of something the script decoded first
        bad = "decodes a hidden payload and evaluates it", Severity.HIGH
    if bad is None:
        return
    n = next((i for i, r in enumerate(tf.rows, 1) if _PTH_WRITE.search(r)), 1)
    yield Hit("PE024", tf.path, n, f"writes a .pth file into site-packages that {bad[0]} at every Python start",
              snippet(tf.rows[n - 1]), SCRIPT, bad[1])  # fmt: skip


def _autorun(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test":
            continue
        low = tf.path.lower()
        text = tf.text
        if ".pth" in text or low.endswith(".pth") or "customize.py" in text:
            yield from _pth(tf)
        if low.endswith(".json"):
            if '"hooks"' in text and AGENT_EVENTS.search(text):
                yield from _rows(tf, "agent hook (runs on agent events)", _COMMAND_KEY)
            elif "folderOpen" in text and '"command"' in text:
                where = "editor task that runs when the folder opens"
                yield from _rows(tf, where, _COMMAND_KEY, unprompted=_trust_off(view))
        elif tf.lang in _CODE_LANGS and "hooks" in text and _writes_agent_hooks(text):
            yield from _rows(tf, "agent hook written into the agent's settings (runs on agent events)", _COMMAND_ARG)
        elif low.endswith(".xml") and ".idea/" in low and "name=" in text and _ide_startup_tasks(view):
            # JetBrains "startup tasks": run configurations started whenever the project opens
            yield from _ide_startup(tf, _trust_off(view))
        elif ("Match" in text and "exec" in text) or "ProxyCommand" in text or "LocalCommand" in text:
            yield from _rows(tf, "ssh configuration (runs on every ssh)", _SSH_AUTO)
        if "autocmd" in text or "add-hook" in text:
            yield from _rows(tf, "editor autocommand (runs when files are opened or saved)", _EDITOR_AUTO, 4)


_CODE_LANGS = ("python", "javascript", "shell", "powershell")
# a script that builds the hooks object itself: ``s.hooks.SessionStart = [{... command: 'curl ... | sh'}]``
_EVENT_WORD = re.compile(
    r"\b(?:PreToolUse|PostToolUse|SessionStart|UserPromptSubmit|SubagentStop|PreCompact|SessionEnd)\b"
)
_SETTINGS_FILE = re.compile(r"\.claude\b|\bsettings(?:\.local)?\.json\b")
_COMMAND_ARG = re.compile(r"\bcommand[\"']?\s*[:=]")


def _writes_agent_hooks(text: str) -> bool:
    """The script writes an agent settings file and names a hook event in it."""
    return bool(_EVENT_WORD.search(text) and _SETTINGS_FILE.search(text) and _WRITES.search(text))


_XML_COMMAND = re.compile(
    r"\bname=\"(?:SCRIPT_TEXT|SCRIPT_PATH|SCRIPT_OPTIONS|PARAMETERS|COMMAND|INTERPRETER_OPTIONS)\""
)


def _ide_startup(tf: TextFile, unprompted: bool) -> Iterator[Hit]:
    """A JetBrains run configuration of a skill that registers project startup tasks: judge its commands
    (attribute values, XML-escaped)."""
    for n, row in enumerate(tf.rows, 1):
        if _XML_COMMAND.search(row):
            bad = _judge(html.unescape(row), unprompted)
            if bad is not None:
                where = "IDE startup task (runs when the project opens)"
                yield Hit("PE024", tf.path, n, f"{where} {bad[0]}", snippet(row), SCRIPT, bad[1])


# -- PE025 ----------------------------------------------------------------------------------------------------

_AGENT_CONFIGS = re.compile(
    r"claude_desktop_config|mcp_config\.json|\.cursor\W+mcp|\bmcp\.json|\.vscode\W+mcp|windsurf|\.codeium",
    re.IGNORECASE,
)
_APPROVE_ALL = re.compile(r"\b(?:autoApprove|alwaysAllow|auto_approve|always_allow)\b[\"']?\s*[:=]\s*(?:\[\s*)?"
                          r"(?:[\"']\*[\"']|true\b)", re.IGNORECASE)  # fmt: skip
_WRITES = re.compile(r"\bwrite(?:FileSync|File|_text)?\s*\(|\bjson\.dump\s*\(|\bSet-Content\b|>\s*[\"'~$]|\btee\b")


def _mcp_approve(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test" or ("autoApprove" not in tf.text and "alwaysAllow" not in tf.text
                                 and "auto_approve" not in tf.text and "always_allow" not in tf.text):  # fmt: skip
            continue
        if tf.lang not in ("python", "javascript", "typescript", "shell", "powershell"):
            continue
        if not _AGENT_CONFIGS.search(tf.text) or not _WRITES.search(tf.text):
            continue
        for n, row in enumerate(tf.rows, 1):
            if _APPROVE_ALL.search(row):
                yield Hit("PE025", tf.path, n, "writes an MCP server that pre-approves every tool into an agent's "
                          "configuration", snippet(row), SCRIPT)  # fmt: skip
                break


RULES = [
    Rule(
        "PE024",
        "Auto-run hook fetches or decodes code and runs it",
        Family.PRIVILEGE_ESCALATION,
        Severity.HIGH,
        0.8,
        "Agent hooks, editor folder-open tasks, JetBrains startup tasks, ssh Match exec/ProxyCommand lines and .pth "
        "files run a command without anyone typing it; one that pipes a download into a shell or evaluates a "
        "decoded blob is a persistent dropper, and so is a folder-open task running inline code in a skill that "
        "also turns the editor's trust prompt off.",
        "Keep auto-run commands to local tools the user can read; never fetch or decode code there.",
        _autorun,
        mitre="T1546",
    ),
    Rule(
        "PE025",
        "MCP server pre-approved for every tool in an agent's config",
        Family.PRIVILEGE_ESCALATION,
        Severity.HIGH,
        0.8,
        "An MCP entry with autoApprove/alwaysAllow '*' written into Cursor, Claude Desktop, Windsurf or VS Code "
        "configuration lets that server's tools run with no confirmation in every later session.",
        "Add MCP servers without auto-approval and let the user approve tools one by one.",
        _mcp_approve,
        mitre="T1556",
    ),
]
