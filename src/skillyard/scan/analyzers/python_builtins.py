"""Builtins reached by name: ``getattr(builtins, "ex" + "ec")`` and ``__builtins__["eval"]`` are ``exec``/``eval``.

A payload that hides its ``exec`` behind a string lookup on the builtins module (``g = getattr(__builtins__,
'exec', None) or __builtins__['exec']; g(code)``) is rewritten before analysis so the call reads ``exec(code)``: the
decoded-payload checks of :mod:`skillyard.scan.analyzers.python` then see it like a plain ``exec``. The name may be
built from literals (concatenation, ``"".join([...])``, ``[::-1]``). Only the code-running builtins are rewritten;
names bound to such a lookup (``g = ...``) are read as the builtin wherever they are loaded in the same file.
"""

from __future__ import annotations

import ast

_RUNNERS = frozenset({"exec", "eval", "compile", "__import__"})
_MODULES = frozenset({"builtins", "__builtins__"})


def _name(node: ast.AST) -> str | None:
    """The string a name expression spells when it is built only from literals."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        a, b = _name(node.left), _name(node.right)
        return None if a is None or b is None else a + b
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice):
        s = node.slice
        if s.lower is None and s.upper is None and s.step is not None and ast.unparse(s.step) == "-1":
            inner = _name(node.value)
            return None if inner is None else inner[::-1]
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "join"
        and len(node.args) == 1
        and isinstance(node.args[0], ast.List | ast.Tuple)
    ):
        sep = _name(node.func.value)
        parts = [_name(e) for e in node.args[0].elts]
        return None if sep is None or any(p is None for p in parts) else sep.join(p or "" for p in parts)
    return None


def _module(node: ast.AST) -> bool:
    if isinstance(node, ast.Name):
        return node.id in _MODULES
    if isinstance(node, ast.Attribute) and node.attr == "__dict__":  # ``builtins.__dict__['exec']``
        return _module(node.value)
    # ``__import__('builtins')`` / ``importlib.import_module('builtins')``
    if isinstance(node, ast.Call) and len(node.args) == 1 and _name(node.args[0]) in _MODULES:
        func = node.func
        return (isinstance(func, ast.Name) and func.id == "__import__") or (
            isinstance(func, ast.Attribute) and func.attr == "import_module"
        )
    # ``sys.modules['builtins']``
    return (
        isinstance(node, ast.Subscript) and _name(node.slice) in _MODULES and ast.unparse(node.value) == "sys.modules"
    )


def _lookup(node: ast.AST) -> str | None:
    """The code-running builtin a lookup expression yields, if any."""
    if isinstance(node, ast.BoolOp):  # ``getattr(b, 'exec', None) or b['exec']``
        found = {_lookup(v) for v in node.values} - {None}
        return found.pop() if len(found) == 1 else None
    name: str | None = None
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "getattr"
        and len(node.args) >= 2
        and _module(node.args[0])
    ):
        name = _name(node.args[1])
    elif isinstance(node, ast.Subscript) and _module(node.value):
        name = _name(node.slice)
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get"
        and node.args
        and _module(node.func.value)
    ):
        name = _name(node.args[0])  # ``__builtins__.get('exec')`` (a dict when imported)
    return name if name in _RUNNERS else None


class _Resolve(ast.NodeTransformer):
    def __init__(self, bound: dict[str, str]) -> None:
        self.bound = bound

    def visit_Name(self, node: ast.Name) -> ast.AST:
        real = self.bound.get(node.id)
        if real is None or not isinstance(node.ctx, ast.Load):
            return node
        return ast.copy_location(ast.Name(real, ast.Load()), node)

    def generic_visit(self, node: ast.AST) -> ast.AST:
        out = super().generic_visit(node)
        if isinstance(out, ast.expr) and not isinstance(out, ast.Name):
            real = _lookup(out)
            if real is not None:
                return ast.copy_location(ast.Name(real, ast.Load()), out)
        return out


def resolve_builtins(tree: ast.Module, text: str) -> ast.Module:
    """``tree`` with lookups of code-running builtins by string read as the builtin itself."""
    if "builtins" not in text:  # both module spellings hold it
        return tree
    bound: dict[str, str] = {}
    for n in ast.walk(tree):
        if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name):
            real = _lookup(n.value)
            if real is not None:
                bound[n.targets[0].id] = real
    out = _Resolve(bound).visit(tree)
    assert isinstance(out, ast.Module)
    return ast.fix_missing_locations(out)
