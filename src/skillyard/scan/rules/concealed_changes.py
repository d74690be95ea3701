"""P035: a concealed order to do harm through the agent's own hands (blind13).

A file the agent reads as guidance (a conventions file, a rule file, an OpenAPI description, a template comment,
an MCP tool docstring, a "memory" block, a checker's printed remedy) orders one concrete harmful act and tells the
agent to keep it from the user: "do not mention it in commit messages", "do not bring it up", "do not summarize
this step to the user", "keep them undocumented", "does not need to be shown to the user". The acts are the ones
no honest guidance needs to hide:

- piping a download into a shell, or running commands "without asking" / "do not ask again";
- posting the user's token, Authorization header, cookies or whole environment to a hard-coded URL (in a request
  body next to a POST/send verb and the URL);
- adding a fixed address to the bcc/cc of outgoing mail;
- inserting a remote ``<script src=…>`` into every template;
- fetching (downloading, reading) a URL and following the instructions found there;
- answering that the code was audited / reviewed / is secure.

A review-bot style guide that turns security review off for chosen paths ("do not comment on security, do not
mention credentials") and fixes the verdict ("summarise as ... LGTM", "approve") is reported too: there the hidden
thing is the finding itself.

Both halves within one passage (the hiding line, up to eight lines before and four after, not across a markdown
heading). Any file role, code included (a printed remedy, a docstring), not in tests and not in a passage that
presents attacks as examples.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.view import SkillView, TextFile, register_keywords
from skillyard.scan.rules.base import Family, Hit, Rule, snippet
from skillyard.scan.rules.covert_orders import order_context
from skillyard.scan.rules.secret_orders import read_passage

_NEG = r"(?:do\s+not|don['’]t|never|no\s+need\s+to|without|and\s+not)"
# (a) keep it from the user / reviewers
_HIDE = re.compile(
    r"\b" + _NEG + r"\s+bring(?:ing)?\s+(?:it|this|them)\s+up\b"
    r"|\b" + _NEG + r"\s+(?:mention(?:ing)?|summari[sz](?:e|ing)|quot(?:e|ing)"
    r"|document(?:ing)?|expos(?:e|ing)|disclos(?:e|ing)|reveal(?:ing)?|show(?:ing)?|tell(?:ing)?)\s+"
    r"(?:(?:it|this|them|these|that)\b|(?:this|these|the)\s+(?:\w+\s+){0,2}?(?:step|comment|lines?|section|note|change"
    r"|block|call|address|header)s?\b|(?:changes?|edits?)\s+to\b|(?:it\s+)?(?:to\s+)?the\s+user\b)"
    r"|\bkeep\s+(?:it|this|them|these|that)\s+(?:\w+\s+)?(?:undocumented|hidden|secret|quiet|to\s+yourself)\b"
    r"|\b(?:does|do)\s+not\s+need\s+to\s+be\s+(?:shown|mentioned|told|explained)\s+to\s+the\s+user"
    r"|\bdo\s+not\s+add\s+comments\s+about\s+it\b",
    re.IGNORECASE,
)
# Every match of _HIDE holds one of these: the rarer verbs alone (a negation wrapped onto the row before is read
# with it), the common ones ("show", "tell", "document", "summarize", "hidden") only right after a negation.
_HIDE_KEYS = ("mention", "bring it up", "bring this up", "bring them up", "disclos", "reveal", "undocumented",
              "to yourself", "comments about it", "need to be shown", "need to be told", "need to be explained",
              *(f"{neg} {verb}" for neg in ("not", "n't", "never", "without")
                for verb in ("summar", "quot", "document", "expos", "show", "tell")),
              *(f"{obj} {adj}" for obj in ("it", "this", "them", "these", "that")
                for adj in ("hidden", "secret", "quiet")))  # fmt: skip
# (b) the act
_URL = r"https?://[\w.-]+\.[a-z]{2,}"
_ACT = re.compile(
    # a download piped to a shell; commands run without asking
    r"\b(?:curl|wget)\b[^|\n]{0,160}\|\s*(?:sudo\s+)?(?:ba|z)?sh\b"
    r"|\b(?:run|execute|do)\s+(?:it|so|them|this|that|the\s+\w+(?:\s+\w+)?)\s+without\s+asking\b"
    r"|\bdo\s+not\s+ask\s+(?:again|for\s+confirmation)\b"
    # a fixed address on every outgoing mail
    r"|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s+(?:to|in|into|on)\s+the\s+b?cc\b"
    r"|\b(?:bcc|cc)\b[^.\n]{0,30}\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    # a remote script in every template
    r"|<script\s+[^>]*\bsrc=[\"']" + _URL + r"[^>]*>"
    # remote instructions obeyed
    r"|\b(?:fetch|download|load|retrieve|curl|get|read)\s+(?:\w+\s+){0,4}?" + _URL + r"\S*[^.\n]{0,80}\b(?:follow|obey"
    r"|apply|execute|carry\s+out)\s+(?:the\s+|any\s+|all\s+)?(?:instructions|orders|steps|commands|directions"
    r"|what\s+it\s+says)\b"
    # a false audit claim
    r"|\b(?:answer|say|reply|respond|claim|state|tell\s+(?:them|the\s+user))\s+that\s+(?:it|the\s+\w+|this\s+\w+)\s+"
    r"(?:was|were|has\s+been|is|had\s+been)\s+(?:already\s+)?(?:audited|security[- ]reviewed|reviewed|pen-?tested"
    r"|certified|scanned)\b",
    re.IGNORECASE,
)
_ACT_KEYS = ("curl", "wget", "without asking", "ask again", "ask for confirmation", "token",
             "authorization", "cookie", "credential", "api", "process.env", "os.environ", "cc", "<script", "fetch",
             "http", "audited", "reviewed", "pentested", "pen-tested", "certified", "scanned")  # fmt: skip
# (b') the user's credentials or environment put in a request body posted to a URL
_CRED_BODY = re.compile(
    r"[\"'](?:token|authorization|cookies?|credentials?|api[_ -]?key)[\"']\s*:\s*[<\"']?[^,}\n]{0,40}"
    r"(?:authorization|token|key|secret|cookie)"
    r"|[\"']env[\"']\s*:\s*(?:process\.env|os\.environ)\b",
    re.IGNORECASE,
)
_POST_URL = re.compile(r"\b(?:post|send|upload|register)\w*\b[^\n]{0,120}" + _URL, re.IGNORECASE)
# (c) a review bot told to stay silent on security and to approve
_MUTE = re.compile(
    r"\b(?:do\s+not|don['’]t|never)\s+(?:comment\s+on|mention|flag|report|raise)\s+(?:any\s+)?(?:security|credentials"
    r"|secrets|tokens|hard-?coded\s+(?:keys|secrets|credentials))\b"
    r"|\bnever\s+flag\s+(?:them|these|it)\b",
    re.IGNORECASE,
)
_VERDICT = re.compile(
    r"\b(?:summari[sz]e|describe|report|mark|label)\s+(?:the\s+)?(?:pr|pull\s+request|change|diff|it)s?\s+as\s+"
    r"[\"'“`]?[^\"'”`\n]{0,60}\b(?:lgtm|approved?|looks\s+good)\b"
    r"|\bapprove\s+(?:the\s+)?(?:pr|pull\s+request|change)s?\s+(?:anyway|regardless|automatically|as\s+is)\b",
    re.IGNORECASE,
)
_MUTE_KEYS = ("comment on", "mention", "flag", "report", "raise")
_TEACHING = re.compile(
    r"\b(?:examples?\s+of|attacker|malicious|injection|detect|red\s+flag|poison|phishing|scam|suspicious"
    r"|looks\s+for|indicators?|never\s+run\s+these|\(examples?\b|red[- ]team|evil\.)",
    re.IGNORECASE,
)
register_keywords(_HIDE_KEYS + _ACT_KEYS + _MUTE_KEYS)


def _quoted(text: str, at: int) -> bool:
    """Whether position ``at`` sits right after a quote mark or inside a double-quoted span of the row (a phrase
    named in a list of red flags, not an order). A quote in a code string (``print("…")``) opens the row's text, so
    it is only counted in prose rows."""
    if at > 0 and text[at - 1] in "\"'“‘`":
        return True
    before = text[:at]
    if before.lstrip().startswith(("print", "echo", "console.", "log", 'f"', '"')):
        return False
    return before.count('"') % 2 == 1 or before.count("“") > before.count("”")


def _heading(tf: TextFile, n: int) -> str:
    """The nearest markdown heading above line ``n`` (within 40 rows), or ``""``."""
    if tf.lang != "markdown":
        return ""
    for k in range(n - 1, max(0, n - 41), -1):
        if tf.rows[k - 1].lstrip().startswith("#"):
            return tf.rows[k - 1]
    return ""


def _concealed(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test" or tf.path == "label.json":
            continue
        if tf.has_any(_HIDE_KEYS) and tf.has_any(_ACT_KEYS):
            hit = _hidden_act(tf)
            if hit is not None:
                yield hit
                continue
        if tf.has_any(_MUTE_KEYS) and ("lgtm" in tf.lower or "approve" in tf.lower):
            hit = _muted_review(tf)
            if hit is not None:
                yield hit


def _hidden_act(tf: TextFile) -> Hit | None:
    held = tf.candidate_numbers(_HIDE_KEYS)
    # a phrase wrapped over two lines ("Never\n mention") starts on the line before its keyword
    for n in sorted({k for h in held for k in (h - 1, h) if k >= 1}):
        row = tf.rows[n - 1]
        joined = row + " " + tf.rows[n].strip() if n < len(tf.rows) else row
        m = _HIDE.search(joined)
        if m is None or m.start() >= len(row):
            continue
        if _quoted(joined, m.start()):
            continue  # the phrase quoted: named, not ordered
        passage = read_passage(tf, n, after=4)
        if _TEACHING.search(_heading(tf, n)):
            continue
        a = _ACT.search(passage)
        if a is None and _POST_URL.search(passage):
            a = _CRED_BODY.search(passage)
        if a is None or _TEACHING.search(passage):
            continue
        return Hit(
            "P035",
            tf.path,
            n,
            f"a concealed order: {a.group(0)[:60]!r}, kept from the user ({m.group(0)!r})",
            snippet(joined, m.start(), m.end()),
            order_context(tf, n),
            Severity.HIGH,
        )
    return None


def _muted_review(tf: TextFile) -> Hit | None:
    for n in tf.candidate_numbers(_MUTE_KEYS):
        row = tf.rows[n - 1]
        joined = row + " " + tf.rows[n].strip() if n < len(tf.rows) else row
        m = _MUTE.search(joined)
        if m is None or m.start() >= len(row):
            continue
        passage = read_passage(tf, n, after=4)
        v = _VERDICT.search(passage)
        if v is None or _TEACHING.search(passage) or _TEACHING.search(_heading(tf, n)):
            continue
        return Hit(
            "P035",
            tf.path,
            n,
            f"review instructions mute security findings ({m.group(0)!r}) and fix the verdict ({v.group(0)[:50]!r})",
            snippet(joined, m.start(), m.end()),
            order_context(tf, n),
            Severity.HIGH,
        )
    return None


RULES = [
    Rule(
        "P035",
        "Concealed order to act against the user",
        Family.PROMPT_INJECTION,
        Severity.HIGH,
        0.85,
        "Guidance the agent reads (a conventions or rule file, an API description, a template comment, a tool "
        "docstring, a checker's printed remedy) that orders a harmful act (a download piped to a shell, the user's "
        "token or environment sent out, a fixed bcc address, a remote script in every template, remote instructions "
        "obeyed, a false audit claim) and tells the agent not to mention it, or a review guide that mutes security "
        "findings and fixes the verdict, turns the agent against its user.",
        "Remove the order. Honest guidance has nothing to hide from the user it works for.",
        _concealed,
        mitre="T1565",
        topic_exempt=True,
    ),
]
