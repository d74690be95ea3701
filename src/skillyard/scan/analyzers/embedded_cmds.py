"""Shell commands embedded in tool configs and build files, as shell snippets.

Many tools run a command string a config file holds, on their own or on an everyday action, without the user
reading it again: a git alias starting with ``!`` (``git weekly``), ssh's ``LocalCommand``/``ProxyCommand`` (every
connection), cloud-init ``runcmd``/``bootcmd`` (first boot), tmux ``run-shell`` (every start), vim ``system()`` and
``:!`` (an autocmd runs on every buffer), a Vagrantfile's ``inline:`` provisioners and host triggers (``vagrant up``),
CMake ``execute_process`` (configure time), an Xcode ``shellScript`` build phase (every build), Bazel repository
rules (``rctx.execute``; every fetch), a Makefile's parse-time ``$(shell ...)``, an AutoHotkey ``Run``, a
``["/bin/sh", "-c", "..."]`` argument list in Swift/Kotlin/Java/C#/Go/Rust/Starlark/Ruby code, and a shell pipeline
string handed to ``child_process`` in JavaScript. Each command becomes a :class:`Snippet`, so the shell analysis
(fetch-and-run, uploads, credential reads) sees it as the script it is. Only files of the tool's own kind are read.
Build files, deploy configs and hook managers (Maven, Makefile.PL, Netlify/Vercel, Heroku, lefthook) are read by
:mod:`skillyard.scan.analyzers.build_cmds`; ``build.zig`` and ``mix.exs`` ``["-c", "..."]`` lists here.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable, Iterator

import yaml

from skillyard.scan.analyzers.build_cmds import build_extractors, rows_matching
from skillyard.scan.analyzers.shell import DO_SHELL
from skillyard.scan.analyzers.view import SkillView, Snippet, TextFile
from skillyard.scan.context import SCRIPT

Found = Iterator[tuple[int, str]]  # (1-based line, command)

_ALIAS = re.compile(r"^\s*[\w.-]+\s*=\s*(\"?)!(.+?)\1\s*$")
_GIT_CMD = re.compile(r"^\s*(?:sshCommand|fsmonitor|helper|pager|editor)\s*=\s*!?(.+)$", re.IGNORECASE)


def _gitconfig(tf: TextFile) -> Found:
    section = ""
    for n, row in enumerate(tf.rows, 1):
        head = re.match(r"^\s*\[([^\]]+)\]", row)
        if head:
            section = head.group(1).strip().lower().split()[0].strip('"')
            continue
        m = _ALIAS.match(row) if section == "alias" else None
        if m:
            yield n, m.group(2).replace('\\"', '"')
        elif section in ("core", "credential") and (g := _GIT_CMD.match(row)):
            yield n, g.group(1).strip().strip('"')


_SSH_CMD = re.compile(
    r"^\s*(?:LocalCommand|ProxyCommand|KnownHostsCommand|Match\s+exec)\s+(.+)$", re.IGNORECASE | re.MULTILINE
)
_SSH_HOST = re.compile(r"^\s*Host\s+\S", re.MULTILINE)


def _ssh_config(tf: TextFile) -> Found:
    for n, row in enumerate(tf.rows, 1):
        m = _SSH_CMD.match(row)
        if m:
            cmd = m.group(1).strip()
            yield n, cmd[1:-1] if len(cmd) > 1 and cmd[0] == cmd[-1] == '"' else cmd


def _cloud_init(tf: TextFile) -> Found:
    try:
        data = yaml.safe_load(tf.text)
    except yaml.YAMLError:
        return
    if not isinstance(data, dict):
        return
    for key in ("runcmd", "bootcmd"):
        items = data.get(key)
        for item in items if isinstance(items, list) else []:
            if isinstance(item, list):
                item = shlex.join(str(x) for x in item)
            elif isinstance(item, dict) and len(item) == 1:  # ``- X=$(curl -H "a: b")``: YAML read a ": " as a key
                k, v = next(iter(item.items()))
                item = f"{k}: {v}"
            if isinstance(item, str) and item.strip():
                first = item.strip().split("\n", 1)[0][:60]
                yield next((i for i, r in enumerate(tf.rows, 1) if first in r), 1), item


_TMUX = re.compile(r"^\s*(?:run-shell|run|if-shell|if)\s+(?:-\w+\s+)*([\"'])(.+)\1")


def _tmux(tf: TextFile) -> Found:
    return rows_matching(tf, _TMUX, 2)


_VIM_SYSTEM = re.compile(r"\bsystem(?:list)?\(\s*(?:\"((?:[^\"\\]|\\.)*)\"|'((?:[^']|'')*)')")
_VIM_BANG = re.compile(r"(?:^|\|)\s*:?(?:silent!?\s+|exe(?:cute)?\s+)?!\s*(?!=)(\S.*)$")


def _vim(tf: TextFile) -> Found:
    for n, row in enumerate(tf.rows, 1):
        if row.lstrip().startswith('"'):
            continue  # a vim comment
        for m in _VIM_SYSTEM.finditer(row):
            dq, sq = m.group(1), m.group(2)
            yield n, re.sub(r"\\(.)", r"\1", dq) if dq is not None else sq.replace("''", "'")
        if "system" not in row and (b := _VIM_BANG.search(row)):
            yield n, b.group(1)


_RUBY_INLINE = re.compile(r"\binline\s*(?::|=>|=)\s*(?:\"((?:[^\"\\]|\\.)*)\"|'((?:[^'\\]|\\.)*)')")
_HEREDOC = re.compile(r"\binline\s*(?::|=>|=)\s*<<[-~]?['\"]?(\w+)['\"]?")


def _vagrant(tf: TextFile) -> Found:
    rows = tf.rows
    for n, row in enumerate(rows, 1):
        for m in _RUBY_INLINE.finditer(row):
            yield n, (m.group(1) if m.group(1) is not None else m.group(2)).replace('\\"', '"')
        h = _HEREDOC.search(row)
        if h:
            body = []
            for nxt in rows[n : n + 400]:  # a heredoc without its terminator: bounded
                if nxt.strip() == h.group(1):
                    break
                body.append(nxt)
            yield n + 1, "\n".join(body)


_CMAKE_CALL = re.compile(r"\b(?:execute_process|add_custom_command|add_custom_target)\s*\(", re.IGNORECASE)
_CALL_MAX = 8000  # characters of one CMake call
_CMAKE_SET = re.compile(r"\bset\s*\(\s*(\w+)\s+\"([^\"]*)\"\s*\)", re.IGNORECASE)
_CMAKE_KEYWORDS = frozenset(
    {"WORKING_DIRECTORY", "OUTPUT_QUIET", "ERROR_QUIET", "OUTPUT_VARIABLE", "ERROR_VARIABLE", "RESULT_VARIABLE",
     "TIMEOUT", "DEPENDS", "OUTPUT", "BYPRODUCTS", "COMMENT", "VERBATIM", "ALL", "USES_TERMINAL", "COMMAND_ECHO",
     "OUTPUT_STRIP_TRAILING_WHITESPACE", "ERROR_STRIP_TRAILING_WHITESPACE", "ECHO_OUTPUT_VARIABLE", "PRE_BUILD",
     "PRE_LINK", "POST_BUILD", "TARGET", "COMMAND_ERROR_IS_FATAL", "ENCODING", "INPUT_FILE", "OUTPUT_FILE"}
)  # fmt: skip


def _argv_command(argv: list[str]) -> str:
    """A command from an argument vector: the script of ``sh -c SCRIPT``, else the words joined."""
    if len(argv) >= 3 and re.search(r"(?:^|/)(?:ba|z|da)?sh$", argv[0]) and argv[1] in ("-c", "-lc", "-ec"):
        return argv[2]
    return shlex.join(argv)


def _cmake(tf: TextFile) -> Found:
    text = tf.text
    defs = {m.group(1): m.group(2) for m in _CMAKE_SET.finditer(text)}
    for m in _CMAKE_CALL.finditer(text):
        depth, i = 1, m.end()
        stop = min(len(text), i + _CALL_MAX)  # an unclosed call on hostile input: bounded, not quadratic
        while i < stop and depth:
            depth += {"(": 1, ")": -1}.get(text[i], 0) if text[i - 1] != "\\" else 0
            i += 1
        if depth:
            continue
        body = re.sub(r"\$\{(\w+)\}", lambda v: defs.get(v.group(1), "$" + v.group(1)), text[m.end() : i - 1])
        try:
            words = shlex.split(body.replace("\n", " "), comments=False)
        except ValueError:
            continue
        line = text.count("\n", 0, m.start()) + 1
        argv: list[str] | None = None
        for w in [*words, "COMMAND"]:
            if w == "COMMAND" or w in _CMAKE_KEYWORDS:
                if argv:
                    yield line, _argv_command(argv)
                argv = [] if w == "COMMAND" else None
            elif argv is not None:
                argv.append(w)


_PBX_SCRIPT = re.compile(r"\bshellScript\s*=\s*\"((?:[^\"\\]|\\.){0,20000})\"\s*;")
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _pbxproj(tf: TextFile) -> Found:
    for m in _PBX_SCRIPT.finditer(tf.text):
        script = re.sub(r"\\(.)", lambda e: _ESCAPES.get(e.group(1), e.group(1)), m.group(1))
        yield tf.text.count("\n", 0, m.start()) + 1, script


# ``["/bin/sh", "-c", "..."]`` / ``arguments = ["-c", "..."]`` in a language without its own analysis (Swift
# ``\(name)`` interpolation read as ``$name``)
_DASH_C = re.compile(r"[\"']-c[\"']\s*,\s*\"((?:[^\"\\]|\\.){0,4000})\"")
_STR = re.compile(r"\"((?:[^\"\\\n]|\\.)*)\"|'((?:[^'\\\n]|\\.)*)'")


def _dash_c(tf: TextFile) -> Found:
    for m in _DASH_C.finditer(tf.text):
        cmd = re.sub(r"\\\((\w+)\)|#\{(\w+)\}", lambda v: "$" + (v.group(1) or v.group(2)), m.group(1))
        cmd = cmd.replace('\\"', '"')
        yield tf.text.count("\n", 0, m.start()) + 1, cmd


# Bazel repository rules: ``rctx.download(url=U, output=F)`` is ``curl -o F U``, ``rctx.execute([...])`` runs its
# argument vector, ``ctx.actions.run_shell(command = "...")`` its script; they run on any fetch or build.
_BZL_DOWNLOAD = re.compile(r"\.download\(\s*url\s*=\s*\"([^\"]+)\"[^)]*?\boutput\s*=\s*\"([^\"]+)\"")
_BZL_EXECUTE = re.compile(r"\.execute\(\s*\[([^\]]*)\]")
_BZL_RUN_SHELL = re.compile(r"\brun_shell\([^)]*?\bcommand\s*=\s*\"((?:[^\"\\]|\\.)*)\"", re.DOTALL)


def _starlark(tf: TextFile) -> Found:
    text = tf.text
    steps: list[tuple[int, str]] = []
    for m in _BZL_DOWNLOAD.finditer(text):
        steps.append((m.start(), f"curl -fsSL -o {shlex.quote(m.group(2))} {shlex.quote(m.group(1))}"))
    for m in _BZL_EXECUTE.finditer(text):
        argv = [a or b for a, b in _STR.findall(m.group(1))]
        if argv:
            steps.append((m.start(), _argv_command(argv)))
    for m in _BZL_RUN_SHELL.finditer(text):
        steps.append((m.start(), m.group(1).replace('\\"', '"')))
    if steps:
        steps.sort()
        yield text.count("\n", 0, steps[0][0]) + 1, "\n".join(s for _, s in steps)


# a Makefile's ``$(shell ...)`` outside recipes runs when make reads the file, before any target
_MAKE_SHELL = re.compile(r"\$\(shell\s+([^()]*(?:\([^()]*\)[^()]*)*)\)")


def _make_parse_time(tf: TextFile) -> Found:
    for n, row in enumerate(tf.rows, 1):
        if not row.startswith("\t"):
            for m in _MAKE_SHELL.finditer(row):
                yield n, m.group(1)


_AHK_RUN = re.compile(r"^\s*Run(?:Wait)?[\s,(]+(?:\"((?:[^\"`]|`.)*)\"|'((?:[^'`]|`.)*)')", re.IGNORECASE)


def _autohotkey(tf: TextFile) -> Found:
    for n, row in enumerate(tf.rows, 1):
        m = _AHK_RUN.match(row)
        if m:
            yield n, m.group(1) if m.group(1) is not None else m.group(2)


# JavaScript handing a command line to child_process: its string and template literals that read as a pipeline
# (``curl -s ${u} | sh``); ``${expr}`` becomes a shell variable.
_JS_LITERAL = re.compile(r"`((?:[^`\\]|\\.)*)`|\"((?:[^\"\\\n]|\\.)*)\"|'((?:[^'\\\n]|\\.)*)'")
_PIPELINE = re.compile(
    r"\b(?:curl|wget|iwr|irm|Invoke-WebRequest|Invoke-RestMethod)\b[^\n]*(?:\|\s*(?:ba|z)?sh\b|-OutFile|-o\s)"
    r"|\b(?:ba|z)?sh\s+-c\s",
    re.IGNORECASE,
)


def _js_commands(tf: TextFile) -> Found:
    if "child_process" not in tf.text:
        return
    for m in _JS_LITERAL.finditer(tf.text):
        body = next(g for g in m.groups() if g is not None)
        if _PIPELINE.search(body):
            cmd = re.sub(r"\$\{\s*(\w+)\s*\}", r"$\1", body).replace("\\\\", "\\")
            yield tf.text.count("\n", 0, m.start()) + 1, cmd


_OTHER_CODE = (".swift", ".kt", ".kts", ".java", ".cs", ".go", ".rs", ".scala", ".groovy", ".bzl", ".star", ".zig",
               ".ex", ".exs", ".rb")  # fmt: skip
_BAZEL_NAMES = ("build", "build.bazel", "workspace", "workspace.bazel", "module.bazel")
_VIM_NAMES = ("vimrc", ".vimrc", "_vimrc", ".gvimrc", "init.vim", ".exrc")


_LIFECYCLE_KEYS = ("initializeCommand", "onCreateCommand", "updateContentCommand", "postCreateCommand",
                   "postStartCommand", "postAttachCommand")  # fmt: skip


def _devcontainer(tf: TextFile) -> Found:
    """A dev container's lifecycle commands (a string, an argument list, or an object of named commands): they run
    when the container is created or started, ``initializeCommand`` on the host."""
    try:
        data = json.loads(re.sub(r"^\s*//.*$", "", tf.text, flags=re.MULTILINE))  # JSONC line comments
    except ValueError:
        return
    for key in _LIFECYCLE_KEYS if isinstance(data, dict) else ():
        value = data.get(key)
        for cmd in value.values() if isinstance(value, dict) else [value]:
            if isinstance(cmd, list):
                cmd = _argv_command([str(x) for x in cmd])
            if isinstance(cmd, str) and cmd.strip():
                yield next((i for i, r in enumerate(tf.rows, 1) if f'"{key}"' in r), 1), cmd


def _extractors(tf: TextFile) -> list[Callable[[TextFile], Found]]:
    """The extractors for this file, from its name and (cheaply) its content."""
    low = tf.path.lower()
    name = low.rsplit("/", 1)[-1]
    text = tf.text
    out: list[Callable[[TextFile], Found]] = []
    if tf.lang == "markdown":
        return out
    if name in ("devcontainer.json", ".devcontainer.json") and "Command" in text:
        out.append(_devcontainer)
    if name.endswith("gitconfig") or ("[alias]" in text and "!" in text):
        out.append(_gitconfig)
    if ("Command" in text or "exec" in text) and ("ssh" in name or _SSH_HOST.search(text)) and _SSH_CMD.search(text):
        out.append(_ssh_config)
    if text.lstrip().startswith("#cloud-config"):
        out.append(_cloud_init)
    if "tmux" in name and ".conf" in name:
        out.append(_tmux)
    if name in _VIM_NAMES or name.endswith(".vim"):
        out.append(_vim)
    if name == "vagrantfile" and "inline" in text:
        out.append(_vagrant)
    if name == "cmakelists.txt" or name.endswith(".cmake"):
        out.append(_cmake)
    if name.endswith(".pbxproj") and "shellScript" in text:
        out.append(_pbxproj)
    if name.endswith(_OTHER_CODE) and "-c" in text:
        out.append(_dash_c)
    if name.endswith((".bzl", ".star")) or name in _BAZEL_NAMES:
        out.append(_starlark)
    if (name in ("makefile", "gnumakefile") or name.endswith(".mk")) and "$(shell" in text:
        out.append(_make_parse_time)
    if name.endswith((".ahk", ".ah2")):
        out.append(_autohotkey)
    if tf.lang == "javascript":
        out.append(_js_commands)
    if (tf.lang == "applescript" or name.endswith((".scpt", ".jxa"))) and "shell script" in text:
        out.append(_applescript)
    return out + build_extractors(name, text)


def _applescript(tf: TextFile) -> Found:
    """``do shell script "…"`` in an AppleScript file (``osascript`` runs it; often from a LaunchAgent)."""
    for m in DO_SHELL.finditer(tf.text):
        yield tf.text.count("\n", 0, m.start()) + 1, m.group(1).replace('\\"', '"')


def embedded_commands(view: SkillView) -> None:
    """Append the commands embedded in the skill's tool configs and build files to ``view.snippets``."""
    for tf in view.files:
        if not tf.deep or tf.role == "skill_md":
            continue
        for extract in _extractors(tf):
            for line, cmd in extract(tf):
                objs = tf.line_objs(line) if cmd.strip() else []
                if objs:
                    ctx = SCRIPT if tf.role == "script" else objs[0].ctx  # the tool runs it: not a reference text
                    view.snippets.append(Snippet(tf.path, line, cmd, ctx, "embedded"))
