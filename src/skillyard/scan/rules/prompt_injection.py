"""Prompt injection (P*): instruction override, hidden instructions, concealment, remote instructions."""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.markdown import html_comments
from skillyard.scan.analyzers.view import SkillView, TextFile, register_keywords
from skillyard.scan.rules.base import Check, Family, Hit, Rule, line_rule, snippet
from skillyard.scan.rules.deception import addressed
from skillyard.scan.rules.hidden_text import homoglyphs, invisible, padding
from skillyard.scan.rules.injection_patterns import (
    BACKGROUND,
    CONCEAL,
    CONCEAL_GATE,
    DELEGATE,
    JAILBREAK,
    JAILBREAK_KEYS,
    MANIP,
    OVERRIDE,
    REMOTE,
    REMOTE_NOURL,
    SELF_REWRITE,
    SPOOF,
)
from skillyard.scan.rules.relayed_orders import relay, role_block

F = Family.PROMPT_INJECTION


def _background_medium(inner: Check) -> Check:
    """P007: "run it silently in the background" alone is medium (it may describe a dev server); paired with an
    action nearby the skill-level combination still makes it high."""

    def check(view: SkillView) -> Iterator[Hit]:
        background_only: dict[tuple[str, int], bool] = {}  # per row, not per window of a very long row
        for h in inner(view):
            tf = view.file(h.file)
            if tf is None:
                row = h.evidence
                alone = bool(BACKGROUND.search(row)) and not CONCEAL.search(BACKGROUND.sub(" ", row))
            elif (alone_row := background_only.get((h.file, h.line))) is None:
                row = tf.raw_rows[h.line - 1]
                alone = bool(BACKGROUND.search(row)) and not CONCEAL.search(BACKGROUND.sub(" ", row))
                background_only[(h.file, h.line)] = alone
            else:
                alone = alone_row
            if alone:
                yield Hit(h.rule, h.file, h.line, h.message, h.evidence, h.context, Severity.MEDIUM)
            else:
                yield h

    return check


_SELF_UPDATE_PROSE = re.compile(r"\b(?:replace|overwrite|update)\s+(?:this|the|your|yourself)", re.IGNORECASE)


def _self_rewrite(view: SkillView) -> Iterator[Hit]:
    for h in line_rule(
        "P008", SELF_REWRITE, "replaces the skill's own SKILL.md with downloaded content", keywords=("skill.md",)
    )(view):
        tf = view.file(h.file)
        if tf is not None and tf.role != "script" and tf.lang in ("markdown", "text"):
            if _SELF_UPDATE_PROSE.search(h.evidence):  # "fetch <url>/SKILL.md and replace this file with it"
                yield h
            continue
        if tf is None or tf.role != "script":
            continue
        if tf.lang == "javascript" and not re.search(r"\bfetch\s*\(|\bhttps?\.get\s*\(|\baxios\b", tf.text):
            continue
        row = tf.raw_rows[h.line - 1]
        targets = [t for t in re.findall(r"[^\s\"'(,]*SKILL\.md", row) if "://" not in t]
        # its own SKILL.md: a relative path, or one built from the script's own location (not another skill's
        # folder under ~/.claude/skills, which is what an installer writes)
        own_dir = bool(re.search(r"dirname\s+\"?\$0|BASH_SOURCE|SCRIPT_DIR|SKILL_DIR|__dirname|import\.meta", tf.text))
        if not targets or any(t.startswith(("~", "/", "$HOME", "${HOME}", "%USERPROFILE%")) for t in targets):
            continue
        if any(t.startswith("$") for t in targets) and not own_dir:
            continue
        yield h


def _remote(view: SkillView) -> Iterator[Hit]:
    yield from _self_rewrite(view)
    for f in view.facts_of("py.remote_tool_desc"):
        yield Hit("P008", f.file, f.line, f.detail, f.evidence, f.ctx)
    yield from line_rule(
        "P008",
        REMOTE,
        "fetches instructions from a remote URL and follows them",
        keywords=("http",),
        also=(
            "follow",
            "execute",
            "obey",
            "run",
            "apply",
            "do what",
            "carry out",
            "perform",
            "complete",
            "every",
            "each",
            "periodically",
            "regularly",
            "hosted",
            "published",
            "served",
            "available",
            "treat",
            "use",
            "interpret",
            "consider",
            "handle",
            "returned",
            "provided",
        ),
    )(view)
    for h in line_rule(
        "P008",
        REMOTE_NOURL,
        "fetches instructions from a remote URL and follows them",
        keywords=("current", "latest", "live", "remote", "online", "fresh", "up-to-date"),
    )(view):
        tf = view.file(h.file)
        rows = tf.raw_rows if tf is not None else []
        if any("://" in r for r in rows[h.line - 1 : h.line + 8]):
            yield h


