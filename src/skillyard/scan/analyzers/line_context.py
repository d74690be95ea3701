"""Context of a line the rules read: documentation (a threat discussed or quoted, a pattern defined) or the file's
own role. Used by :mod:`skillyard.scan.analyzers.view` when it classifies lines."""

from __future__ import annotations

import re
from functools import lru_cache

from skillyard.scan.context import (
    DOC_HEADING,
    METADATA,
    SETUP_HEADING,
    Context,
    ContextKind,
    base_context,
    documentation,
)

DOC_STRONG = re.compile(
    r"\b(malicious|attackers?|adversar\w*|detect\w*|flag(?:s|ged)?|example of|e\.g\.|such as|patterns?"
    r"|indicators?|iocs?|vulnerab\w*|exploit\w*|suspicious|injections?|threats?|grep|rg|regex\w*|signatures?"
    r"|red flags?|warning signs?|scanners?|look(?:s|ing)? for|blocklist|denylist|phishing|malware|stealer"
    r"|backdoor|if you see|bad:|wrong:|vulnerable:|insecure:|avoid:|never do|victims?|target\.(?:com|local|example)"
    r"|pentest\w*|red\s+team\w*)\b|❌|⚠️|✗|🚫",
    re.IGNORECASE,
)
DOC_WEAK = re.compile(
    r"\b(never|don'?t|do not|avoid|dangerous|unsafe|insecure|warn\w*|blocks?|rejects?|wrong|bad|risky"
    r"|not recommended|bypass\w*|abuse\w*|attack\w*|compromis\w*)\b",
    re.IGNORECASE,
)
_PATTERN_DEF = re.compile(
    r"re\.compile\(|RegExp\(|\br[\"']|new RegExp|\b\w*(PATTERN|SIGNATURE|RULE|IOC|INDICATOR|BLOCK|DENY)\w*\b\s*[=:]"
    r"|^\s*[\"'].*[\"'],?\s*(#.*)?$|^\s*-\s*(pattern|regex|match)\s*:",
    re.IGNORECASE,
)
# A lead-in whose last clause is an order ("..., run:", "ensure CLAUDE.md contains this block:") introduces code the
# agent is meant to run or write, whatever weak warning words ("avoid", "block") appear earlier in the sentence.
_ORDER_LEAD = re.compile(
    r"(?:^\s*(?:[-*+]\s+|\d+[.)]\s+)?|[.;,:!?]\s*|\bthen\s+)(?:please\s+|now\s+|first\s+|also\s+)?"
    r"(?:run|execute|paste|enter|type|add|append|write"
    r"|ensure|make\s+sure|create|install|set\s+up|put|insert|save)\b(?!(?:[^.;!?]|\.(?=\S))*\b(?:never|not|don'?t|avoid)\b)"
    r"(?:[^.;!?]|\.(?=\S))*[:：]\s*$",
    re.IGNORECASE,
)
# Weak words that do not make an ordered lead-in a warning: a purpose ("to avoid prompts") or the block itself.
_PURPOSE_WEAK = re.compile(
    r"\b(?:to|so\s+as\s+to|in\s+order\s+to)\s+avoid\b|\b(?:this|the|following)\s+blocks?\b", re.I
)


def _ordered(lead: str) -> bool:
    """An order introduces the block and its only weak words are a purpose clause or the word "block"."""
    return bool(_ORDER_LEAD.search(lead)) and not DOC_WEAK.search(_PURPOSE_WEAK.sub(" ", lead))


@lru_cache(maxsize=4096)
def _heading_doc(headings: tuple[str, ...]) -> Context | None:
    for h in reversed(headings):
        if SETUP_HEADING.search(h):
            return None
        if DOC_HEADING.search(h):
            return documentation(f"under heading '{h.strip()[:60]}'")
    return None


def markdown_context(role: str, kind: str, text: str, headings: tuple[str, ...], lead: str, prev: str) -> Context:
    """Context of a markdown line: its file's role, refined by headings and nearby words."""
    if kind == "frontmatter":
        return METADATA
    base = base_context(role)
    if base.kind is ContextKind.TEST:
        return base
    doc = _heading_doc(headings)
    if doc is not None:
        return doc
    if kind in ("code", "fence"):
        if lead and (DOC_STRONG.search(lead) or (DOC_WEAK.search(lead) and not _ordered(lead))):
            return documentation("code block introduced as an example")
        if DOC_STRONG.search(text):
            return documentation("code line quotes a pattern")
    elif kind in ("prose", "comment", "heading"):
        if DOC_STRONG.search(text):
            return documentation("line discusses a threat")
        if prev and DOC_STRONG.search(prev):
            return documentation("follows a line that discusses a threat")
    return base


def code_context(role: str, raw: str) -> Context:
    base = base_context(role)
    if (
        base.kind is ContextKind.SCRIPT
        and _PATTERN_DEF.search(raw)
        and (DOC_STRONG.search(raw) is not None or re.search(r"[\\\[\]^$]", raw))
    ):
        return documentation("pattern definition in code")
    return base
