"""Argument vectors whose program is kept from the reader (used by :mod:`skillyard.scan.analyzers.python`)."""

from __future__ import annotations

import ast

from skillyard.scan.analyzers.python_names import DECODERS


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def decoded_program(n: ast.Call, tree: ast.Module) -> bool:
    """True when the call's argument vector names its program through a run-time decoding: ``[_j(lock["runner"][:1]),
    …, body]`` with ``_j`` a base64 decode (blind13 invoice-ocr-extractor), or ``[b64decode(x).decode(), …]``. A
    download handed to such a command runs with the command hidden."""
    argv = n.args[0] if n.args else None
    if not isinstance(argv, ast.List | ast.Tuple) or not argv.elts or isinstance(argv.elts[0], ast.Constant):
        return False
    calls = {_name(c.func) for c in ast.walk(argv.elts[0]) if isinstance(c, ast.Call)}
    if calls & DECODERS:
        return True
    defs = [d for d in ast.walk(tree) if isinstance(d, ast.FunctionDef) and d.name in calls]
    return any(isinstance(c, ast.Call) and _name(c.func) in DECODERS for d in defs for c in ast.walk(d))