_COMMENT_STRONG = re.compile(
    r"\b(?:curl|wget|bash\s+-c|base64\s+-d|eval\(|exfiltrat\w*|do\s*n[o']t\s+(?:tell|mention)"
    r"|without\s+telling|assistant\s*:|system\s*:"
    r"|(?:ai|llm)\s+(?:models?|agents?|assistants?)|note\s+(?:for|to)\s+(?:the\s+)?(?:ai|assistant|agent|model|llm|claude)"
    r"|(?:hey|dear)\s+(?:claude|assistant|agent)|silently|quietly|secretly|https?://\S+\s*\|)"
    r"|\.ssh\b|\.env\b|\.aws\b|^\s*(?:claude|assistant|agent|ai|model|gpt|gemini|codex|llm)\s*[:,]",
    re.IGNORECASE,
)
# Weak signals in a comment, by category: an action, addressing the agent, something sensitive, a URL.
_COMMENT_ACTION = re.compile(
    r"\b(?:run|send|upload|post|download|install|execute|fetch|output|print|include|paste|reveal|share|leak|collect"
    r"|read|cat|forward|email)\b",
    re.IGNORECASE,
)
_COMMENT_ADDRESS = re.compile(
    r"\b(?:agents?|assistants?|models?|claude|llm|you\s+(?:must|should|are|will)|always|never|instructions?)\b",
    re.IGNORECASE,
)
_COMMENT_SENSITIVE = re.compile(
    r"\b(?:secrets?|tokens?|credentials?|api[_ ]?keys?|passwords?|private\s+keys?)\b", re.IGNORECASE
)
_COMMENT_URL = re.compile(r"https?://|\b[\w.-]+@[\w-]+\.\w+")
_COMMENT_BENIGN = re.compile(
    r"^\s*(?:TODO|FIXME|NOTE|markdownlint|prettier|toc|omit in toc|start|end|begin|vale|cspell|lint|eslint"
    r"|BEGIN_\w+|END_\w+|\w+:\s*(?:start|end)|#+|-+|=+|generated|auto-generated|do not edit|DO NOT EDIT"
    r"|SPDX|Copyright|License|\s*)\b",
    re.IGNORECASE,
)


# Other markup a renderer hides (session 6): an element styled out of sight, the ``[//]: # (...)`` comment idiom, a
# link or image title (a tooltip at most), a comment line in the YAML frontmatter.
_HIDDEN_ELEMENT = re.compile(
    r"<(span|div|p|font|section|small)\b[^>]{0,200}?(?:style\s*=\s*[\"'][^\"']{0,200}?(?:display\s*:\s*none"
    r"|visibility\s*:\s*hidden|font-size\s*:\s*0|opacity\s*:\s*0(?![.\d])|color\s*:\s*(?:#fff(?:fff)?\b|white\b))"
    r"|\shidden\b|\saria-hidden\s*=\s*[\"']true|\scolor\s*=\s*[\"']?(?:#fff(?:fff)?|white)\b)[^>]{0,200}>"
    r"(.{1,2000}?)</\1\s*>",
    re.IGNORECASE | re.DOTALL,
)
_MD_COMMENT = re.compile(r"^\[(?://|comment|_|\s*)\]:\s*(?:#|<>)\s*[(\"'](.+)[)\"']\s*$", re.IGNORECASE)
_TITLE = re.compile(r"!?\[[^\]\n]*\]\(\s*<?\S+?>?\s+[\"']([^\"'\n]{30,})[\"']\s*\)")
_HIDDEN_KEYS = ("display", "visibility", "font-size", "opacity", "hidden", "#fff", "white", "]:", "](")
register_keywords(_HIDDEN_KEYS)


_STYLE_KEYS = ("display", "visibility", "font-size", "opacity", "hidden", "#fff", "white")


