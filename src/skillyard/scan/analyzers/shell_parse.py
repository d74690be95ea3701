"""Shell parsing for :mod:`skillyard.scan.analyzers.shell`: a snippet's logical lines (prompts stripped,
continuations joined) and its pipelines as word lists, parsed with ``bashlex`` or, for real-world shell it
cannot handle, a quote-aware tokenizer."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass

try:  # pragma: no branch
    import bashlex

    _HAVE_BASHLEX = True
except ImportError:  # pragma: no cover - bashlex is a declared dependency
    _HAVE_BASHLEX = False

_STRUCTURED = re.compile(r"\||\$\(|`|<\(|\s-c\s")
_RUNNERS = re.compile(
    r"\b(?:ba|z|da|k)?sh\b|python|perl|ruby|node|php|iex|eval|exec|source|base64|xxd|openssl|pwsh|powershell|deno|bun",
    re.IGNORECASE,
)

_PROMPT = re.compile(r"^\s*(?:\$|#|>|PS [^>]*>|\w+@[\w.-]+:[^$#]*[$#])\s+")


@dataclass
class Command:
    """One simple command: its words (quotes removed) and whether it came from a substitution."""

    words: list[str]
    substituted: bool = False

    @property
    def name(self) -> str:
        if not self.words:
            return ""
        w = self.words[0]
        i = 0
        while w in ("sudo", "env", "nohup", "time", "exec", "command", "builtin", "doas") and i + 1 < len(self.words):
            i += 1
            w = self.words[i]
        return w.rsplit("/", 1)[-1].lower()


def _bashlex_pipelines(text: str) -> list[list[Command]]:
    out: list[list[Command]] = []

    def words_of(node: object, sub: bool) -> Command:
        words: list[str] = []
        for p in getattr(node, "parts", []):
            if getattr(p, "kind", "") == "word":
                words.append(str(p.word))
                for q in getattr(p, "parts", []):
                    if getattr(q, "kind", "") in ("commandsubstitution", "processsubstitution"):
                        walk(q.command, True)
        return Command(words, sub)

    def walk(node: object, sub: bool) -> None:
        kind = getattr(node, "kind", "")
        if kind == "pipeline":
            parts = getattr(node, "parts", [])
            cmds = [words_of(p, sub) for p in parts if getattr(p, "kind", "") == "command"]
            out.append(cmds)
            return
        if kind == "command":
            out.append([words_of(node, sub)])
            return
        for p in getattr(node, "parts", []) or []:
            walk(p, sub)
        for attr in ("list", "command"):
            child = getattr(node, attr, None)
            if child is not None and not isinstance(child, str):
                if isinstance(child, list):
                    for c in child:
                        walk(c, sub)
                else:
                    walk(child, sub)

    for tree in bashlex.parse(text):
        walk(tree, False)
    return out


_KEYWORDS = frozenset(
    {
        "if",
        "then",
        "else",
        "elif",
        "fi",
        "do",
        "done",
        "while",
        "until",
        "for",
        "!",
        "{",
        "}",
        "(",
        ")",
        "time",
        "case",
        "esac",
    }
)
_SUBST = re.compile(r"\$\(([^()]*(?:\([^()]*\)[^()]*)*)\)|`([^`]*)`|<\(([^()]*)\)")


def fallback_pipelines(text: str) -> list[list[Command]]:
    out: list[list[Command]] = []
    for m in _SUBST.finditer(text):
        inner = next(g for g in m.groups() if g is not None)
        for pl in fallback_pipelines(inner):
            out.append([Command(c.words, True) for c in pl])
    flat = _SUBST.sub(" SUBST ", text)
    for stmt in re.split(r"&&|\|\||;|\n|(?<![|>])&(?!>)", flat):
        cmds: list[Command] = []
        for part in re.split(r"(?<!\|)\|(?!\|)", stmt):
            try:
                words = shlex.split(part, comments=True, posix=True)
            except ValueError:
                words = part.split()
            while words and words[0] in _KEYWORDS:
                words = words[1:]
            if words:
                cmds.append(Command(words))
        if cmds:
            out.append(cmds)
    return out


def parse_pipelines(text: str) -> tuple[list[list[Command]], bool]:
    """Pipelines of ``text``; the flag says whether the real parser handled it (else the tokenizer did)."""
    if _HAVE_BASHLEX and len(text) < 4000 and _STRUCTURED.search(text) and _RUNNERS.search(text):
        try:
            return _bashlex_pipelines(text), True
        except Exception:  # bashlex raises many error types on real-world shell
            return fallback_pipelines(text), False
    return fallback_pipelines(text), False


def logical_lines(text: str) -> Iterator[tuple[int, str]]:
    """``(offset line, command)``: joins ``\\`` continuations and strips prompts like ``$ ``."""
    buf: list[str] = []
    start = 0
    for i, raw in enumerate(text.split("\n")):
        if not buf:
            start = i
        line = _PROMPT.sub("", raw, count=1) if not buf else raw
        if line.rstrip().endswith("\\"):
            buf.append(line.rstrip()[:-1])
            continue
        buf.append(line)
        joined = " ".join(buf).strip()
        buf = []
        if joined and not joined.startswith("#"):
            yield start, joined
    if buf:
        yield start, " ".join(buf)
