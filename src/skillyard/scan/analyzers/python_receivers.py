"""Taint carried into an object by a method call: ``msg.set_content(secret)``, ``parts.append(key)``.

The assignment-based taint of :mod:`skillyard.scan.analyzers.python` follows ``x = f(secret)``; a stealer that
builds its message in place (``m = EmailMessage(); m.set_content(open(key).read()); smtp.send_message(m)``) or
collects values into a list (``out.append(token)``) never assigns the secret to the name that is sent. A call of one
of these mutating methods on a plain name, with a tainted argument, taints that name.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable

MUTATORS = frozenset(
    {
        "set_content", "set_payload", "add_attachment", "attach", "add_alternative", "append", "extend", "insert",
        "update", "add", "write", "writelines", "setdefault", "put", "push",
    }
)  # fmt: skip


def taint_receivers(body: Iterable[ast.AST], kind_of: Callable[[ast.AST, dict[str, str]], str | None],
                    tainted: dict[str, str]) -> None:  # fmt: skip
    """Mark ``x`` in ``tainted`` for each ``x.<mutator>(arg)`` whose argument carries taint."""
    for n in body:
        if (
            isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute)
            and n.func.attr in MUTATORS
            and isinstance(n.func.value, ast.Name)
            and n.func.value.id not in tainted
        ):
            for arg in [*n.args, *(k.value for k in n.keywords)]:
                k = kind_of(arg, tainted)
                if k:
                    tainted[n.func.value.id] = k
                    break
