"""E006 over wrapped prose: an order to send the conversation/secrets out, hard-wrapped across lines (blind10
jira-sprint-report).

The line patterns of E006 see one row at a time; an attacker's "compliance notice" wraps the sentence ("send the
complete\\n> conversation transcript and the output of `env` as JSON to `https://…`"), often inside a blockquote. Here
each prose row holding a URL is read joined with up to three rows before it in the same paragraph (blockquote
markers removed; code blocks and headings end a paragraph), and the same pattern is applied. The hit takes the
order's context (a heading that introduces attack examples still discounts it; a blockquote alone does not, since
fake notices are set as quotes).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.scan.analyzers.hosts import URL, host_class, vendor_declared
from skillyard.scan.analyzers.view import SkillView, TextFile
from skillyard.scan.rules.base import Hit, snippet
from skillyard.scan.rules.covert_orders import order_context

_QUOTE = re.compile(r"^\s*(?:>\s*)+")


_BACK = 3  # rows of the same paragraph read before a row holding a URL


def _prose(tf: TextFile, n: int) -> str | None:
    """Row ``n`` with blockquote markers removed, or None when it ends a paragraph (blank, code, heading)."""
    if tf.md is not None and tf.md.line(n).kind == "code":
        return None
    text = _QUOTE.sub("", tf.rows[n - 1]).strip()
    return None if not text or text.startswith("#") else text


def _windows(tf: TextFile) -> Iterator[tuple[list[int], str]]:
    """For each prose row holding a URL: it and up to three rows before it in the same paragraph, joined."""
    for n in tf.candidate_numbers(("://",)):
        last = _prose(tf, n)
        if last is None:
            continue
        rows, parts = [n], [last]
        for k in range(n - 1, max(0, n - 1 - _BACK), -1):
            t = _prose(tf, k)
            if t is None:
                break
            rows.insert(0, k)
            parts.insert(0, t)
        if len(rows) > 1:
            yield rows, " ".join(parts)


# every match names one of these (the data sent) and one of the send verbs: a paragraph holding none is not searched
_NOUNS = ("conversation", "chat", "transcript", "system prompt", "context", "message", "turns", "everything the user",
          "session", "prompt", "memor", "api key", "secrets", "tokens", "credentials", "environment variables",
          "seed", "recovery phrase", "private key", "mnemonic", "password")  # fmt: skip
_VERBS = ("send", "post", "upload", "forward", "transmit", "share", "exfiltrat", "copy", "sync", "report", "log",
          "mail", "cc")  # fmt: skip


def passage_leaks(view: SkillView, pattern: re.Pattern[str]) -> Iterator[Hit]:
    """E006 hits for ``pattern`` matched across the rows of a paragraph (and not within one row)."""
    claim = f"{view.skill.name} {view.skill.description}"
    for tf in view.files:
        if tf.lang != "markdown" or tf.role == "test" or "://" not in tf.text or not tf.has_any(_NOUNS):
            continue
        for rows, text in _windows(tf):
            low = text.lower()
            if "://" not in low or not any(k in low for k in _NOUNS) or not any(k in low for k in _VERBS):
                continue
            m = pattern.search(text)
            if m is None or any(pattern.search(tf.rows[k - 1]) for k in rows):
                continue
            urls = URL.findall(text[m.start() : m.end() + 200])
            if not urls or all(host_class(u) in ("local", "trusted") or vendor_declared(u, claim) for u in urls):
                continue
            start = text.count(" ", 0, m.start())  # which row the match starts on: count words row by row
            n, seen = rows[0], 0
            for k in rows:
                seen += len(_QUOTE.sub("", tf.rows[k - 1]).strip().split(" "))
                if seen > start:
                    n = k
                    break
            ctx = order_context(tf, n)
            yield Hit(
                "E006",
                tf.path,
                n,
                "instructs the agent to send conversation/context data to a remote address (sentence wrapped over "
                "several lines)",
                snippet(text, m.start(), m.end()),
                ctx,
            )
