"""Task-runner recipes as shell snippets: justfile recipes, Taskfile (go-task) ``cmds:``, ``package.json`` scripts,
``tox.ini`` ``commands =``, ``deno.json`` ``tasks``, ``composer.json`` ``scripts`` (Composer runs ``post-install-cmd``,
``post-autoload-dump``... on every install; ``@php`` is ``php``), Go ``//go:generate`` directives and pre-commit
hook ``entry:`` commands (a local hook's entry runs on every ``git commit``), and the IPython shell escapes of a
notebook (``!cmd`` lines and ``%%bash``/``%%sh`` cells; the notebook reader keeps them as ``# !cmd`` comments).

Like Makefile recipes (``collect._make_recipes``), these are shell the user runs by name (``just sync``, ``task
build``, ``npm run dev``, ``tox``): a command in them runs as surely as one in a bundled script. Only files with
the runner's own name are read, so the cost is nil for every other file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import yaml

from skillyard.scan.analyzers.view import SkillView, Snippet, TextFile
from skillyard.scan.context import SCRIPT

_JUSTFILE = re.compile(r"(?:^|/)(?:\.?justfile|[\w.-]+\.just)$")
_TASKFILE = re.compile(r"(?:^|/)taskfile(?:\.dist)?\.ya?ml$")
_JUST_HEADER = re.compile(r"^@?[A-Za-z_][\w-]*(?:\s[^:=]*)?:(?!=)")
_JUST_VAR = re.compile(r"\{\{\s*([A-Za-z_]\w*)\s*\}\}")
_TOX_COMMANDS = re.compile(r"^\s*commands(?:_pre|_post)?\s*=\s*(.*)$")


def _add(view: SkillView, tf: TextFile, line: int, body: list[str], origin: str) -> None:
    text = "\n".join(b for b in body if b.strip())
    objs = tf.line_objs(line) if text.strip() else []
    if objs:
        ctx = SCRIPT if tf.role == "script" else objs[0].ctx  # a recipe runs: not a reference text
        view.snippets.append(Snippet(tf.path, line, text, ctx, origin))


def _just_line(row: str) -> str:
    row = row.strip().lstrip("@-").lstrip()
    return _JUST_VAR.sub(r"$\1", row)


def _justfile(view: SkillView, tf: TextFile) -> None:
    """Recipe bodies: the indented rows under a ``name args:`` header (shebang recipes in another language skipped)."""
    start, body, inside = 0, list[str](), False
    for n, row in enumerate([*tf.rows, ""], 1):
        if row[:1] in (" ", "\t") and inside:
            if not body and row.strip().startswith("#!") and not re.search(r"\b(?:ba|z|da)?sh\b", row):
                inside = False  # ``#!/usr/bin/env python3`` recipe: not shell
                continue
            if row.strip() and not row.strip().startswith("#"):
                start, body = start or n, [*body, _just_line(row)]
            continue
        if row.strip() and not row.startswith("#"):
            if body:
                _add(view, tf, start, body, "justfile")
            start, body = 0, []
            inside = _JUST_HEADER.match(row) is not None
    if body:
        _add(view, tf, start, body, "justfile")


def _line_of(tf: TextFile, text: str, default: int) -> int:
    first = next((x.strip() for x in text.split("\n") if x.strip()), "")
    if first:
        for n, row in enumerate(tf.rows, 1):
            if first[:60] in row:
                return n
    return default


def _task_cmds(task: Any) -> list[str]:
    out: list[str] = []
    if not isinstance(task, dict):
        return [task] if isinstance(task, str) else []
    for key in ("cmds", "cmd"):
        items = task.get(key)
        for item in items if isinstance(items, list) else [items]:
            if isinstance(item, str):
                out.append(item)
            elif isinstance(item, dict) and isinstance(item.get("cmd"), str):
                out.append(item["cmd"])
    return out


def _taskfile(view: SkillView, tf: TextFile) -> None:
    try:
        data = yaml.safe_load(tf.text)
    except yaml.YAMLError:
        return
    tasks = data.get("tasks") if isinstance(data, dict) else None
    if not isinstance(tasks, dict):
        return
    for task in tasks.values():
        for cmd in _task_cmds(task):
            _add(view, tf, _line_of(tf, cmd, 1), [cmd], "taskfile")


def _json_table(tf: TextFile, key: str) -> Iterator[tuple[str, Any, int]]:
    """(name, value, line of the name) of each entry of the object under ``key`` of a JSON manifest."""
    try:
        data = json.loads(tf.text)
    except ValueError:
        return
    table = data.get(key) if isinstance(data, dict) else None
    if isinstance(table, dict):
        for name, value in table.items():
            yield name, value, next((i for i, r in enumerate(tf.rows, 1) if f'"{name}"' in r), 1)


def _package_scripts(view: SkillView, tf: TextFile, skip: tuple[str, ...]) -> None:
    """Every ``scripts`` entry of a bundled ``package.json`` but the install hooks (collected on their own)."""
    for name, cmd, line in _json_table(tf, "scripts"):
        if name not in skip and isinstance(cmd, str) and cmd.strip():
            _add(view, tf, line, [cmd], "manifest")


def _json_commands(view: SkillView, tf: TextFile, key: str) -> None:
    """Every command under ``key`` of a JSON manifest: ``deno.json`` ``tasks``, ``composer.json`` ``scripts`` (a
    command or a list of them; ``@php`` runs PHP, ``@composer``/``@other-script`` and ``Class::method`` callbacks
    are not shell)."""
    for _name, value, line in _json_table(tf, key):
        cmds = value if isinstance(value, list) else [value]
        body = []
        for cmd in cmds:
            if not isinstance(cmd, str) or not cmd.strip() or "::" in cmd.split(" ", 1)[0]:
                continue
            if cmd.startswith("@php "):
                cmd = "php " + cmd[5:]
            elif cmd.startswith("@"):
                continue
            body.append(cmd)
        if body:
            _add(view, tf, line, body, "manifest")


_GO_GENERATE = re.compile(r"^\s*//go:generate\s+(.+)$")


def _go_generate(view: SkillView, tf: TextFile) -> None:
    for n, row in enumerate(tf.rows, 1):
        m = _GO_GENERATE.match(row)
        if m is not None:
            _add(view, tf, n, [m.group(1)], "go:generate")


_ENTRY = re.compile(r"^\s*(?:-\s+)?entry\s*:\s*(.+)$")


def _precommit_entries(view: SkillView, tf: TextFile) -> None:
    for n, row in enumerate(tf.rows, 1):
        m = _ENTRY.match(row)
        if m is not None:
            cmd = m.group(1).strip()
            if len(cmd) > 1 and cmd[0] == cmd[-1] and cmd[0] in "'\"":  # a quoted YAML scalar
                cmd = cmd[1:-1]
            _add(view, tf, n, [cmd], "pre-commit")


_CELL_SHELL = re.compile(r"^# %%(?:bash|sh|script\s+(?:ba)?sh)\b")


def _notebook_shell(view: SkillView, tf: TextFile) -> None:
    rows = tf.rows
    n = 0
    while n < len(rows):
        row = rows[n]
        if row.startswith("# !"):
            _add(view, tf, n + 1, [row[3:]], "notebook")
        elif _CELL_SHELL.match(row):
            body = []
            for nxt in rows[n + 1 :]:
                if not nxt.strip():
                    break
                body.append(nxt)
            _add(view, tf, n + 2, body, "notebook")
            n += len(body)
        n += 1


def _tox(view: SkillView, tf: TextFile) -> None:
    rows = tf.rows
    for n, row in enumerate(rows, 1):
        m = _TOX_COMMANDS.match(row)
        if m is None:
            continue
        body = [m.group(1)]
        for nxt in rows[n:]:
            if not nxt[:1].isspace() or not nxt.strip():
                break
            body.append(nxt.strip())
        _add(view, tf, n, body, "tox")


def task_runner_recipes(view: SkillView, npm_hooks: tuple[str, ...]) -> None:
    """Append the recipes of every task-runner file of the skill to ``view.snippets``."""
    for tf in view.files:
        if not tf.deep:
            continue
        low = tf.path.lower()
        name = low.rsplit("/", 1)[-1]
        if name == "package.json":
            if '"scripts"' in tf.text:
                _package_scripts(view, tf, npm_hooks)
        elif _JUSTFILE.search(low):
            _justfile(view, tf)
        elif _TASKFILE.search(low):
            _taskfile(view, tf)
        elif name == "tox.ini" and "commands" in tf.text:
            _tox(view, tf)
        elif name in ("deno.json", "deno.jsonc") and '"tasks"' in tf.text:
            _json_commands(view, tf, "tasks")
        elif name == "composer.json" and '"scripts"' in tf.text:
            _json_commands(view, tf, "scripts")
        elif name.endswith(".ipynb") and ("# !" in tf.text or "# %%" in tf.text):
            _notebook_shell(view, tf)
        elif name.endswith(".go") and "go:generate" in tf.text:
            _go_generate(view, tf)
        elif (
            name in (".pre-commit-config.yaml", ".pre-commit-config.yml", ".pre-commit-hooks.yaml")
            and "entry" in tf.text
        ):
            _precommit_entries(view, tf)
