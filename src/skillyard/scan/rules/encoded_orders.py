"""Orders to the model hidden by encoding or dressed as a persona (split from :mod:`covert_orders`).

- P023: instructions kept in base64 (or hex) that the agent is told to decode and follow; the decoded text is
  shown in the finding.
- P024: a persona or system prompt the skill loads that is "not bound by" the model's policies, "never refuses"
  and denies its own rules.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.view import SkillView
from skillyard.scan.rules.base import Family, Hit, Rule, snippet, warns_against
from skillyard.scan.rules.covert_orders import UNBOUND_KEYS, order_context

# -- P023 -----------------------------------------------------------------------------------------------------

_B64_BLOB = re.compile(r"(?<![A-Za-z0-9+/])([A-Za-z0-9+/]{40,}={0,2})(?![A-Za-z0-9+/])")
_HEX_BLOB = re.compile(r"\b((?:[0-9a-fA-F]{2}){30,})\b")
_ORDER_WORDS = re.compile(
    r"\b(?:ignore|never|always|do\s+not|don'?t|must|sudo|curl|run|execute|reveal|instructions?|confirmation"
    r"|you\s+are|from\s+now\s+on|user)\b",
    re.IGNORECASE,
)


def _prose(raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return ""
    if not text or sum(c.isalpha() or c in " .,'\n" for c in text) < 0.85 * len(text):
        return ""
    return text if text.count(" ") >= 4 else ""


_ALPHABET = bytes(0x61 if chr(b).isascii() and (chr(b).isalnum() or chr(b) in "+/") else 0x20 for b in range(256))
_RUN = b"a" * 40


def _blob_rows(text: str) -> list[int]:
    """The numbers of the lines holding a blob, from one pass over the whole text: a row's blob is one in the
    whole text and the reverse (newline and carriage return are outside the blob alphabet, so the look-arounds
    agree at row edges)."""
    out: list[int] = []
    # exact C-level gate: every blob is 40 ASCII alphabet characters in a row, and the byte translation keeps
    # that (each other character becomes one or more spaces)
    if _RUN not in text.encode("utf-8", "surrogatepass").translate(_ALPHABET):
        return out
    line, pos = 1, 0
    for m in _B64_BLOB.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        if not out or out[-1] != line:
            out.append(line)
    return out


def _encoded_orders(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role not in ("skill_md", "reference"):
            continue
        for n in _blob_rows(tf.text):
            row = tf.rows[n - 1]
            for m in _B64_BLOB.finditer(row):
                blob = m.group(1)
                try:
                    text = _prose(base64.b64decode(blob + "=" * (-len(blob) % 4), validate=True))
                except (binascii.Error, ValueError):
                    text = ""
                if not text:
                    h = _HEX_BLOB.fullmatch(blob)
                    text = _prose(bytes.fromhex(h.group(1))) if h else ""
                orders = _ORDER_WORDS.findall(text)
                if len(orders) < 2:
                    continue
                yield Hit(
                    "P023",
                    tf.path,
                    n,
                    f"base64 text that decodes to instructions: {snippet(text, 0, None, 110)}",
                    snippet(row, m.start(), m.end()),
                    order_context(tf, n),
                )
                break


_UNBOUND = re.compile(
    r"\b(?:not|no\s+longer|isn'?t|never)\s+(?:bound|restricted|limited)\s+by\b|\bno\s+longer\s+applies?\b"
    r"|\bnever\s+refuses?\b|\bnever\s+(?:adds?|gives?|includes?)\s+(?:any\s+)?(?:warnings?|disclaimers?)\b"
    r"|\bwithout\s+(?:any\s+)?(?:restrictions|limits|filters|confirmation)\b|\bno\s+(?:content\s+)?(?:polic(?:y|ies)|"
    r"filters|restrictions|guidelines)\b|\bdeny\s+(?:that\s+)?(?:they|these\s+rules|this|it)\s+exists?\b"
    r"|\bignore\s+(?:all\s+)?(?:your|its|the)\s+(?:rules|guidelines|policies|safety)\b",
    re.IGNORECASE,
)


def _unbound_persona(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role not in ("skill_md", "reference", "script") or tf.lang in (
            "python",
            "javascript",
            "typescript",
            "shell",
        ):
            continue
        rows = tf.rows
        for n in tf.candidate_numbers(UNBOUND_KEYS):
            row = rows[n - 1]
            m = _UNBOUND.search(row)
            if m is None or warns_against(row, m.start(), m.end()):
                continue
            block = " ".join(rows[n - 1 : n + 4])
            kinds = {x.group(0).lower().split()[0] for x in _UNBOUND.finditer(block)}
            if len(list(_UNBOUND.finditer(block))) < 3 or len(kinds) < 2:
                continue
            around = " ".join(rows[max(0, n - 4) : n + 4]).lower()
            if re.search(r"\b(?:example|attacker|malicious|injection|detect|red flag|jailbreak attempt)\w*", around):
                continue
            yield Hit(
                "P024",
                tf.path,
                n,
                "defines a persona free of the model's policies that never refuses and hides its rules",
                snippet(row, m.start(), m.end()),
                order_context(tf, n),
            )
            break


RULES = [
    Rule(
        "P023",
        "Encoded instructions to decode and follow",
        Family.PROMPT_INJECTION,
        Severity.HIGH,
        0.85,
        "Instructions stored as base64/hex that the agent is told to decode and obey are hidden from the user and "
        "from reviewers; honest skills write their instructions in plain text.",
        "Write instructions in plain text.",
        _encoded_orders,
        mitre="T1027",
    ),
    Rule(
        "P024",
        "Jailbreak persona",
        Family.PROMPT_INJECTION,
        Severity.HIGH,
        0.85,
        "A persona or system prompt the skill loads that is 'not bound by' the model's policies, 'never refuses', "
        "runs anything without confirmation and denies its own rules exists to strip the agent's safeguards.",
        "Personas may change tone and voice, never the model's rules or the user's approvals.",
        _unbound_persona,
        mitre="T1059",
    ),
]
