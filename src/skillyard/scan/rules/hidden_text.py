"""Hidden-text detectors for the prompt-injection family: invisible characters (zero-width, Unicode tags),
bidirectional controls, homoglyph words and whitespace padding (P003-P006)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.hosts import URL
from skillyard.scan.analyzers.view import WINDOW, Line, SkillView, TextFile
from skillyard.scan.context import documentation
from skillyard.scan.rules.base import Hit, snippet

_ZW = {0x200B, 0x200C, 0x200D, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0x180E, 0xFEFF, 0x00AD, 0x034F,
       0x115F, 0x1160, 0x3164, 0xFFA0}  # fmt: skip
_BIDI = {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0x061C}  # fmt: skip
_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)


def _is_emoji_zwj(text: str, i: int) -> bool:
    if ord(text[i]) != 0x200D:
        return False
    prev = ord(text[i - 1]) if i > 0 else 0
    nxt = ord(text[i + 1]) if i + 1 < len(text) else 0
    return prev >= 0x2600 or nxt >= 0x2600 or prev == 0xFE0F


# Scripts whose orthography uses ZWNJ/ZWJ between letters (Arabic, Persian, Syriac, Thaana, N'Ko, Indic, Sinhala,
# Myanmar, Khmer, Mongolian...): a joiner between two such letters is spelling, not hiding.
_JOINING = re.compile("[\u0600-\u08ff\u0900-\u0dff\u1000-\u109f\u1780-\u18af\ufb50-\ufdff\ufe70-\ufefe]")
# A line that names the invisible character it shows (a documented sample or test vector) discloses it.
_NAMED = re.compile(
    r"zero[- ]?width|\bzw(?:sp|nj|j|nbsp)\b|\bbidi(?:rectional)?\b|\b(?:rlo|lro|rli|lri|fsi|pdi)\b"
    r"|right-to-left override|\bbom\b|byte order mark|\btag (?:char|character)|u\+(?:200|202|206|e00|feff)"
    r"|soft hyphen",
    re.IGNORECASE,
)


def _joiner_in_word(text: str, i: int) -> bool:
    if ord(text[i]) not in (0x200C, 0x200D):
        return False
    prev = text[i - 1] if i > 0 else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    return bool(prev and _JOINING.match(prev)) and bool(nxt and (_JOINING.match(nxt) or nxt.isspace()))


def _split_words(text: str, zw: list[int]) -> str:
    """The text with its zero-width characters removed, when they sit inside words letter by letter ("i\u200bg\u200bn
    \u200bo\u200br\u200be"): no spelling or line-break hint does that; it hides the words from keyword matching.
    Empty when fewer than eight characters split two letters."""
    inside = sum(1 for i in zw if 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha())
    if inside < 8:
        return ""
    drop = set(zw)
    return "".join(c for i, c in enumerate(text) if i not in drop)


_INVIS = re.compile(
    "[\u200b-\u200f\u2060-\u2064\u180e\ufeff\u00ad\u034f\u115f\u1160\u3164\uffa0\u202a-\u202e\u2066-\u2069"
    "\u061c\U000e0000-\U000e007f]"
)
_MIXED = re.compile(
    "[A-Za-z][\u0370-\u03ff\u0400-\u04ff\u0530-\u058f\u13a0-\u13ff]|[\u0370-\u03ff\u0400-\u04ff\u0530-\u058f"
    "\u13a0-\u13ff][A-Za-z]"
)


# Every character the checks below report is one _INVIS matches, and every _MIXED match holds one of these
# letters: a row without one is skipped before its Line object is built (speed; the same hits).
_SCRIPTS = re.compile("[\u0370-\u04ff\u0530-\u058f\u13a0-\u13ff]")


def _rows_with(tf: TextFile, rx: re.Pattern[str]) -> Iterator[Line]:
    """The Line objects of ``tf`` (in order) whose row has a match of ``rx``; every window of a long row."""
    for n, row in enumerate(tf.rows, 1):
        if row.isascii() or (len(row) <= WINDOW and rx.search(row) is None):
            continue
        yield from tf.line_objs(n)


def invisible(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.text.isascii() or _INVIS.search(tf.text) is None:
            continue
        for ln in _rows_with(tf, _INVIS):
            t = ln.text
            if t.isascii():
                continue
            tags = [c for c in t if 0xE0000 <= ord(c) <= 0xE007F]
            ctx = (
                documentation("line names the invisible character it shows")
                if _NAMED.search(URL.sub(" ", t))
                else ln.ctx
            )
            if tags:
                hidden = "".join(chr(ord(c) - 0xE0000) for c in tags if 0x20 <= ord(c) - 0xE0000 < 0x7F)
                yield Hit(
                    "P003",
                    tf.path,
                    ln.lineno,
                    f"{len(tags)} Unicode tag characters hide text",
                    f"hidden text: {hidden[:120]!r}",
                    ctx,
                    Severity.CRITICAL,
                    0.95,
                )
                continue
            zw = [
                i
                for i, c in enumerate(t)
                if ord(c) in _ZW
                and not (i == 0 and ln.lineno == 1 and ord(c) == 0xFEFF)
                and not _is_emoji_zwj(t, i)
                and not _joiner_in_word(t, i)
                and ord(c) != 0x00AD
            ]
            split = _split_words(t, zw)
            if split:
                yield Hit(
                    "P003",
                    tf.path,
                    ln.lineno,
                    f"{len(zw)} zero-width characters split words letter by letter (keyword evasion)",
                    f"text without them: {split[:120]!r}",
                    ctx,
                    Severity.CRITICAL,
                    0.9,
                )
            elif zw:
                conf = 0.85 if len(zw) >= 3 else 0.6
                yield Hit(
                    "P003",
                    tf.path,
                    ln.lineno,
                    f"{len(zw)} zero-width character(s) in text",
                    snippet(t, zw[0], zw[0] + 1),
                    ctx,
                    None,
                    conf,
                )
            bidi = [i for i, c in enumerate(t) if ord(c) in _BIDI]
            if bidi and not re.search(r"[\u0590-\u08FF]", t):
                yield Hit(
                    "P004",
                    tf.path,
                    ln.lineno,
                    "bidirectional control characters reorder displayed text",
                    snippet(t, bidi[0], bidi[0] + 1),
                    ctx,
                )


# Letters that render like Latin ones (Cyrillic and Greek look-alikes). Greek letters used in maths (α, Δ, π, σ)
# are deliberately absent: "sinα" and "ΔROA" are notation, not impersonation.
_CONFUSABLE = frozenset(
    "\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0456\u0458\u0455\u0501\u051b\u051d\u04bb\u0410\u0412\u0415\u041a"
    "\u041c\u041d\u041e\u0420\u0421\u0422\u0425\u0406\u0408\u0405\u03bf\u03bd\u03c1\u0391\u0392\u0395\u0396"
    "\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4\u03a5\u03a7\u0555\u0578\u057d\u13aa\u13a1\u13a2"
)
_PHISH = re.compile(
    r"password|log\s*in|sign\s*in|recovery|verify|account|wallet|seed|credential|https?://|www\.", re.IGNORECASE
)


def homoglyphs(view: SkillView) -> Iterator[Hit]:
    """P005: otherwise-Latin words with Cyrillic/Greek look-alike letters; high next to a login or URL."""
    for tf in view.files:
        if tf.text.isascii() or _SCRIPTS.search(tf.text) is None or _MIXED.search(tf.text) is None:
            continue
        for ln in _rows_with(tf, _MIXED):
            if ln.text.isascii() or _MIXED.search(ln.text) is None:
                continue
            for m in _WORD.finditer(ln.text):
                w = m.group(0)
                if w.isascii():
                    continue
                fake = sum(c in _CONFUSABLE for c in w)
                latin = sum(c.isascii() for c in w)
                if not fake or latin < 2 or fake + latin != len(w):
                    continue
                phish = bool(_PHISH.search(ln.text))
                yield Hit(
                    "P005",
                    tf.path,
                    ln.lineno,
                    f"word {w!r} mixes Latin with look-alike letters" + (" next to a login or link" if phish else ""),
                    snippet(ln.text, m.start(), m.end()),
                    ln.ctx,
                    Severity.HIGH if phish else None,
                    0.8 if phish else None,
                )
                break


_PAD_TOKENS = (" " * 150, "\t" * 50, "\u00a0" * 100, "\u3000" * 100, "\n" * 10, "\n \n \n \n \n ")
_PAD_RUN = re.compile(
    r"[ \t\u00a0\u3000]{150}|\n[ \t]*\n[ \t]*\n[ \t]*\n[ \t]*\n[ \t]*\n[ \t]*\n[ \t]*\n[ \t]*\n[ \t]*\n"
)


def padding(view: SkillView) -> Iterator[Hit]:
    pad = re.compile(r"\S[ \t\u00a0\u3000]{150,}\S|^[ \t\u00a0\u3000]{150,}\S")
    for tf in view.files:
        if tf.lang not in ("markdown", "text"):
            continue
        if not any(t in tf.text for t in _PAD_TOKENS) or not _PAD_RUN.search(tf.text):
            continue
        for ln in tf.lines:
            if ln.kind == "code" or ln.text.lstrip().startswith("|"):
                continue
            m = pad.search(ln.text)
            if m:
                yield Hit(
                    "P006",
                    tf.path,
                    ln.lineno,
                    "long whitespace run pushes text out of view",
                    snippet(ln.text, m.end() - 1, m.end() + 80),
                    ln.ctx,
                )
        blank = 0
        for i, raw in enumerate(tf.raw_rows, 1):
            if raw.strip():
                if blank >= 60:
                    yield Hit("P006", tf.path, i, f"content after {blank} blank lines", snippet(raw), None)
                blank = 0
            else:
                blank += 1
