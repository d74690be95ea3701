"""Shell commands held by build files, deploy configs and hook managers (blind12), for :mod:`embedded_cmds`.

Each of these tools runs a command its file holds on an everyday action, without the user reading it again:
Maven's ``exec-maven-plugin`` (``<executable>`` + ``<arguments>``, bound to a phase of every build), a Perl
``Makefile.PL``/``Build.PL`` (backticks, ``qx``, ``system`` when ``perl Makefile.PL``/``cpanm`` runs it; a fetched
output later ``eval``-ed reads as ``eval "$(cmd)"``), Netlify's ``command`` and Vercel's ``installCommand``/
``buildCommand`` (every cloud build), Heroku's ``app.json`` ``scripts`` and ``Procfile`` process lines (every
deploy / release), lefthook's ``run:`` commands (every commit or push), Tauri's ``before*Command`` (every
build), mise hooks and tasks (``enter`` runs whenever the shell enters the folder) and Home Assistant
``shell_command``/``command_line`` entries. The callers turn each command into a
shell snippet at script weight.
"""

from __future__ import annotations

import html
import json
import re
import tomllib
from collections.abc import Callable, Iterator

import yaml

from skillyard.scan.analyzers.view import TextFile

Found = Iterator[tuple[int, str]]  # (1-based line, command)


def rows_matching(tf: TextFile, rx: re.Pattern[str], group: int) -> Found:
    """(line, ``group`` of the match) for each row that ``rx`` matches at its start."""
    for n, row in enumerate(tf.rows, 1):
        m = rx.match(row)
        if m:
            yield n, m.group(group)


def _line_of(tf: TextFile, needle: str) -> int:
    first = needle.strip().split("\n", 1)[0][:60]
    return next((i for i, r in enumerate(tf.rows, 1) if first and first in r), 1)


_XML_TAG = re.compile(r"<(\w[\w.-]*)>([^<]*)</\1>")
_POM_EXEC = re.compile(r"<executable>([^<]+)</executable>(.*?)</configuration>", re.DOTALL)
_POM_ARG = re.compile(r"<argument>([^<]*)</argument>")


def _pom(tf: TextFile) -> Found:
    """exec-maven-plugin ``<executable>`` with its ``<argument>`` list (``${property}`` values put in)."""
    props_m = re.search(r"<properties>(.*?)</properties>", tf.text, re.DOTALL)
    props = {k: html.unescape(v) for k, v in _XML_TAG.findall(props_m.group(1))} if props_m else {}

    def put(s: str) -> str:
        return re.sub(r"\$\{([\w.-]+)\}", lambda v: props.get(v.group(1), v.group(0)), html.unescape(s.strip()))

    for m in _POM_EXEC.finditer(tf.text):
        argv = [put(m.group(1)), *(put(a) for a in _POM_ARG.findall(m.group(2)))]
        if len(argv) >= 3 and re.search(r"(?:^|/)(?:ba|z|da)?sh$", argv[0]) and argv[1] in ("-c", "-lc", "-ec"):
            cmd = argv[2]
        else:
            cmd = " ".join(argv)
        yield tf.text.count("\n", 0, m.start()) + 1, cmd


# Perl: `cmd`, qx{cmd}/qx(cmd), system("cmd"); ``my $c = `curl …`; eval $c`` is ``eval "$(curl …)"``
_PL_TICK = re.compile(r"(?:(?:my\s+)?\$(\w+)\s*=\s*)?(?:`([^`\n]+)`|\bqx\s*[{(]([^})\n]+)[})])")
_PL_SYSTEM = re.compile(r"\b(?:system|exec)\s*\(?\s*\"([^\"\n]+)\"\s*\)?\s*;")


def _perl(tf: TextFile) -> Found:
    text = tf.text
    for m in _PL_TICK.finditer(text):
        cmd = m.group(2) or m.group(3)
        var = m.group(1)
        if var and re.search(rf"\beval\s*\(?\s*\${re.escape(var)}\b", text[m.end() :]):
            cmd = f'eval "$({cmd})"'
        yield text.count("\n", 0, m.start()) + 1, cmd
    for m in _PL_SYSTEM.finditer(text):
        yield text.count("\n", 0, m.start()) + 1, m.group(1)


_NETLIFY_CMD = re.compile(r"^\s*command\s*=\s*(?:\"((?:[^\"\\]|\\.)*)\"|'([^']*)')", re.MULTILINE)


def _netlify(tf: TextFile) -> Found:
    for m in _NETLIFY_CMD.finditer(tf.text):
        cmd = m.group(1).replace('\\"', '"').replace("\\\\", "\\") if m.group(1) is not None else m.group(2)
        yield tf.text.count("\n", 0, m.start()) + 1, cmd


