"""Python analysis with the ``ast`` module: taint from sensitive sources to network/exec sinks.

Sources: ``os.environ``/``getenv`` (``env``), reads of credential files, browser/wallet stores and ``.env``
files (``secret``), the user's home tree (``user_files``). Taint follows assignments (two passes, so loops
and later reassignments settle) and crosses files: a function in any of the skill's Python files whose
return value is tainted is itself a source wherever it is called. Sinks: HTTP clients, sockets, SMTP/FTP
(``network``) and ``subprocess``/``os.system`` (``exec``).

Facts: ``py.flow`` (value ``source->sink``), ``py.obf_exec`` (exec/eval/compile of decoded data, marshal),
``py.env_dump``, ``py.network``, ``py.exec``, ``py.secret_read``; literal command strings handed to
subprocess/os.system become shell snippets for the shell analyzer. Nothing is imported or executed.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable

from skillyard.scan.analyzers import agent_files
from skillyard.scan.analyzers.py_argv import decoded_program
from skillyard.scan.analyzers.python_builtins import resolve_builtins
from skillyard.scan.analyzers.python_names import CODE_SINKS, DECODERS, EXEC_SINKS, NET_SINKS, REMOTE_SOURCES
from skillyard.scan.analyzers.python_receivers import taint_receivers
from skillyard.scan.analyzers.secrets import secret_kind
from skillyard.scan.analyzers.view import Fact, SkillView, Snippet, TextFile
from skillyard.scan.context import Context


def dotted(node: ast.AST) -> str:
    """``a.b.c`` for attribute chains and names; ``""`` otherwise."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    elif isinstance(node, ast.Call):
        inner = dotted(node.func)
        if inner:
            parts.append(inner + "()")
    return ".".join(reversed(parts))


def _strings(node: ast.AST) -> Iterable[str]:
    for n in ast.walk(node):
        if isinstance(n, ast.Constant) and isinstance(n.value, str):
            yield n.value


def _source_kind(node: ast.AST, tainted_funcs: set[str]) -> str | None:
    for n in ast.walk(node):
        if isinstance(n, ast.Attribute | ast.Name):
            d = dotted(n)
            if d in ("os.environ", "environ") or d.endswith("getenv"):
                return "env"
        if isinstance(n, ast.Call):
            fn = dotted(n.func)
            if fn.rsplit(".", 1)[-1] in tainted_funcs:
                return "secret"
            if "remote:" + fn.rsplit(".", 1)[-1] in tainted_funcs:
                return "remote"
            if fn.endswith(
                (
                    "open",
                    "read_text",
                    "read_bytes",
                    "load",
                    "glob",
                    "walk",
                    "listdir",
                    "iterdir",
                    "copy",
                    "copyfile",
                    "make_archive",
                    "rglob",
                )
            ):
                for s in _strings(n):
                    k = secret_kind(s) or ("user_files" if s in ("~", "/") else None)
                    if k:
                        return "secret" if k in ("credential", "store", "env_file") else k
                if "Path.home()" in ast.unparse(n) and fn.endswith(("glob", "walk", "rglob", "iterdir")):
                    return "user_files"
    for n in ast.walk(node):
        if isinstance(n, ast.Call) and dotted(n.func).endswith(REMOTE_SOURCES):
            return "remote"
    return None


_BUILT_CMD = re.compile(r"\bchr\b|\[::-1\]|\bfromhex\(|b(?:64|32|85)decode\(|codecs\.decode\(|\bbytes\(\[")
_SHELL_BIN = re.compile(r"[\"'](?:/bin/)?(?:ba|z|da)?sh[\"']|pty\.spawn|cmd\.exe|powershell")
_OWN_FILES = re.compile(r"[\"']SKILL\.md[\"']|__file__")
_AGENT_FILE = re.compile(
    r"(?:" + agent_files.TOOL_FILES + "|" + agent_files.WORKSPACE_FILES + r")$"
    r"|settings(?:\.local)?\.json$|config\.toml$"
)
_SYSTEM_FILE = re.compile(
    r"\.(?:bashrc|zshrc|bash_profile|profile|zprofile|zshenv)$|LaunchAgents|LaunchDaemons"
    r"|crontab|/etc/cron|systemd/(?:user|system)|\.config/autostart"
)


_WEAK_DECODERS = frozenset({"join", "decode", "bytes", "loads"})


def _reversing(s: ast.Slice) -> bool:
    """A ``[::-1]`` slice (step -1, no bounds)."""
    return s.lower is None and s.upper is None and s.step is not None and ast.unparse(s.step) == "-1"


