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


# Commands that run the command named after their own options; the letters are their options that take a value.
_WRAPPERS = {
    "sudo": "ugCDhprtUT",
    "doas": "uC",
    "env": "uCS",
    "nice": "n",
    "nohup": "",
    "time": "",
    "exec": "a",
    "command": "",
    "builtin": "",
    "timeout": "sk",
    "stdbuf": "ioe",
    "ionice": "cnp",
}
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


@dataclass
class Command:
    """One simple command: its words (quotes removed) and whether it came from a substitution."""

    words: list[str]
    substituted: bool = False

    @property
    def head(self) -> int:
        """Index of the word that names the command run: after assignments (``A=1``) and wrappers with their
        options (``sudo -E -u root``, ``env -i A=1``, ``nice -n 5``, ``timeout 30``); the last word at most."""
        ws = self.words
        i = 0
        while i < len(ws) - 1:
            w = ws[i]
            if _ASSIGNMENT.match(w):
                i += 1
                continue
            takes = _WRAPPERS.get(w.rsplit("/", 1)[-1])
            if takes is None:
                break
            i += 1
            positional = w.endswith("timeout")  # ``timeout DURATION COMMAND``
            while i < len(ws) - 1:
                a = ws[i]
                if a == "--":
                    i += 1
                    break
                if a.startswith("-") and len(a) > 1:
                    i += 2 if len(a) == 2 and a[1] in takes else 1
                elif _ASSIGNMENT.match(a) and w.endswith("env"):
                    i += 1
                elif positional:
                    i += 1
                    positional = False
                else:
                    break
        return min(i, len(ws) - 1) if ws else 0

    @property
    def name(self) -> str:
        """The command run, lower-cased, without its directory (``sudo -E /bin/Bash`` → ``bash``)."""
        if not self.words:
            return ""
        return self.words[self.head].rsplit("/", 1)[-1].lower()

    @property
    def args(self) -> list[str]:
        """The words after :attr:`name` (a wrapper's own options are not the command's arguments)."""
        return self.words[self.head + 1 :]


def _bashlex_pipelines(text: str) -> list[list[Command]]:
    out: list[list[Command]] = []

    def words_of(node: object, sub: bool) -> Command:
        words: list[str] = []
        for p in getattr(node, "parts", []):
            pk = getattr(p, "kind", "")
            if pk in ("word", "assignment"):  # ``v=$(...)``: the substitution runs too, though ``v=`` is no word
                if pk == "word":
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