def _json(tf: TextFile) -> dict[str, object]:
    try:
        data = json.loads(tf.text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _vercel(tf: TextFile) -> Found:
    for key in ("installCommand", "buildCommand", "devCommand", "ignoreCommand"):
        cmd = _json(tf).get(key)
        if isinstance(cmd, str) and cmd.strip():
            yield _line_of(tf, f'"{key}"'), cmd


def _heroku_app(tf: TextFile) -> Found:
    data = _json(tf)
    blocks = [data.get("scripts")]
    envs = data.get("environments")
    if isinstance(envs, dict):
        blocks += [e.get("scripts") for e in envs.values() if isinstance(e, dict)]
    for scripts in blocks:
        for key, cmd in scripts.items() if isinstance(scripts, dict) else ():
            if isinstance(cmd, str) and cmd.strip():
                yield _line_of(tf, f'"{key}"'), cmd


_PROC_LINE = re.compile(r"^([\w-]+)\s*:\s*(\S.*)$")


def _procfile(tf: TextFile) -> Found:
    return rows_matching(tf, _PROC_LINE, 2)


def _yaml_runs(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "run" and isinstance(value, str):
                yield value
            else:
                yield from _yaml_runs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _yaml_runs(item)


def _lefthook(tf: TextFile) -> Found:
    try:
        data = yaml.safe_load(tf.text)
    except yaml.YAMLError:
        return
    for cmd in _yaml_runs(data):
        if cmd.strip():
            yield _line_of(tf, cmd), cmd


def _tauri(tf: TextFile) -> Found:
    """``build.beforeDevCommand``/``beforeBuildCommand``/``beforeBundleCommand`` (a string or ``{"script": …}``):
    run by every ``tauri dev``/``tauri build``."""
    build = _json(tf).get("build")
    for key in ("beforeDevCommand", "beforeBuildCommand", "beforeBundleCommand"):
        cmd = build.get(key) if isinstance(build, dict) else None
        if isinstance(cmd, dict):
            cmd = cmd.get("script")
        if isinstance(cmd, str) and cmd.strip():
            yield _line_of(tf, f'"{key}"'), cmd


def _strings(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)
    elif isinstance(node, dict) and isinstance(node.get("run"), (str, list)):
        yield from _strings(node["run"])


def _mise(tf: TextFile) -> Found:
    """mise ``[hooks]`` (``enter``/``cd``: every time the shell enters the folder; ``preinstall``/``postinstall``)
    and ``[tasks]`` ``run`` commands."""
    try:
        data = tomllib.loads(tf.text)
    except tomllib.TOMLDecodeError:
        return
    hooks = data.get("hooks")
    for cmd in _strings(list(hooks.values())) if isinstance(hooks, dict) else ():
        yield _line_of(tf, cmd), cmd
    tasks = data.get("tasks")
    for task in tasks.values() if isinstance(tasks, dict) else ():
        for cmd in _strings(task.get("run") if isinstance(task, dict) else task):
            yield _line_of(tf, cmd), cmd


# Home Assistant: ``shell_command:`` entries (run by an automation or a service call), ``command_line`` sensors and
# switches (``command:``/``command_on:``, polled on a timer). HA YAML carries ``!secret``/``!include`` tags, so the
# rows are read, not parsed.
_HA_BLOCK = re.compile(r"^(shell_command|command_line)\s*:\s*$")
_HA_ENTRY = re.compile(
    r"^\s+(?:-\s+)?(?:[\w-]+|command(?:_on|_off|_state)?)\s*:\s*(?:[\"'](.+)[\"']|([^\s>|&*!].*))\s*$"
)


def _home_assistant(tf: TextFile) -> Found:
    block = ""
    for n, row in enumerate(tf.rows, 1):
        if row[:1].strip() and not row.lstrip().startswith("#"):
            m = _HA_BLOCK.match(row)
            block = m.group(1) if m else ""
            continue
        if not block or (e := _HA_ENTRY.match(row)) is None:
            continue
        key = row.strip().lstrip("- ").split(":", 1)[0]
        if block == "command_line" and not key.startswith("command"):
            continue
        yield n, e.group(1) or e.group(2)


def build_extractors(name: str, text: str) -> list[Callable[[TextFile], Found]]:
    """The extractors for a file named ``name`` (lower case) holding ``text``."""
    out: list[Callable[[TextFile], Found]] = []
    if name == "pom.xml" and "<executable>" in text:
        out.append(_pom)
    if name.endswith((".pl", ".pm")) and ("`" in text or "qx" in text or "system" in text or "exec" in text):
        out.append(_perl)
    if name == "netlify.toml" and "command" in text:
        out.append(_netlify)
    if name == "vercel.json" and "Command" in text:
        out.append(_vercel)
    if name == "app.json" and '"scripts"' in text:
        out.append(_heroku_app)
    if name == "procfile":
        out.append(_procfile)
    if re.fullmatch(r"\.?lefthook(?:-local)?\.ya?ml", name) and "run" in text:
        out.append(_lefthook)
    if name == "tauri.conf.json" and "Command" in text:
        out.append(_tauri)
    if re.fullmatch(r"\.?(?:mise|rtx)(?:\.local)?\.toml|config\.toml", name) and ("[hooks" in text or "[tasks" in text):
        out.append(_mise)
    if name.endswith((".yaml", ".yml")) and ("shell_command:" in text or "command_line:" in text):
        out.append(_home_assistant)
    return out