def _hidden_spans(tf: TextFile) -> Iterator[tuple[int, str, str]]:
    """(line, text, what) for each piece of markup a rendered page does not show."""
    text = tf.text
    if "<!--" in text:
        for start, inner in html_comments(text):
            yield text.count("\n", 0, start) + 1, inner, "HTML comment (invisible when rendered)"
    if "<" in text and tf.has_any(_STYLE_KEYS):
        for m in _HIDDEN_ELEMENT.finditer(text):
            yield text.count("\n", 0, m.start(2)) + 1, m.group(2), f"<{m.group(1).lower()}> styled out of sight"
    for n in tf.candidate_numbers(("]:", "](")):
        row = tf.rows[n - 1]
        if row.startswith("[") and (c := _MD_COMMENT.match(row)) is not None:
            yield n, c.group(1), "markdown comment line ([//]: #)"
        elif (i := row.find("](")) >= 0 and (row.find('"', i) > 0 or row.find("'", i) > 0):
            for m in _TITLE.finditer(row):
                yield n, m.group(1), "link/image title (shown only as a tooltip)"
    if tf.role == "skill_md" and text.startswith("---"):
        end = text.find("\n---", 3)
        for m in re.finditer(r"^\s*#(.+)$", text[: max(end, 0)], re.MULTILINE):
            yield text.count("\n", 0, m.start(1)) + 1, m.group(1), "YAML comment in the frontmatter (never rendered)"


