"""A small, fast, line-based markdown segmenter.

It recognises what the scanner needs and nothing more: YAML frontmatter, ATX headings (with the heading path
above each line), fenced code blocks with their language, HTML comments (single or multi-line), table rows,
inline code spans and links. It never fails: unclosed fences or comments run to the end of the file, which is
also what a renderer does (and an attacker hiding text in an unclosed comment is still seen).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate, repeat
from operator import add

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})\s*([^`\s]*)")
_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
INLINE_CODE = re.compile(r"(`+)([^`]+?)\1")
LINK = re.compile(r"\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|<(https?://[^>\s]+)>")


@dataclass(frozen=True, slots=True)
class MdLine:
    """One markdown line with its structural kind.

    ``kind`` is ``frontmatter``, ``heading``, ``code``, ``fence`` (the fence line itself), ``comment`` or
    ``prose``; ``lang`` the fenced block's language (lowercase, ``""`` when none); ``headings`` the heading
    path; ``block`` a per-file block number (lines of one fenced block or comment share it);
    ``lead`` the last prose line before the current fenced block (what introduces it).
    """

    lineno: int
    text: str
    kind: str
    lang: str
    headings: tuple[str, ...]
    block: int
    lead: str


def segment(text: str, *, frontmatter: bool = True) -> Iterator[MdLine]:
    """Split markdown ``text`` into classified lines (1-based line numbers)."""
    lines = [ln[:-1] if ln.endswith("\r") else ln for ln in text.split("\n")]
    i = 0
    headings: list[tuple[int, str]] = []
    block = 0
    if frontmatter and lines and lines[0].strip() == "---":
        end = next((j for j in range(1, len(lines)) if lines[j].strip() in ("---", "...")), None)
        if end is not None:
            for j in range(end + 1):
                yield MdLine(j + 1, lines[j], "frontmatter", "yaml", (), 0, "")
            i = end + 1
    fence: str | None = None
    lang = ""
    in_comment = False
    last_prose = ""
    lead = ""
    path: tuple[str, ...] = ()
    n = len(lines)
    while i < n:
        line = lines[i]
        i += 1
        if fence is not None:
            stripped = line.strip()
            if stripped[:1] == fence[0] and stripped.startswith(fence) and stripped.strip(fence[0]) == "":
                yield MdLine(i, line, "fence", lang, path, block, lead)
                fence = None
            else:
                yield MdLine(i, line, "code", lang, path, block, lead)
            continue
        if in_comment:
            yield MdLine(i, line, "comment", "", path, block, "")
            if "-->" in line:
                in_comment = False
            continue
        first = line.lstrip(" ")[:1]
        if first in ("`", "~"):
            m = _FENCE.match(line)
            if m:
                block += 1
                fence = m.group(2)
                lang = m.group(3).lower().strip("{}.")
                lead = last_prose
                yield MdLine(i, line, "fence", lang, path, block, lead)
                continue
        if "<!--" in line:
            block += 1
            start = line.index("<!--")
            if "-->" not in line[start:]:
                in_comment = True
            yield MdLine(i, line, "comment", "", path, block, "")
            continue
        if first == "#":
            hm = _HEADING.match(line)
            if hm:
                level = len(hm.group(1))
                while headings and headings[-1][0] >= level:
                    headings.pop()
                headings.append((level, hm.group(2)))
                path = tuple(h for _, h in headings)
                yield MdLine(i, line, "heading", "", path, block, "")
                continue
        if line and not line.isspace():
            last_prose = line
        yield MdLine(i, line, "prose", "", path, block, "")


def html_comments(text: str) -> Iterator[tuple[int, str]]:
    """``(start offset, inner text)`` of every HTML comment, including an unclosed trailing one."""
    pos = 0
    while True:
        s = text.find("<!--", pos)
        if s < 0:
            return
        e = text.find("-->", s + 4)
        if e < 0:
            yield s, text[s + 4 :]
            return
        yield s, text[s + 4 : e]
        pos = e + 3


def in_inline_code(text: str, start: int) -> bool:
    """Whether offset ``start`` sits inside an inline code span of its line (an odd number of backticks before it):
    a comment shown as ``<!-- ... -->`` in prose is quoted, not hidden."""
    return text.count("`", text.rfind("\n", 0, start) + 1, start) % 2 == 1


# A fence or heading line: its newline, then the line (groups 1-2: fence token and info; 3-4: heading marks and
# text). Starting with a literal newline (not ``^``) lets the regex engine jump from newline to newline instead of
# trying every position; the first line of the body is tried with ``match``. One pass finds both kinds.
_STRUCT = r" {0,3}(?:(`{3,}|~{3,})[ \t]*([^`\s]*)[^\n]*|(#{1,6})[ \t]+([^\n]*?)[ \t#]*)$"
_STRUCT_M = re.compile("\n" + _STRUCT, re.MULTILINE)
_STRUCT_FIRST = re.compile(_STRUCT, re.MULTILINE)


def _comment_marks(text: str, pos: int) -> list[tuple[int, str]]:
    """``(offset, "<!--" or "-->")`` of the comment delimiters from ``pos``, left to right without overlap (what
    ``re.finditer("<!--|-->")`` gives), by C-level ``str.find``."""
    out: list[tuple[int, str]] = []
    a, b = text.find("<!--", pos), text.find("-->", pos)
    while a >= 0 or b >= 0:
        if b < 0 or 0 <= a < b:
            out.append((a, "<!--"))
            pos = a + 4
        else:
            out.append((b, "-->"))
            pos = b + 3
        if 0 <= a < pos:
            a = text.find("<!--", pos)
        if 0 <= b < pos:
            b = text.find("-->", pos)
    return out


class MdIndex:
    """Random access to the structure of a markdown text, built from a few C-level regex passes.

    ``line(n)`` gives the same answer as the sequential :func:`segment` for line ``n`` (1-based) without
    walking every line: only structural events (fences, headings, comment delimiters) are visited in Python.
    """

    def __init__(self, text: str, *, frontmatter: bool = True) -> None:
        raw = text.split("\n")
        self.rows = [r[:-1] if r.endswith("\r") else r for r in raw] if "\r" in text else raw
        # offset of each line's first character (C-level: lengths + 1, summed)
        starts = list(accumulate(map(add, map(len, raw), repeat(1)), initial=0))
        self._starts = starts
        self.front_end = 0
        if frontmatter and self.rows and self.rows[0].strip() == "---":
            end = next((j for j in range(1, len(self.rows)) if self.rows[j].strip() in ("---", "...")), None)
            if end is not None:
                self.front_end = end + 1
        # (line start offset, order, kind, fence token or heading marks, fence info or heading text)
        events: list[tuple[int, int, str, str, str]] = []
        body_start = starts[self.front_end] if self.front_end else 0
        # each pass needs a literal its matches contain: a file without it skips a whole-text regex pass
        if "```" in text or "~~~" in text or "#" in text:
            first = _STRUCT_FIRST.match(text, body_start) if body_start == 0 else None
            found = [first] if first is not None else []
            found.extend(_STRUCT_M.finditer(text, body_start - 1 if body_start else 0))
            for m in found:
                off = m.start() if m is first else m.start() + 1
                if m.group(1) is not None:
                    events.append((off, 0, "fence", m.group(1), m.group(2)))
                else:
                    events.append((off, 1, "heading", m.group(3), m.group(4)))
        if "<!--" in text or "-->" in text:
            events.extend((off, 2, mark, "", "") for off, mark in _comment_marks(text, body_start))
        events.sort(key=lambda e: (e[0], e[1]))
        # (first line, last line, kind, lang) blocks; headings as (line, path)
        self.blocks: list[tuple[int, int, str, str]] = []
        self.headings: list[tuple[int, tuple[str, ...]]] = []
        stack: list[tuple[int, str]] = []
        fence: str | None = None
        fence_line = 0
        lang = ""
        comment_line = 0
        in_comment = False
        for off, _, kind, g1, g2 in events:
            n = bisect_right(starts, off)
            if fence is not None:
                if kind == "fence":
                    tok = g1
                    rest = self.rows[n - 1].strip()
                    if tok[0] == fence[0] and len(tok) >= len(fence) and rest.strip(tok[0]) == "":
                        self.blocks.append((fence_line, n, "code", lang))
                        fence = None
                continue
            if in_comment:
                if kind == "-->":
                    self.blocks.append((comment_line, n, "comment", ""))
                    in_comment = False
                continue
            if kind == "fence":
                if any(b[0] <= n <= b[1] for b in self.blocks[-1:]):
                    continue
                fence, fence_line, lang = g1, n, g2.lower().strip("{}.")
            elif kind == "<!--":
                if self.blocks and self.blocks[-1][2] == "comment" and self.blocks[-1][1] == n:
                    continue
                rest = text[off + 4 : starts[n] - 1] if n < len(starts) else text[off + 4 :]
                if "-->" in rest:
                    self.blocks.append((n, n, "comment", ""))
                else:
                    in_comment, comment_line = True, n
            elif kind == "heading":
                level = len(g1)
                while stack and stack[-1][0] >= level:
                    stack.pop()
                stack.append((level, g2))
                self.headings.append((n, tuple(h for _, h in stack)))
        last = len(self.rows)
        if fence is not None:
            self.blocks.append((fence_line, last, "code", lang))
        if in_comment:
            self.blocks.append((comment_line, last, "comment", ""))
        self.blocks.sort()
        self._block_starts = [b[0] for b in self.blocks]
        self._heading_lines = [h[0] for h in self.headings]
        self._heading_set = set(self._heading_lines)

    def __len__(self) -> int:
        return len(self.rows)

    def block_of(self, n: int) -> tuple[int, int, str, str] | None:
        i = bisect_right(self._block_starts, n) - 1
        if i >= 0:
            b = self.blocks[i]
            if b[0] <= n <= b[1]:
                return b
        return None

    def path_at(self, n: int) -> tuple[str, ...]:
        i = bisect_right(self._heading_lines, n) - 1
        return self.headings[i][1] if i >= 0 else ()

    def _prose_before(self, n: int, limit: int) -> str:
        j = n - 1
        while j >= 1 and n - j <= limit:
            row = self.rows[j - 1]
            if row.strip():
                if j in self._heading_set or self.block_of(j) is not None:
                    return ""
                return row
            j -= 1
        return ""

    def line(self, n: int) -> MdLine:
        """The classified line ``n`` (1-based)."""
        text = self.rows[n - 1]
        if n <= self.front_end:
            return MdLine(n, text, "frontmatter", "yaml", (), 0, "")
        path = self.path_at(n)
        b = self.block_of(n)
        if b is not None:
            first, last, kind, lang = b
            if kind == "code":
                lead = self._prose_before(first, 6)
                edge = n == first or (n == last and self.rows[last - 1].strip()[:3] in ("```", "~~~"))
                return MdLine(n, text, "fence" if edge else "code", lang, path, first, lead)
            return MdLine(n, text, "comment", "", path, first, "")
        if n in self._heading_set:
            return MdLine(n, text, "heading", "", path, 0, "")
        return MdLine(n, text, "prose", "", path, 0, "")

    def prev_prose(self, n: int) -> str:
        """The nearest non-empty prose line above ``n`` in the same section (what introduces it)."""
        return self._prose_before(n, 3)

    def code_blocks(self) -> list[tuple[int, int, str]]:
        """``(first code line, last code line, lang)`` of every fenced block (fence lines excluded)."""
        out = []
        for first, last, kind, lang in self.blocks:
            if kind != "code":
                continue
            end = last - 1 if self.rows[last - 1].strip()[:3] in ("```", "~~~") and last > first else last
            if end >= first + 1:
                out.append((first + 1, end, lang))
        return out