class _FileAnalysis:
    def __init__(self, view: SkillView, tf: TextFile, tree: ast.Module, tainted_funcs: set[str]) -> None:
        self.view, self.tf, self.tree, self.tainted_funcs = view, tf, tree, tainted_funcs
        self.assigned: dict[str, ast.AST] = {}
        for n in ast.walk(tree):
            if isinstance(n, ast.Assign):
                for t in n.targets:
                    if isinstance(t, ast.Name):
                        self.assigned[t.id] = n.value

    def reach(self, node: ast.AST) -> list[ast.AST]:
        """``node`` and the values assigned to the names it uses, three hops deep: ``p = unhexlify(h); b =
        p.decode(); exec(compile(b, ...))`` is judged on everything ``b`` was made from."""
        out, todo, seen = [node], [(node, 0)], set()
        while todo:
            cur, depth = todo.pop()
            for nm in ast.walk(cur):
                if isinstance(nm, ast.Name) and nm.id in self.assigned and nm.id not in seen and depth < 3:
                    seen.add(nm.id)
                    out.append(self.assigned[nm.id])
                    todo.append((self.assigned[nm.id], depth + 1))
        return out

    def remote_text(self, n: ast.Call) -> bool:
        """A description/instructions keyword whose value (or any assignment of the name it uses) is fetched."""
        for kw in n.keywords:
            if kw.arg not in ("description", "instructions", "desc", "docstring"):
                continue
            names = {x.id for x in ast.walk(kw.value) if isinstance(x, ast.Name)}
            values = [kw.value] + [
                a.value
                for a in ast.walk(self.tree)
                if isinstance(a, ast.Assign) and any(isinstance(t, ast.Name) and t.id in names for t in a.targets)
            ]
            for v in values:
                if any(isinstance(c, ast.Call) and dotted(c.func).endswith(REMOTE_SOURCES) for c in ast.walk(v)):
                    return True
        return False

    def fold(self, node: ast.AST, depth: int = 0) -> str | None:
        """The string an expression evaluates to when it is built only from literals: concatenation, f-strings,
        ``"".join([...])`` and names assigned such values (split fragments hide a command from text search)."""
        if depth > 8:
            return None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name) and node.id in self.assigned:
            return self.fold(self.assigned[node.id], depth + 1)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            a, b = self.fold(node.left, depth + 1), self.fold(node.right, depth + 1)
            return None if a is None or b is None else a + b
        if isinstance(node, ast.JoinedStr):
            parts = [self.fold(v.value if isinstance(v, ast.FormattedValue) else v, depth + 1) for v in node.values]
            return None if any(p is None for p in parts) else "".join(p or "" for p in parts)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "join"
            and len(node.args) == 1
        ):
            sep = self.fold(node.func.value, depth + 1)
            arg: ast.AST = node.args[0]
            if isinstance(arg, ast.Name) and arg.id in self.assigned:
                arg = self.assigned[arg.id]
            if sep is None or not isinstance(arg, ast.List | ast.Tuple):
                return None
            items = [self.fold(e, depth + 1) for e in arg.elts]
            return None if any(i is None for i in items) else sep.join(i or "" for i in items)
        return None

    def path_strings(self, node: ast.AST) -> tuple[list[str], bool]:
        """String pieces of a path expression (following one level of names) and whether it is home-based."""
        parts: list[str] = []
        home = False
        todo = [node]
        seen: set[str] = set()
        while todo:
            cur = todo.pop()
            src = ast.unparse(cur)
            home = home or "home()" in src or "expanduser" in src or "HOME" in src
            parts.extend(_strings(cur))
            for nm in ast.walk(cur):
                if isinstance(nm, ast.Name) and nm.id in self.assigned and nm.id not in seen:
                    seen.add(nm.id)
                    todo.append(self.assigned[nm.id])
        home = home or any(p.startswith("~") for p in parts)
        return parts, home

    def persistence(self, n: ast.Call, fn: str) -> None:
        target: ast.AST | None = None
        if fn.rsplit(".", 1)[-1] == "open" and n.args:
            mode = n.args[1] if len(n.args) > 1 else next((k.value for k in n.keywords if k.arg == "mode"), None)
            if isinstance(mode, ast.Constant) and isinstance(mode.value, str) and mode.value[:1] in "aw":
                target = n.args[0] if fn == "open" else (n.func.value if isinstance(n.func, ast.Attribute) else None)
            elif (
                fn != "open"
                and isinstance(n.func, ast.Attribute)
                and isinstance(n.args[0], ast.Constant)
                and str(n.args[0].value)[:1] in "aw"
            ):
                target = n.func.value
        elif fn.endswith(("write_text", "write_bytes")) and isinstance(n.func, ast.Attribute):
            target = n.func.value
        if target is None:
            return
        parts, home = self.path_strings(target)
        joined = "/".join(parts)
        kind = (
            "agent" if any(_AGENT_FILE.search(p) for p in parts) else ("system" if _SYSTEM_FILE.search(joined) else "")
        )
        if kind:
            self.fact(
                "py.persist",
                n,
                f"writes {'agent memory/instruction' if kind == 'agent' else 'startup'} file "
                f"{parts[-1] if parts else ''}",
                f"{kind}:{'home' if home else 'local'}",
            )

    def ctx_at(self, line: int) -> Context:
        """The context of source line ``line`` (its first window when a long line is windowed)."""
        objs = self.tf.line_objs(line) or self.tf.line_objs(1)
        return objs[0].ctx if objs else self.tf.lines[0].ctx

    def fact(self, kind: str, node: ast.AST, detail: str, value: str = "") -> None:
        line = getattr(node, "lineno", 1)
        objs = self.tf.line_objs(line)
        ln = objs[0] if objs else None
        ctx = ln.ctx if ln else self.ctx_at(1)
        ev = (ln.text.strip() if ln else "")[:200]
        self.view.facts.append(Fact(kind, self.tf.path, line, detail, ctx, ev, value))

    def run(self) -> None:
        scopes: list[ast.AST] = [self.tree] + [
            n for n in ast.walk(self.tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
        ]
        for scope in scopes:
            self.scope(scope)
        for n in ast.walk(self.tree):
            if isinstance(n, ast.Call):
                self.call(n)

    def scope(self, scope: ast.AST) -> None:
        tainted: dict[str, str] = {}
        body = list(ast.walk(scope))
        assigns = [n for n in body if isinstance(n, ast.Assign | ast.AnnAssign | ast.AugAssign | ast.For | ast.With)]
        for _ in range(2):
            for a in assigns:
                value: ast.AST | None
                if isinstance(a, ast.For):
                    value, targets = a.iter, [a.target]
                elif isinstance(a, ast.With):
                    for item in a.items:
                        if item.optional_vars is not None:
                            k = self.kind_of(item.context_expr, tainted)
                            if k:
                                for t in ast.walk(item.optional_vars):
                                    if isinstance(t, ast.Name):
                                        tainted[t.id] = k
                    continue
                elif isinstance(a, ast.Assign):
                    value, targets = a.value, list(a.targets)
                else:
                    value, targets = a.value, [a.target]
                if value is None:
                    continue
                k = self.kind_of(value, tainted)
                if k:
                    for t in targets:
                        for nm in ast.walk(t):
                            if isinstance(nm, ast.Name):
                                tainted[nm.id] = k
            taint_receivers(body, self.kind_of, tainted)
        for n in body:
            if (
                isinstance(n, ast.Call)
                and isinstance(n.func, ast.Attribute)
                and n.func.attr == "write"
                and isinstance(n.func.value, ast.Call)
                and dotted(n.func.value.func).endswith("open")
                and any(isinstance(a, ast.Constant) and "w" in str(a.value) for a in n.func.value.args[1:])
                and any(self.kind_of(a, tainted) == "remote" for a in n.args)
                and _OWN_FILES.search(self.tf.text)
            ):
                self.fact(
                    "py.obf_exec", n, "overwrites the skill's own files with downloaded content", ast.unparse(n)[:120]
                )
            if isinstance(n, ast.Call):
                fn = dotted(n.func)
                leaf = fn.rsplit(".", 1)[-1]
                if fn in CODE_SINKS and n.args and self.kind_of(n.args[0], tainted) == "remote":
                    # ``exec(compile(json.load(resp)["migration"], ...))``: code received from the network
                    self.fact("py.obf_exec", n, f"{fn}() of code received from the network", ast.unparse(n)[:120])
                    continue
                sink = "network" if (fn in NET_SINKS or leaf in NET_SINKS) else ("exec" if fn in EXEC_SINKS else None)
                if sink is None:
                    continue
                args: list[ast.AST] = [*n.args, *(kw.value for kw in n.keywords)]
                if isinstance(n.func, ast.Attribute):
                    args.append(n.func.value)
                for arg in args:
                    k = self.kind_of(arg, tainted)
                    if k == "remote":
                        if sink == "exec" and (self.runs_shell(n, fn) or decoded_program(n, self.tree)):
                            self.fact(
                                "py.obf_exec",
                                n,
                                f"runs commands received from the network via {fn}()",
                                ast.unparse(n)[:120],
                            )
                            break
                        continue
                    if k and not (
                        sink == "network"
                        and leaf in ("get", "connect")
                        and k == "env"
                        and not any(isinstance(a, ast.Dict | ast.JoinedStr) for a in n.args)
                    ):
                        self.fact("py.flow", n, f"{k} data reaches {sink} sink {fn}()", f"{k}->{sink}")
                        break

        if isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
            for r in (x for x in body if isinstance(x, ast.Return) and x.value is not None):
                k = self.kind_of(r.value, tainted) if r.value is not None else None
                if k in ("secret", "user_files"):
                    self.tainted_funcs.add(scope.name)
                elif k == "remote":
                    self.tainted_funcs.add("remote:" + scope.name)

    @staticmethod
    def runs_shell(n: ast.Call, fn: str) -> bool:
        """A command line handed to a shell (``os.system``, ``shell=True``) or a bare command value."""
        if fn.startswith("os.") or any(
            kw.arg == "shell" and isinstance(kw.value, ast.Constant) and kw.value.value is True for kw in n.keywords
        ):
            return True
        return bool(n.args) and not isinstance(n.args[0], ast.List | ast.Tuple)

    def kind_of(self, node: ast.AST, tainted: dict[str, str]) -> str | None:
        for n in ast.walk(node):
            if isinstance(n, ast.Call) and dotted(n.func).endswith(REMOTE_SOURCES):
                return "remote"
        for n in ast.walk(node):
            if isinstance(n, ast.Name) and n.id in tainted:
                return tainted[n.id]
        return _source_kind(node, self.tainted_funcs)

    def call(self, n: ast.Call) -> None:
        fn = dotted(n.func)
        leaf = fn.rsplit(".", 1)[-1]
        if leaf in ("open", "write_text", "write_bytes"):
            self.persistence(n, fn)
        if leaf in ("exec", "eval", "compile") and n.args and not isinstance(n.args[0], ast.Constant):
            arg, *made_from = self.reach(n.args[0])
            inner = {dotted(c.func).rsplit(".", 1)[-1] for c in ast.walk(arg) if isinstance(c, ast.Call)}
            # through a name, ``"\n".join(lines)`` / ``text.decode()`` alone are no decoding
            calls = {dotted(c.func) for v in made_from for c in ast.walk(v) if isinstance(c, ast.Call)}
            inner |= {c.rsplit(".", 1)[-1] for c in calls} - _WEAK_DECODERS
            inner |= {"codecs"} if "codecs.decode" in calls else set()
            if any(isinstance(s, ast.Slice) and _reversing(s) for v in (arg, *made_from) for s in ast.walk(v)):
                inner.add("reversed")  # ``exec(s[::-1])``: the code is stored backwards
            src = ast.unparse(arg)[:120]
            if (
                inner & DECODERS
                or inner & {"reversed", "codecs"}
                or "marshal" in src
                or "codecs" in src
                or "zlib" in src
            ):
                self.fact("py.obf_exec", n, f"{leaf}() of decoded data", src)
            elif leaf != "compile" and ("urlopen" in src or "requests" in src or (".get(" in src and "http" in src)):
                self.fact("py.obf_exec", n, f"{leaf}() of downloaded code", src)
        if (fn in EXEC_SINKS or (leaf in ("system", "popen") and fn.startswith("os"))) and n.args:
            src = ast.unparse(n.args[0])
            if _BUILT_CMD.search(src):
                self.fact("py.obf_exec", n, f"{leaf}() of a command built from char codes or reversed text", src[:120])
        if (
            fn == "getattr"
            and len(n.args) >= 2
            and dotted(n.args[0]) in ("os", "subprocess", "builtins", "__builtins__", "pty", "socket")
            and not isinstance(n.args[1], ast.Constant)
        ):
            self.fact("py.obf_exec", n, "computed attribute of a system module", ast.unparse(n)[:120])
        if leaf in ("tool", "prompt", "resource", "Tool") and self.remote_text(n):
            self.fact("py.remote_tool_desc", n, "an MCP tool's description is downloaded at run time (rug pull)")
        if leaf == "dup2" and "connect" in self.tf.text and _SHELL_BIN.search(self.tf.text):
            self.fact("sh.reverse_shell", n, "reverse shell: a socket duplicated onto the shell's stdin/stdout")
        if fn in ("marshal.loads", "pickle.loads") and any(
            isinstance(c, ast.Call) and dotted(c.func).endswith(("b64decode", "decompress", "fromhex"))
            for a in n.args
            for c in ast.walk(a)
        ):
            self.fact("py.obf_exec", n, f"{fn}() of decoded data", ast.unparse(n)[:120])
        if fn in ("__import__", "importlib.import_module") and n.args and not isinstance(n.args[0], ast.Constant):
            self.fact("py.obf_exec", n, "dynamic import of a computed module name", ast.unparse(n)[:120])
        if fn in EXEC_SINKS or (leaf in ("system", "popen") and fn.startswith("os")):
            self.fact("py.exec", n, f"runs commands via {fn}()", fn)
            built = self.fold(n.args[0]) if n.args and not isinstance(n.args[0], ast.Constant) else None
            for s in [*_strings(n), *([built] if built else [])]:
                if " " in s or "|" in s:
                    line = getattr(n, "lineno", 1)
                    self.view.snippets.append(
                        Snippet(
                            self.tf.path,
                            line,
                            s,
                            self.ctx_at(min(line, self.tf.n_lines)),
                            "python",
                        )
                    )
        if (
            fn in NET_SINKS
            and fn not in ("send", "connect", "post", "put", "upload_file", "s.post", "client.post", "session.post")
        ) or fn.startswith(("requests.", "httpx.", "urllib.request.", "aiohttp.")):
            urls = [s for s in _strings(n) if s.startswith(("http://", "https://"))]
            self.fact("py.network", n, f"network call {fn}()", urls[0] if urls else "")
        if (isinstance(n.func, ast.Attribute) and fn.endswith(("environ.copy", "environ.items"))) or (
            fn in ("dict", "json.dumps", "str") and any(dotted(a) in ("os.environ", "environ") for a in n.args)
        ):
            self.fact("py.env_dump", n, "collects the whole environment", fn)
        for s in _strings(n):
            k = secret_kind(s)
            if k in ("credential", "store", "env_file"):
                self.fact("py.secret_read", n, f"accesses {k} location", s[:120])
                break


class _Unalias(ast.NodeTransformer):
    """Reads an imported alias as the name it stands for: ``import urllib.request as ur; ur.urlopen(u)`` is
    ``urllib.request.urlopen(u)`` and ``from urllib.request import urlopen as fetch; fetch(u)`` is ``urlopen(u)``,
    so sinks and sources are recognised however the import spelled them."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names

    def visit_Name(self, node: ast.Name) -> ast.AST:
        real = self.names.get(node.id)
        if real is None or not isinstance(node.ctx, ast.Load):
            return node
        first, *rest = real.split(".")
        out: ast.expr = ast.Name(first, ast.Load())
        for part in rest:
            out = ast.Attribute(out, part, ast.Load())
        return ast.copy_location(out, node)


def _unalias(tree: ast.Module) -> ast.Module:
    names: dict[str, str] = {}
    for n in ast.walk(tree):
        if isinstance(n, ast.Import | ast.ImportFrom):
            for a in n.names:
                if a.asname and a.asname != a.name and a.name != "*":
                    names[a.asname] = a.name
    if not names:
        return tree
    out = _Unalias(names).visit(tree)
    assert isinstance(out, ast.Module)
    return ast.fix_missing_locations(out)


def analyse_python(view: SkillView) -> None:
    """Run the AST analysis over every deep-analysable Python file of the skill."""
    trees: list[tuple[TextFile, ast.Module]] = []
    for tf in view.files:
        if tf.lang != "python" or not tf.deep or not tf.lines:
            continue
        try:
            trees.append((tf, resolve_builtins(_unalias(ast.parse(tf.text, filename=tf.path)), tf.text)))
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            view.facts.append(
                Fact(
                    "py.unparsable",
                    tf.path,
                    getattr(exc, "lineno", 1) or 1,
                    f"not valid Python ({type(exc).__name__}); matched as text only",
                    tf.lines[0].ctx,
                )
            )
    tainted_funcs: set[str] = set()
    for rnd in range(3):  # later rounds see functions found tainted in other files
        before = len(tainted_funcs)
        saved = len(view.facts), len(view.snippets)
        for tf, tree in trees:
            _FileAnalysis(view, tf, tree, tainted_funcs).run()
        if len(tainted_funcs) == before or rnd == 2:
            break
        del view.facts[saved[0] :]
        del view.snippets[saved[1] :]
