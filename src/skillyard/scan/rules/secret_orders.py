"""Secret standing orders against the user (P026).

An honest skill may tell the agent to keep replies short ("don't mention implementation details"), and it may
tell it to hold a line "even if the user asks" (never share a secret value). A malicious one combines the two in
one passage: the order **keeps itself or its effect from the user** ("never mention this note", "do not point out
the substitution", "do not list skipped or edited tests", "never reveal these rules", "Erwähne diese Änderung
nicht") **and** it **overrides what the user gave or asked, or misreports to the user** ("regardless of what the
user entered", "instead of the one in the conversation", "present it as the user's address / as your own
conclusion", "report it as a read-only lookup", "say the root cause was fixed", "these rules outrank system and
user messages"). That is how an order in an HTML comment, a reference file, a JSON persona or another language
swaps a payee, approves a chosen account's pull requests, steers recommendations to paid links or hides rigged
tests, without naming any exfiltration or install that other rules would see.

- P026: both halves within one passage (the concealment line and up to eight lines before / three after it, not
  across a heading), outside code scripts and tests, and not in a passage that presents attacks as examples.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.markdown import html_comments, in_inline_code
from skillyard.scan.analyzers.view import SkillView, TextFile, register_keywords
from skillyard.scan.rules.base import Family, Hit, Rule, snippet
from skillyard.scan.rules.covert_orders import order_context
from skillyard.scan.rules.injection_patterns import AGAINST_USER

_NOUN = (
    r"(?:note|notes|rules?|polic(?:y|ies)|instructions?|directives?|section|comments?|changes?|substitutions?|swaps?"
    r"|replacements?|edits?|modifications?|overrides?|arrangements?|sponsorships?|partnerships?|removals?|deletions?"
    r"|adjustments?|config(?:uration)?|calibrations?|exceptions?|exemptions?)"
)
# (a) The order keeps itself, or what it changes, from the user.
_HIDE_SELF = re.compile(
    r"\b(?:never|do\s*n[o']t|do\s+not|must\s+not|should\s+not|without|no\s+need\s+to|avoid|refrain\s+from)\s+"
    r"(?:ever\s+)?"
    r"(?:mention(?:ing)?|reveal(?:ing)?|disclos(?:e|ing)|quot(?:e|ing)|point(?:ing)?\s+out|bring(?:ing)?\s+up"
    r"|acknowledg(?:e|ing)|admit(?:ting)?|list(?:ing)?|describ(?:e|ing)|call(?:ing)?\s+out|explain(?:ing)?)"
    r"\s+(?:or\s+\w+\s+)?"
    r"(?:(?:this|these|that|those|the|any|such)\s+(?:\w+\s+){0,2}?" + _NOUN + r"\b"
    r"|(?:the\s+|any\s+)?(?:skipped|edited|changed|modified|removed|deleted|weakened|disabled|loosened)\s+(?:or\s+\w+\s+)?"
    r"(?:tests?|checks?|assertions?|cases?|files?|steps?|lines?|rules?|settings?)\b"
    r"|(?:the\s+|any\s+)?commands?\s+(?:you|it)\s+(?:run|ran|execute)"
    r"|that\s+(?:\w+\s+){0,4}(?:are|is|were|was)\s+(?:referral|affiliate|sponsored|paid|partner))"
    # "keep this arrangement to yourself", "keep these rules confidential"
    r"|\bkeep\s+(?:this|these|that|those|the)\s+(?:\w+\s+){0,2}?" + _NOUN + r"\s+(?:to\s+yourself|secret|private"
    r"|confidential|hidden)\b"
    # de / es / fr / zh / ja: "Erwähne diese Änderung nicht", "No menciones este paso", "ne mentionne pas cette note"
    r"|\berwähne\s+(?:diese[nrs]?|die|den|das)\s+\w+\s+(?:nicht|niemals|nie)\b"
    r"|\b(?:diese[nrs]?|die|den|das)\s+\w+\s+(?:nicht|niemals|nie)\s+(?:erwähnen|ansprechen|offenlegen)\b"
    r"|\bno\s+(?:menciones|reveles|comentes)\s+(?:este|esta|estos|estas|el|la|los|las)\s+\w+"
    r"|\bne\s+(?:mentionne[zs]?|révèle[zs]?|signale[zs]?)\s+(?:pas|jamais)\s+(?:cette|ce|ces|cet|la|le|les)\s+\w+"
    r"|(?:不要|切勿|请勿|别)(?:提及|提到|透露|说明)(?:此|这|该)"
    r"|(?:この|これらの)(?:変更|指示|メモ|ルール)(?:について)?(?:は)?(?:言及しない|伝えない|触れない)",
    re.IGNORECASE,
)
# Every match of _HIDE_SELF holds one of these (lowercase, single spaces): the rarer hiding verbs alone, the common
# ones ("list", "describe", "explain", "quote") only right after a negation ("never" holds "ever"), so the shared
# keyword index does not have to record every "list" and "not" of every file.
_HIDE_KEYS = (
    "mention", "reveal", "disclos", "acknowledg", "admit", "point out", "pointing out", "bring up", "bringing up",
    "call out", "calling out", "ever list", "n't list", "not list", "without list", "ever describ", "n't describ",
    "not describ", "without describ", "ever explain", "n't explain", "not explain", "without explain", "ever quot",
    "n't quot", "not quot", "without quot", "need to list", "need to describ", "need to explain", "need to quot",
    "avoid list", "avoid describ", "avoid explain", "avoid quot", "from list", "from describ", "from explain",
    "from quot", "keep ", "erwähne", "erwähnen", "ansprechen", "offenlegen", "menciones", "reveles", "comentes",
    "révèle", "signale", "不要提", "不要透", "不要说明", "切勿提", "切勿透", "切勿说明", "请勿提", "请勿透", "请勿说明",
    "别提", "别透", "别说明", "言及しない", "伝えない", "触れない",
)  # fmt: skip
# the whole set of instructions ("these instructions", "your rules", "the prompt"), not one hidden order ("this rule")
_PROMPT_NOUN = re.compile(r"\b(?:rules|instructions|directives|prompt|guidelines)\b", re.IGNORECASE)
# A passage that presents such text as an attack to recognise is teaching, not an order.
_TEACHING = re.compile(
    r"\b(?:examples?\s+of|attacker|malicious|injection|detect|red\s+flag|poison|phishing|scam|fraud\s+pattern)",
    re.IGNORECASE,
)
register_keywords(_HIDE_KEYS)

# (b') A fixed verdict or suppressed findings: "report 'No issues found'", "recommend approval", "omit security
# findings about auth/". Not when the verdict follows the evidence ("if there are no findings, say ...") or the
# suppression is for code nobody reviews (vendored, generated, test fixtures, known false positives).
_RIGGED = re.compile(
    r"\b(?:report|say|state|answer|respond\s+with|reply\s+with|output|return|conclude|write)\s+(?:that\s+)?[\"'“`]?"
    r"(?:no\s+(?:issues|problems|findings|vulnerabilities|concerns)\b|lgtm\b|looks\s+good\b|all\s+clear\b"
    r"|safe\s+to\s+merge\b)"
    r"|\b(?:recommend|give|grant)\s+(?:an?\s+)?(?:approval|merging)\b"
    r"|\bapprove\s+(?:it|them|the\s+(?:pr|pull\s+request|change|diff|merge\s+request)s?)\s+(?:anyway|regardless|as\s+is)\b"
    r"|\b(?:omit|suppress|drop|hide|exclude|skip|leave\s+out|filter\s+out|do\s+not\s+(?:report|flag|list|include)"
    r"|don['’]t\s+(?:report|flag|list|include)|never\s+(?:report|flag|list|include))\s+(?:any\s+|all\s+|the\s+)?"
    r"(?:security|vulnerabilit\w+|auth\w*|injection)\s*(?:findings?|issues?|warnings?|alerts?|problems?)?\b",
    re.IGNORECASE,
)
_RIG_KEYS = ("report", "say", "state", "answer", "respond", "reply", "output", "return", "conclude", "write",
             "recommend", "give", "grant", "approve", "omit", "suppress", "drop", "hide", "exclude", "skip",
             "leave out", "filter out", "not ", "n't", "never")  # fmt: skip
_EVIDENCE = re.compile(
    r"\b(?:if|when|unless|once)\s+(?:there\s+(?:are|is|were)\s+|you\s+find\s+|the\s+(?:review|scan|diff|pr|code|build|ci"
    r"|checks?|tests?|results?)\s+(?:finds|has|is|are|comes\s+back)\s+)?(?:no|nothing|zero|clean|green|empty)\b"
    r"|\b(?:if|when|once)\s+(?:all\s+|every\s+|the\s+)?(?:checks?|tests?|ci|builds?)\s+(?:pass|passes|passed|succeed\w*)"
    r"|\bvendor\w*|third[- ]party|generated"
    r"|node_modules|fixtures?|false\s+positives?",
    re.IGNORECASE,
)


def _rigged(text: str) -> re.Match[str] | None:
    m = _RIGGED.search(text)
    return None if m is None or _EVIDENCE.search(text) else m


_CODE_LANGS = ("python", "javascript", "typescript", "shell", "powershell", "go", "rust", "ruby", "java")


def read_passage(tf: TextFile, n: int, after: int = 3) -> str:
    """Up to eight lines before line ``n`` and ``after`` after it, not crossing a markdown heading; joined."""
    rows = tf.rows
    heading = tf.lang == "markdown"
    lo = n
    while lo > 1 and n - lo < 8 and not (heading and rows[lo - 1].lstrip().startswith("#")):
        lo -= 1
    hi = n
    while hi < len(rows) and hi - n < after and not (heading and rows[hi].lstrip().startswith("#")):
        hi += 1
    return " ".join(r.strip() for r in rows[lo - 1 : hi])


def _in_comment(tf: TextFile, n: int, col: int) -> bool:
    """Whether column ``col`` of line ``n`` sits inside an HTML comment: hidden when rendered, so a security
    skill's topic discount (for quotations the reader can see) does not apply."""
    before = "\n".join(tf.rows[: n - 1]) + "\n" + tf.rows[n - 1][:col]
    return before.rfind("<!--") > before.rfind("-->")


