"""The analysed form of a skill that rules read: classified lines with context, unanalysable content, facts.

Building the view never executes or imports anything from the skill. Work is bounded: very long lines are
cut into overlapping windows (every byte is still matched), and files larger than ``max_file_bytes`` are
matched line by line but skipped by the deep analyzers - which is recorded as unanalysable, never silently.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate, repeat
from operator import add
from typing import Any

from skillyard.model import Skill
from skillyard.scan.analyzers.keywords import NEWEST, REGISTERED, SETS, VERSION, as_set, automaton, newest
from skillyard.scan.analyzers.keywords import register_keywords as register_keywords
from skillyard.scan.analyzers.langs import PS_LANGS as PS_LANGS
from skillyard.scan.analyzers.langs import SHELL_LANGS as SHELL_LANGS
from skillyard.scan.analyzers.langs import detect_lang
from skillyard.scan.analyzers.line_context import code_context, markdown_context
from skillyard.scan.analyzers.markdown import MdIndex
from skillyard.scan.analyzers.notebook import notebook_source
from skillyard.scan.analyzers.runner_setup import runner_setup_files
from skillyard.scan.context import (
    SECURITY_TOPIC,
    TEST,
    Context,
    ContextKind,
    authoritative_files,
    base_context,
    file_role,
    installed_configs,
    is_dependency_manifest,
    planted_instructions,
    runs_as_config,
)
from skillyard.scan.options import ScanOptions

WINDOW = 2000
# The deterministic work budget (ScanOptions.work_budget) counts units of about a microsecond of work on the 2-core
# machine it was calibrated on (bench/scan_budget.py): shell analysis per snippet, per byte of snippet text and per
# fact it yields; line matching per candidate row (charged every ROWS_PER_CHECK rows, where the loops ask) and per
# rule hit (context, weighting). Counts, not clocks: the same skill is cut at the same place on any machine.
ROWS_PER_CHECK = 256
WORK_PER_ROW = 1
WORK_PER_SNIPPET = 50
WORK_PER_SHELL_BYTE = 1
WORK_PER_FACT = 300
WORK_PER_HIT = 300
# a row longer than WINDOW is matched window by window: each window a rule visits is charged (a one-line file of a
# megabyte is one row, so the per-row count alone would let it run unbounded)
WORK_PER_WINDOW = 200
WORK_UNLIMITED = 2**62
# Reason given to a line that itself warns against something ("never", "avoid"): rules whose own pattern is a
# negation (concealment, "never use other skills") ignore this discount.
WARNS = "line warns against it"
OVERLAP = 200

# re.IGNORECASE matches ASCII "i" and "s" with these two letters, which str.lower() keeps, and "i" with the dotted
# capital I, which str.lower() turns into two characters ("i" + U+0307): keyword prefilters read folded text so
# that they never skip a line the case-insensitive pattern would match ("ſilently", "İgnore"). The Kelvin sign,
# the only other non-ASCII letter re.IGNORECASE equates with an ASCII one, already lowers to "k".
_FOLD = str.maketrans("ıſ", "is")


def fold(text: str) -> str:
    """``text.lower()`` with the dotless i, the long s and the dotted capital I mapped to ASCII (same newlines)."""
    if "İ" in text:
        text = text.replace("İ", "i")
    low = text.lower()
    if low.isascii() or ("ſ" not in low and "ı" not in low):  # translate() is slow; these letters are rare
        return low
    return low.translate(_FOLD)


class Line:
    """One analysed line (or a window of a very long line) with its structural kind and context.

    The context is computed lazily (only lines some rule matches need it): that keeps the scan fast.
    """

    __slots__ = ("_ctx", "_why", "file", "headings", "kind", "lang", "lineno", "text")

    def __init__(
        self,
        file: str,
        lineno: int,
        text: str,
        kind: str,
        lang: str,
        ctx: Context | None,
        headings: tuple[str, ...] = (),
        why: tuple[str, str, str, str] | None = None,
    ) -> None:
        self.file, self.lineno, self.text, self.kind, self.lang = file, lineno, text, kind, lang
        self.headings = headings
        self._ctx = ctx
        self._why = why

    @property
    def ctx(self) -> Context:
        if self._ctx is None:
            role, full, lead, prev = self._why or ("skill_md", self.text, "", "")
            if self.kind == "code" and role == "script":
                self._ctx = code_context(role, full)
            else:
                self._ctx = markdown_context(role, self.kind, full, self.headings, lead, prev)
        return self._ctx


@dataclass
class TextFile:
    """A text file of the skill, its role (``skill_md``/``script``/``reference``/``test``) and lines.

    Lines are built lazily: rules mostly ask for :meth:`candidates` (lines holding a keyword), so a large file
    costs a few C-level passes, not one Python object per line. ``lines`` builds them all when a rule needs them.
    """

    path: str
    role: str
    lang: str
    text: str
    lower: str
    make: Callable[[int], list[Line]] = field(repr=False)
    n_lines: int = 0
    deep: bool = True
    md: MdIndex | None = field(default=None, repr=False)
    # rows[n - 1] is the text of line n as its Line objects hold it (before windowing)
    rows: list[str] = field(default_factory=list, repr=False)
    _lines: list[Line] | None = field(default=None, repr=False)
    _lower_rows: list[str] | None = field(default=None, repr=False)
    _raw_rows: list[str] | None = field(default=None, repr=False)
    _cache: dict[int, list[Line]] = field(default_factory=dict, repr=False)
    _starts: list[int] | None = field(default=None, repr=False)
    _index: dict[str, set[int]] | None = field(default=None, repr=False)
    _index_version: int = field(default=-1, repr=False)

    @property
    def lines(self) -> list[Line]:
        """Every analysed line, in order (built on first use)."""
        if self._lines is None:
            self._lines = [ln for n in range(1, self.n_lines + 1) for ln in self.line_objs(n)]
        return self._lines

    def line_objs(self, n: int) -> list[Line]:
        """The Line object(s) of line ``n`` (more than one when a very long line is windowed)."""
        got = self._cache.get(n)
        if got is None:
            got = self.make(n) if 1 <= n <= self.n_lines else []
            self._cache[n] = got
        return got

    @property
    def raw_rows(self) -> list[str]:
        """``text.split("\\n")``, built once (``rows`` unless markdown rows dropped a carriage return)."""
        if self._raw_rows is None:
            self._raw_rows = self.rows if self.md is None or "\r" not in self.text else self.text.split("\n")
        return self._raw_rows

    @property
    def lower_rows(self) -> list[str]:
        """The case-folded text of each line (``fold`` of the file, split at newlines; built on first use)."""
        if self._lower_rows is None:
            self._lower_rows = self.lower.split("\n")
        return self._lower_rows

    def candidates(self, keywords: tuple[str, ...]) -> list[Line]:
        """Lines containing any of the lowercase ``keywords``.

        Rules use this as a cheap, exact prefilter: a regex that requires one of the keywords can only match
        on these lines. Keywords registered with :func:`register_keywords` are found for all rules in one
        Aho-Corasick pass per file (when ``pyahocorasick`` is installed); others by C-level substring search.
        """
        return [ln for n in self.candidate_numbers(keywords) for ln in self.line_objs(n)]

    def has_any(self, keywords: tuple[str, ...]) -> bool:
        """``any(k in self.lower for k in keywords)`` (lowercase keywords), answered by a set test on the shared
        keyword index instead of one scan of the whole text per keyword. Keywords the index does not hold yet are
        registered (files indexed from then on hold them) and searched for directly in this file."""
        index = self._index if self._index is not None else self._keyword_index()
        if index is not None and (NEWEST.get(keywords) or newest(keywords)) <= self._index_version:
            return not index.keys().isdisjoint(SETS.get(keywords) or as_set(keywords))
        register_keywords(keywords)
        low = self.lower
        return any(k in low for k in keywords)

    def rows_with(self, keywords: tuple[str, ...]) -> set[int] | frozenset[int]:
        """The set of :meth:`candidate_numbers` (unsorted): for a per-row membership test."""
        index = self._keyword_index()
        if index is not None and newest(keywords) <= self._index_version:
            present = index.keys() & as_set(keywords)
            if len(present) == 1:
                return index[present.pop()]
            return set().union(*map(index.__getitem__, present))
        return frozenset(self.candidate_numbers(keywords))

    def candidate_numbers(self, keywords: tuple[str, ...]) -> list[int]:
        """The numbers (ascending) of the lines :meth:`candidates` returns, without building Line objects:
        a rule can try its pattern on ``rows[n - 1]`` first and build the line only when it matches."""
        index = self._index if self._index is not None else self._keyword_index()
        # (the two cached look-ups inlined: this runs once per rule per file)
        if index is not None and (NEWEST.get(keywords) or newest(keywords)) <= self._index_version:
            # the keywords this file holds, found by a C-level set intersection
            kws = SETS.get(keywords) or as_set(keywords)
            if index.keys().isdisjoint(kws):
                return []
            present = index.keys() & kws
            if len(present) == 1:
                return sorted(index[present.pop()])
            return sorted(set().union(*map(index.__getitem__, present)))
        low = self.lower
        hits: set[int] = set()
        for k in keywords:
            if index is not None and REGISTERED.get(k, 1 << 30) <= self._index_version:
                hits.update(index.get(k, ()))
                continue
            register_keywords((k,))
            i = low.find(k)
            while i >= 0:
                hits.add(bisect_right(self._line_starts(), i))
                i = low.find(k, i + 1)
        return sorted(n for n in hits if 1 <= n <= self.n_lines)

    def _line_starts(self) -> list[int]:
        if self._starts is None:
            self._starts = list(accumulate(map(add, map(len, self.lower_rows), repeat(1)), initial=0))
        return self._starts

    def _keyword_index(self) -> dict[str, set[int]] | None:
        if self._index is not None:
            return self._index
        ac = automaton()
        if ac is None:
            return None
        starts = self._line_starts()
        index: dict[str, set[int]] = {}
        get = index.get
        # filed under the line of the keyword's first character (a keyword may end in a newline: ".env\n")
        for end, kw in ac.iter(self.lower):
            lines = get(kw)
            if lines is None:
                index[kw] = {bisect_right(starts, end - len(kw) + 1)}
            else:
                lines.add(bisect_right(starts, end - len(kw) + 1))
        self._index = index
        self._index_version = VERSION[0]
        return index


@dataclass(frozen=True)
class Unanalysable:
    """Content the scanner could not fully analyse (``kind``: binary, executable, archive, bytecode,
    oversized, encoding, budget). Always reported; the engine turns it into findings."""

    path: str
    kind: str
    reason: str


class Snippet:
    """A piece of shell (or PowerShell) text found somewhere in the skill, to be parsed.

    ``ctx`` may be given as the :class:`Line` the snippet starts on: its context is then computed when first asked
    (most snippets yield no fact and never need it).
    """

    __slots__ = ("_ctx", "depth", "file", "lang", "line", "origin", "text")

    def __init__(
        self, file: str, line: int, text: str, ctx: Context | Line, origin: str, lang: str = "shell", depth: int = 0
    ) -> None:
        self.file, self.line, self.text, self._ctx, self.origin = file, line, text, ctx, origin
        self.lang, self.depth = lang, depth

    @property
    def ctx(self) -> Context:
        got = self._ctx
        if isinstance(got, Line):
            got = self._ctx = got.ctx
        return got

    def __repr__(self) -> str:
        return f"Snippet({self.file!r}, {self.line}, {self.text[:40]!r}, {self.origin!r}, {self.lang!r}, {self.depth})"


@dataclass(frozen=True)
class Fact:
    """Something an analyzer established (``kind`` like ``sh.pipe_to_shell`` or ``py.flow``)."""

    kind: str
    file: str
    line: int
    detail: str
    ctx: Context
    evidence: str = ""
    value: str = ""


@dataclass
class SkillView:
    """Everything rules may look at for one skill."""

    skill: Skill
    options: ScanOptions
    files: list[TextFile] = field(default_factory=list)
    unanalysable: list[Unanalysable] = field(default_factory=list)
    snippets: list[Snippet] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    security_topic: bool = False
    cache: dict[str, list[Any]] = field(default_factory=dict)
    work: int = 0
    work_limit: int = WORK_UNLIMITED

    def spend(self, units: int, path: str, what: str) -> bool:
        """Charge ``units`` of work and say whether the scan's work budget is spent; the first cut in a file is
        recorded as unanalysable (fail closed, IN003). Counted, not timed: the same skill is cut at the same
        place on any machine and under any load."""
        self.work += units
        if self.work <= self.work_limit:
            return False
        if not any(u.path == path and u.kind == "budget" for u in self.unanalysable):
            self.unanalysable.append(Unanalysable(path, "budget", f"work budget spent: {what} not completed"))
        return True

    def over_budget(self, path: str, what: str) -> bool:
        """:meth:`spend` for line matching: callers ask once every ``ROWS_PER_CHECK`` candidate rows."""
        return self.spend(ROWS_PER_CHECK * WORK_PER_ROW, path, what)

    def facts_of(self, *kinds: str) -> list[Fact]:
        return [f for f in self.facts if f.kind in kinds]

    def file(self, path: str) -> TextFile | None:
        return next((f for f in self.files if f.path == path), None)


def _windows(text: str) -> list[str]:
    if len(text) <= WINDOW:
        return [text]
    return [text[i : i + WINDOW] for i in range(0, len(text), WINDOW - OVERLAP)]


def _windowed(
    path: str,
    n: int,
    text: str,
    kind: str,
    lang: str,
    ctx: Context | None,
    headings: tuple[str, ...] = (),
    why: tuple[str, str, str, str] | None = None,
) -> list[Line]:
    if len(text) <= WINDOW:
        return [Line(path, n, text, kind, lang, ctx, headings, why)]
    if ctx is None:  # every window has the whole row's context: computed once, not once per window
        ctx = Line(path, n, text, kind, lang, None, headings, why).ctx
    return [Line(path, n, w, kind, lang, ctx, headings, why) for w in _windows(text)]


def _md_maker(path: str, role: str, md: MdIndex) -> Callable[[int], list[Line]]:
    def make(n: int) -> list[Line]:
        ml = md.line(n)
        prev = md.prev_prose(n) if ml.kind == "prose" else ""
        if ml.kind == "prose" and ml.text.lstrip().startswith("|"):
            prev = f"{prev} {_table_header(md.rows, n)}"
        return _windowed(path, n, ml.text, ml.kind, ml.lang, None, ml.headings, (role, ml.text, ml.lead, prev))

    return make


def _table_header(rows: list[str], n: int) -> str:
    """The header row of the markdown table holding line ``n``: it says what the rows are (e.g. "Indicator")."""
    i = n - 1
    while i > 0 and n - i < 200 and rows[i - 1].lstrip().startswith("|"):
        i -= 1
    return rows[i] if i != n - 1 else ""


def _rows_maker(
    path: str, rows: list[str], kind: str, lang: str, ctx: Context | None, role: str
) -> Callable[[int], list[Line]]:
    def make(n: int) -> list[Line]:
        raw = rows[n - 1]
        return _windowed(path, n, raw, kind, lang, ctx, (), None if ctx is not None else (role, raw, "", ""))

    return make


def build_view(skill: Skill, options: ScanOptions) -> SkillView:
    """Classify every file of ``skill`` and split text files into context-annotated lines."""
    from skillyard.scan.analyzers.binary import classify_binary

    view = SkillView(skill=skill, options=options)
    claim = f"{skill.name} {skill.description}"
    view.security_topic = bool(SECURITY_TOPIC.search(claim))
    md_file = next((f for f in skill.files if f.path == "SKILL.md" and f.text), None)
    installed = installed_configs(md_file.text or "", (f.path for f in skill.files)) if md_file else frozenset()
    planted = planted_instructions(md_file.text or "", (f.path for f in skill.files)) if md_file else frozenset()
    binding = authoritative_files(md_file.text or "", (f.path for f in skill.files)) if md_file else frozenset()
    setups = runner_setup_files((f.path, f.text) for f in skill.files)  # jest setupFiles run on every test run
    for f in skill.files:
        kind = classify_binary(f.path, f.data)
        if kind is not None:
            view.unanalysable.append(Unanalysable(f.path, kind[0], kind[1]))
            continue
        text = f.text
        if text is None:
            try:
                text = f.data.decode("latin-1")
            except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes any bytes
                text = ""
            view.unanalysable.append(Unanalysable(f.path, "encoding", "not valid UTF-8; matched as latin-1 text only"))
        role = "script" if f.path in setups else file_role(f.path)
        lang = detect_lang(f.path, text)
        if f.path.lower().endswith(".ipynb") and (nb := notebook_source(text)) is not None:
            text, role, lang = nb, "script", "python"  # code cells run when the notebook is run
        deep = len(f.data) <= options.max_file_bytes
        if not deep:
            view.unanalysable.append(
                Unanalysable(
                    f.path,
                    "oversized",
                    f"{len(f.data)} bytes > {options.max_file_bytes}: pattern-matched in full, "
                    "deep (AST/shell) analysis skipped",
                )
            )
        md: MdIndex | None = None
        if lang == "markdown" or f.path == "SKILL.md":
            md = MdIndex(text, frontmatter=f.path == "SKILL.md")
            lang = "markdown"
            make = _md_maker(f.path, "skill_md" if f.path in planted else role, md)
            n_lines = len(md)
            rows = md.rows
        else:
            rows = text.split("\n")
            n_lines = len(rows)
            if f.path in binding and (role == "test" or lang in ("text", "json", "yaml", "toml", "xml", "svg")):
                # a data file or fixture SKILL.md makes the agent's instructions: read as instructions
                make = _rows_maker(f.path, rows, "prose", lang, None, "skill_md")  # threat words still discount
            elif role == "test":
                make = _rows_maker(f.path, rows, "code", lang, TEST, role)
            elif lang in ("text", "json", "yaml", "toml"):
                runs = is_dependency_manifest(f.path) or runs_as_config(f.path, text, installed)
                ctx = base_context("script" if runs else "reference" if role == "script" else role)
                make = _rows_maker(f.path, rows, "prose", lang, ctx, role)
            else:
                if f.path in installed:  # a shell snippet the agent installs (an rc-file addition) runs like a script
                    role = "script"
                base = base_context(role)
                make = _rows_maker(f.path, rows, "code", lang, None if base.kind is ContextKind.SCRIPT else base, role)
        view.files.append(TextFile(f.path, role, lang, text, fold(text), make, n_lines, deep, md, rows))
    return view