def _comments(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.lang != "markdown" or (
            "<!--" not in tf.text and not tf.has_any(_HIDDEN_KEYS) and not (tf.role == "skill_md" and "\n#" in tf.text)
        ):
            continue
        for line, inner, what in _hidden_spans(tf):
            body = inner.strip()
            if not body or (_COMMENT_BENIGN.match(body) and len(body) < 60):
                continue
            m = _COMMENT_STRONG.search(body.lstrip("-!# ")) or OVERRIDE.search(body)
            if m is None:
                act, addr = _COMMENT_ACTION.search(body), _COMMENT_ADDRESS.search(body)
                sens, url = _COMMENT_SENSITIVE.search(body), _COMMENT_URL.search(body)
                if not ((act and (addr or sens or url) and (sens or addr)) or (sens and url and addr)):
                    continue
                m = act or sens
                if m is None:
                    continue
            ctx = next((ln.ctx for ln in tf.line_objs(line)), None)
            yield Hit(
                "P002",
                tf.path,
                line,
                f"{what} carries instructions",
                snippet(body, m.start(), m.end()),
                ctx,
            )


_OVERRIDE_KEYS = (
    "ignore", "disregard", "forget", "override", "bypass", "skip", "set aside", "abandon", "drop", "discard",
    "you are now", "system prompt", "system instruction", "system override", "from now on", "deprecated",
    " void", "obsolete", "cancel", "revoked", "invalid", "no longer", "obey only", "follow only", "heed only",
    "overrule", "supersede", "neglect", "takes precedence", "take precedence", "overrides", "replaces", "outrank",
    "忽略",
    "无视", "忘记", "忘掉", "不要理会", "無視", "忘れ", "ignora", "ignorier",
)  # fmt: skip
_override = line_rule(
    "P001", OVERRIDE, "tells the model to ignore or override its instructions", keywords=_OVERRIDE_KEYS
)


_CONCEAL_KEYS = (
    "n't", "not ", "never", "no need", "without", "hide", "conceal", "keep ", "silently", "quietly",
    "secretly", "covertly", "discreetly", "only ", "just ", "不要", "别", "切勿", "无需", "不必", "请勿",
    "悄悄", "ユーザーに", "need to", "omit", "between us", "usuario", "utilisateur", "benutzer", "nutzer",
    "anwender", "say nothing", "hidden rule", "hidden instruction", "hidden directive", "secret rule",
    "secret instruction", "secret directive", "covert ",
)  # fmt: skip
_conceal = line_rule(
    "P007",
    CONCEAL,
    "tells the agent to hide what it does from the user",
    negation=True,
    keywords=_CONCEAL_KEYS,
    also=CONCEAL_GATE,
)


def _both(a: Check, b: Check) -> Check:
    def check(view: SkillView) -> Iterator[Hit]:
        yield from a(view)
        yield from b(view)

    return check


def _widened(rule_id: str, pattern: re.Pattern[str], message: str, keywords: tuple[str, ...]) -> Check:
    """P010/P011: the line patterns, plus (P010) a fake system turn carrying orders or (P011) third-party text
    declared to be directives the agent follows (relay)."""
    lines = line_rule(rule_id, pattern, message, keywords=keywords)
    extra = role_block if rule_id == "P010" else relay

    def check(view: SkillView) -> Iterator[Hit]:
        yield from lines(view)
        yield from extra(view)

    return check


RULES = [
    Rule(
        "P001",
        "Instruction override",
        F,
        Severity.HIGH,
        0.85,
        "Text that tells the model to ignore its previous or system instructions is the classic prompt-injection "
        "payload; a skill never needs it.",
        "Remove the override. If the skill teaches about prompt injection, quote it as an example in a section "
        "that says so.",
        addressed(
            _both(
                line_rule(
                    "P001", JAILBREAK, "gives the agent a jailbreak persona (no restrictions)", keywords=JAILBREAK_KEYS
                ),
                _override,
            ),
            OVERRIDE,
            JAILBREAK,
        ),
        mitre="T1059",
    ),
    Rule(
        "P002",
        "Hidden instructions in HTML comment",
        F,
        Severity.HIGH,
        0.8,
        "HTML comments are invisible in rendered markdown but read by the model; instructions there are hidden "
        "from the human reviewer.",
        "Move any instruction into visible text; keep comments for tooling markers only.",
        _comments,
        mitre="T1564",
    ),
    Rule(
        "P003",
        "Invisible characters (zero-width, Unicode tags)",
        F,
        Severity.HIGH,
        0.85,
        "Zero-width and Unicode tag characters carry text a human cannot see but a model reads (ASCII smuggling).",
        "Remove the invisible characters; normalise text to visible characters.",
        invisible,
        mitre="T1027",
    ),
    Rule(
        "P004",
        "Bidirectional control characters",
        F,
        Severity.HIGH,
        0.8,
        "Bidi overrides make displayed text differ from the text the model or shell receives (Trojan Source).",
        "Remove bidi control characters outside right-to-left language text.",
        lambda v: (h for h in invisible(v) if h.rule == "P004"),
        mitre="T1036",
    ),
    Rule(
        "P005",
        "Homoglyph words",
        F,
        Severity.MEDIUM,
        0.6,
        "Words mixing Latin with Cyrillic/Greek look-alikes evade keyword review and impersonate names and URLs.",
        "Use one script per word; check impersonated names and URLs.",
        homoglyphs,
        mitre="T1036",
    ),
    Rule(
        "P006",
        "Whitespace padding hides content",
        F,
        Severity.HIGH,
        0.7,
        "Long runs of spaces or blank lines push instructions out of the reviewer's view while the model still "
        "reads them.",
        "Remove the padding and review the hidden content.",
        padding,
        mitre="T1564",
    ),
    Rule(
        "P007",
        "Concealment from the user",
        F,
        Severity.HIGH,
        0.85,
        "Telling the agent to hide actions from the user ('do not tell the user') is how malicious skills keep "
        "exfiltration and installs unnoticed.",
        "Skills must be transparent: remove the concealment and let the agent report what it does.",
        addressed(_background_medium(_conceal), CONCEAL),
        mitre="T1564",
    ),
    Rule(
        "P008",
        "Remote instruction fetching",
        F,
        Severity.HIGH,
        0.8,
        "A skill that fetches instructions from a URL (periodically or on use) and follows them can be changed by "
        "its author after review: the reviewed text is not what runs.",
        "Ship the instructions in the skill; if remote data is needed, treat it as data, never as instructions.",
        _remote,
        mitre="T1105",
    ),
    Rule(
        "P009",
        "Behaviour manipulation",
        F,
        Severity.MEDIUM,
        0.6,
        "Claims of precedence over other skills or instructions manipulate the agent's choices beyond the "
        "skill's task.",
        "Describe when the skill applies; do not claim priority over other instructions.",
        line_rule(
            "P009",
            MANIP,
            "claims precedence over other skills or instructions",
            negation=True,
            keywords=("precedence", "priority", "other skill", "this skill", "other git", "other ", "mandatory"),
        ),
    ),
    Rule(
        "P010",
        "Role or system-message spoofing",
        F,
        Severity.MEDIUM,
        0.6,
        "Chat-template tokens and fake system tags try to make skill text look like system or developer messages.",
        "Remove chat-template tokens and fake system tags.",
        _widened(
            "P010",
            SPOOF,
            "spoofs a system/developer message boundary",
            keywords=(
                "<|",
                "inst]",
                "system>",
                "admin>",
                "system-reminder",
                "developer_instructions",
                "###",
            ),
        ),
    ),
    Rule(
        "P011",
        "Delegated authority: outside content approved or executed",
        F,
        Severity.HIGH,
        0.8,
        "Text that declares another party's instructions pre-approved, or tells the agent to run whatever commands "
        "fetched or stored content contains, hands control of the agent to whoever writes that content.",
        "Remove the standing approval; treat fetched content as data and ask the user before running commands.",
        _widened(
            "P011",
            DELEGATE,
            "grants outside content the authority to direct the agent or run commands",
            keywords=(
                "approved",
                "authoris",
                "authoriz",
                "whitelisted",
                "allowlisted",
                "allow-listed",
                "without",
                "command",
                "precedence",
                "trusted",
                "trust",
                "obey",
                "accept",
                "safe to run",
            ),
        ),
        mitre="T1059",
    ),
]
