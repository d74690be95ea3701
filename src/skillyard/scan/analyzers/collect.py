"""Collect shell snippets from everywhere a skill can carry commands, and the manifest's own claims.

Sources: fenced shell/PowerShell blocks and command-like inline code in markdown, shell scripts, and install
commands in frontmatter vendor metadata (``metadata.openclaw.install``, ``requires``, ``setup``...).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from skillyard.scan.analyzers.embedded_cmds import embedded_commands
from skillyard.scan.analyzers.markdown import INLINE_CODE
from skillyard.scan.analyzers.task_runners import task_runner_recipes
from skillyard.scan.analyzers.view import PS_LANGS, SHELL_LANGS, WINDOW, Fact, SkillView, Snippet
from skillyard.scan.context import METADATA, SCRIPT, is_ci_workflow

_CMDLIKE = re.compile(
    r"\b(curl|wget|bash|sh|zsh|base64|iex|iwr|powershell|python3?|eval|nc|chmod|sudo|unzip|7z|npm|npx|pip3?|brew|apt|apt-get"
    r"|cargo|uv|uvx|pnpm|yarn|gem|go\s+install)\b"
)
_INSTALL_KEYS = frozenset(
    {
        "install",
        "requires",
        "setup",
        "postinstall",
        "preinstall",
        "command",
        "commands",
        "run",
        "script",
        "scripts",
        "bootstrap",
        "prerequisites",
        "bins",
        "dependencies",
        "cmd",
        "exec",
        "entrypoint",
        "hooks",
    }
)


def _walk(obj: Any, key: str = "", depth: int = 0) -> Iterator[tuple[str, str]]:
    if depth > 8:
        return
    if isinstance(obj, Mapping):
        for k, v in obj.items():
            yield from _walk(v, str(k).lower(), depth + 1)
    elif isinstance(obj, list | tuple):
        for v in obj:
            yield from _walk(v, key, depth + 1)
    elif isinstance(obj, str):
        yield key, obj


# npm runs these on ``npm install`` without being asked: a command in them runs as surely as one in a script.
_NPM_HOOKS = ("preinstall", "install", "postinstall", "prepare", "prepack")


def _npm_hooks(view: SkillView) -> None:
    """Lifecycle scripts in bundled ``package.json`` files, as shell snippets."""
    for tf in view.files:
        if tf.path.rsplit("/", 1)[-1] != "package.json" or not tf.deep:
            continue
        try:
            data = json.loads(tf.text)
        except ValueError:
            continue
        scripts = data.get("scripts") if isinstance(data, dict) else None
        if not isinstance(scripts, dict):
            continue
        rows = tf.raw_rows
        for hook in _NPM_HOOKS:
            cmd = scripts.get(hook)
            if not isinstance(cmd, str) or not cmd.strip():
                continue
            line = next((i for i, r in enumerate(rows, 1) if f'"{hook}"' in r), 1)
            objs = tf.line_objs(line)
            if not objs:
                continue
            view.snippets.append(Snippet(tf.path, line, cmd, objs[0].ctx, "manifest"))


_ITEM = re.compile(r"^\s*-\s+(.*)$")
_RUN_KEY = re.compile(r"^(?P<ind>\s*)(?:-\s+)?(?:run|script|before_script|after_script)\s*:\s*(?P<rest>.*)$")


def _workflow_steps(view: SkillView) -> None:
    """``run:`` steps of CI workflows (GitHub Actions, GitLab ``script:``) as shell snippets: they run in CI."""
    for tf in view.files:
        if (
            not tf.deep
            or ("steps:" not in tf.text and "script:" not in tf.text)
            or not is_ci_workflow(tf.path, tf.text)
        ):
            continue
        rows = tf.rows
        for n, row in enumerate(rows, 1):
            m = _RUN_KEY.match(row)
            if m is None:
                continue
            rest = m.group("rest").strip()
            if rest and rest[0] not in "|>":
                start, body = n, [rest.strip("'\"")]
            else:
                ind = len(m.group("ind"))
                start, body = n + 1, []
                for nxt in rows[n:]:
                    if nxt.strip() and len(nxt) - len(nxt.lstrip()) <= ind:
                        break
                    # GitLab lists commands as ``- cmd`` items (one line each, or ``- |`` with a block below)
                    item = _ITEM.match(nxt)
                    body.append("" if item and item.group(1) in ("|", ">", "|-", ">-") else
                                item.group(1).strip("'\"") if item else nxt)  # fmt: skip
            objs = tf.line_objs(start)
            if body and objs:
                view.snippets.append(Snippet(tf.path, start, "\n".join(body), objs[0].ctx, "workflow"))


# The command a service definition runs: a launchd plist's ``ProgramArguments`` ``sh -c`` string, a systemd unit's
# ``ExecStart=`` (and Pre/Post/Stop) line. They run at login or boot, so they are shell like a bundled script.
_PLIST_SHELL_C = re.compile(r"<string>-c</string>\s*<string>([^<]{4,})</string>")
_SYSTEMD_EXEC = re.compile(r"^\s*Exec(?:Start|StartPre|StartPost|Stop|Reload)\s*=\s*[-@:+!]*(.+)$", re.MULTILINE)


def _service_commands(view: SkillView) -> None:
    for tf in view.files:
        low = tf.path.lower()
        if not tf.deep:
            continue
        if low.endswith(".plist") and "<string>-c</string>" in tf.text:
            found = [(m.start(), html.unescape(m.group(1))) for m in _PLIST_SHELL_C.finditer(tf.text)]
        elif low.endswith((".service", ".timer")) and "Exec" in tf.text:
            found = [(m.start(), m.group(1).strip()) for m in _SYSTEMD_EXEC.finditer(tf.text)]
        else:
            continue
        for start, command in found:
            line = tf.text.count("\n", 0, start) + 1
            objs = tf.line_objs(line)
            if objs:
                view.snippets.append(Snippet(tf.path, line, command, objs[0].ctx, "service"))


# Makefile recipes are shell scripts: each recipe line (after a tab) runs through ``sh -c`` once its ``@``/``-``/``+``
# prefix is dropped, ``$$`` is a shell ``$`` and ``$(VAR)``/``${VAR}`` are make variables (read as shell variables).
_MAKEFILES = re.compile(r"(?:^|/)(?:makefile|gnumakefile|[\w.-]+\.mk)$")
_MAKE_VAR = re.compile(r"\$[({](?:shell\s+)?([^()${}\s]+)[)}]")


_MAKE_DEF = re.compile(r"^(?:export\s+|override\s+)?([A-Za-z_]\w*)\s*[:?+!]?:?=\s*(.*?)\s*$")


def _make_line(row: str, defs: dict[str, str]) -> str:
    """A recipe line as the shell sees it: make variables defined in the file put in, the rest as ``$VAR``."""
    row = row.strip().lstrip("@+-").lstrip()
    for _ in range(2):  # a definition may use another one
        row = _MAKE_VAR.sub(lambda m: defs.get(m.group(1), m.group(0)), row)
    return _MAKE_VAR.sub(r"$\1", row.replace("$$", "\0")).replace("\0", "$")


def _make_recipes(view: SkillView) -> None:
    for tf in view.files:
        if not tf.deep or "\t" not in tf.text or _MAKEFILES.search(tf.path.lower()) is None:
            continue
        start, body = 0, list[str]()
        rows = tf.rows
        defs = {m.group(1): m.group(2) for r in rows if not r.startswith("\t") and (m := _MAKE_DEF.match(r))}
        for n, row in enumerate([*rows, ""], 1):
            if row.startswith("\t") or (body and body[-1].endswith("\\")):
                start, body = start or n, [*body, _make_line(row, defs)]
                continue
            objs = tf.line_objs(start) if body else []
            if objs:
                ctx = SCRIPT if tf.role == "script" else objs[0].ctx  # a recipe runs: not a reference text
                view.snippets.append(Snippet(tf.path, start, "\n".join(body), ctx, "makefile"))
            start, body = 0, []


def collect_snippets(view: SkillView) -> None:
    """Fill ``view.snippets`` (and ``meta.*`` facts for install metadata)."""
    _npm_hooks(view)
    _make_recipes(view)
    task_runner_recipes(view, _NPM_HOOKS)
    _workflow_steps(view)
    _service_commands(view)
    embedded_commands(view)
    for tf in view.files:
        if tf.lang in ("shell", "powershell"):
            head = tf.line_objs(1)
            if head:
                text = tf.text if tf.deep else ""
                view.snippets.append(Snippet(tf.path, 1, text, head[0], "script", tf.lang))
            continue
        if tf.lang != "markdown" or tf.md is None:
            continue
        for first, last, lang in tf.md.code_blocks():
            if lang not in SHELL_LANGS and lang not in PS_LANGS:
                continue
            objs = tf.line_objs(first)
            if not objs:
                continue
            text = "\n".join(tf.md.rows[first - 1 : last])
            kind = "powershell" if lang in PS_LANGS else "shell"
            view.snippets.append(Snippet(tf.path, first, text, objs[0], "markdown", kind))
        # rows holding a backtick, by a scan of the rows (not the shared keyword index: backticks are a third of
        # all its hits, and no rule asks for them)
        for n in [i for i, r in enumerate(tf.rows, 1) if "`" in r]:
            row = tf.rows[n - 1]
            # a command word inside inline code is one in the row (backticks are not word characters)
            if len(row) <= WINDOW and _CMDLIKE.search(row) is None:
                continue
            for ln in tf.line_objs(n):
                if ln.kind not in ("prose", "comment"):
                    continue
                for m in INLINE_CODE.finditer(ln.text):
                    code = m.group(2)
                    if _CMDLIKE.search(code):
                        view.snippets.append(Snippet(tf.path, ln.lineno, code, ln, "inline"))
    manifest = view.skill.manifest
    if manifest is None:
        return
    raw = manifest.raw
    for key, value in _walk({k: v for k, v in raw.items() if k not in ("name", "description")}):
        if key in _INSTALL_KEYS and _CMDLIKE.search(value):
            line = manifest.position("metadata")[0] if "metadata" in raw else manifest.start_line
            view.snippets.append(Snippet("SKILL.md", line, value, METADATA, "manifest"))
            view.facts.append(
                Fact("meta.install", "SKILL.md", line, f"install command in frontmatter ({key})", METADATA, value[:200])
            )