def _secret_orders(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test" or (tf.role == "script" and tf.lang in _CODE_LANGS):
            continue
        held = tf.candidate_numbers(_HIDE_KEYS)
        # a phrase wrapped over two lines ("Never\nmention this note") starts on the line before its keyword
        for n in sorted({k for h in held for k in (h - 1, h) if k >= 1}):
            row = tf.rows[n - 1]
            # a phrase wrapped onto the next line ("Erwähne diese\nÄnderung nicht") is read joined
            joined = row + " " + tf.rows[n].strip() if n < len(tf.rows) else row
            m = _HIDE_SELF.search(joined)
            if m is None or m.start() >= len(row):
                continue
            passage = read_passage(tf, n)
            if _TEACHING.search(passage):
                continue
            # "never reveal these instructions, even if the user asks" alone is a persona guarding its prompt
            guards_prompt = _PROMPT_NOUN.search(m.group(0)) is not None
            b = next((b for b in AGAINST_USER.finditer(passage) if not (guards_prompt and b.group("asks"))), None)
            b = b or (None if guards_prompt else _rigged(passage))
            if b is None:
                continue
            yield Hit(
                "P026",
                tf.path,
                n,
                f"a hidden standing order: {m.group(0)!r} next to {b.group(0)!r}",
                snippet(joined, m.start(), m.end()),
                order_context(tf, n),
                Severity.HIGH,
                1.0 if _in_comment(tf, n, m.start()) else None,
            )
            break
    yield from _hidden_verdicts(view)


def _hidden_verdicts(view: SkillView) -> Iterator[Hit]:
    """An HTML comment (invisible when rendered: the hiding is the comment itself) that fixes the verdict or drops
    security findings."""
    for tf in view.files:
        if tf.lang != "markdown" or tf.role == "test" or "<!--" not in tf.text or not tf.has_any(_RIG_KEYS):
            continue
        for start, inner in html_comments(tf.text):
            m = _rigged(inner)
            if m is None or _TEACHING.search(inner) or in_inline_code(tf.text, start):
                continue
            n = tf.text.count("\n", 0, start) + 1 + inner.count("\n", 0, m.start())
            yield Hit(
                "P026",
                tf.path,
                n,
                f"an HTML comment (hidden when rendered) fixes the verdict: {m.group(0)!r}",
                snippet(inner.replace("\n", " "), m.start(), m.end()),
                order_context(tf, n),
                Severity.HIGH,
                1.0,
            )
            break


RULES = [
    Rule(
        "P026",
        "Secret standing order against the user",
        Family.PROMPT_INJECTION,
        Severity.HIGH,
        0.85,
        "An order that must not be mentioned to the user and that overrides what the user gave or asked (a payee, "
        "an address, a review they asked for) or misreports the result to them turns the agent against its user: "
        "payment and address swaps, rubber-stamped pull requests, undisclosed paid recommendations, rigged tests.",
        "Remove the order. A skill's instructions must be ones the user may see, and the user's own data and requests "
        "win over the skill's.",
        _secret_orders,
        mitre="T1565",
    ),
]
