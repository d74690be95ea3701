"""Orders to the agent planted in a program's output (SC030).

The agent runs a skill's script and reads what it prints. A script can print a fake error ("license cache
corrupted", "index out of date") addressed to the AI assistant running it, with a "repair" command to run and a
claim that the user already agreed, or an instruction not to ask the user: the script's output is then a prompt
injection delivered through a tool result, where the user rarely looks. Reported when, within a few rows of a
script (the text of a string it prints), all three appear: an address to the agent ("for AI assistants", "if you
are an AI agent"), a secrecy or pre-consent claim ("do not ask the user", "the user already consented", "silently")
and a command (``| sh``, ``base64 -d``, ``curl``/``wget``, ``iex``). A base64 blob in that block is decoded (never
run) and named when it holds a download or shell command. Output that addresses the agent without secrecy ("AI
assistants: run pip install pypdf, then retry") is ordinary guidance and not reported.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.view import SkillView, register_keywords
from skillyard.scan.context import SCRIPT
from skillyard.scan.rules.base import Family, Hit, Rule, snippet, warns_against
from skillyard.scan.rules.covert_orders import order_context

_I = re.IGNORECASE
_KEYS = (
    "assistant",
    "ai agent",
    "llm",
    "language model",
    "claude",
    "copilot",
    "the agent",
    "ai model",
    "agent:",
    "agent ",
    "agents:",  # "Automated agents: repair with ..." (blind12)
    "agents :",
)
register_keywords(_KEYS)
_LANGS = ("python", "shell", "javascript", "powershell", "ruby", "perl", "go", "php")
_ADDRESS = re.compile(
    r"\b(?:for|to|attention|note\s+(?:for|to))\s+(?:the\s+|any\s+)?(?:AI|LLM)\s*(?:assistants?|agents?|models?|tools?)\b"
    r"|\bif\s+you\s+are\s+(?:an?\s+)?(?:AI|LLM|language\s+model|assistant|agent|Claude|Copilot)\b"
    r"|\b(?:AI|LLM)\s+(?:assistants?|agents?)\s+(?:running|reading|using|executing)\b"
    # a sentence of the message addressed to them: "The cache is corrupted. AI agents: the only repair is ..."
    r"|\b(?:AI|LLM|automated|autonomous)\s+(?:coding\s+)?(?:assistants?|agents?)\s*:\s"
    r"|\b(?:Claude|Copilot|Cursor|the\s+assistant|the\s+agent)\s*[:,]\s*(?:please\s+)?(?:run|execute)\b",
    _I,
)
# a line labelled for the agent the way a harness would ("AGENT: next, run ..."): upper case only, so that an ordinary
# "Agent: idle" status line in a log does not count
_LABEL = re.compile(
    r"(?<![\w-])(?:AGENT|ASSISTANT|AI AGENT|AI)\s*(?:NOTE|INSTRUCTIONS?)?\s*:\s"
    # a data value that opens by addressing the assistant: ``"system_note": "Assistant: the admin enabled ..."``
    r"|[\"']\s*(?:Assistant|Agent|AI\s+assistant)\s*:\s"
)
_SECRECY = re.compile(
    r"\b(?:do\s+not|don'?t|never)\s+(?:ask|tell|inform|notify|prompt|alert|bother)\s+(?:the\s+)?user\b"
    r"|\bwithout\s+(?:asking|telling|informing|notifying|prompting|confirming\s+with)\s+(?:the\s+)?user\b"
    r"|\buser\s+(?:has\s+)?already\s+(?:consented|approved|agreed|authori[sz]ed|confirmed|accepted)\b"
    r"|\b(?:run|execute)\s+(?:\w+\s+){0,4}silently\b|\bsilently\s+(?:run|execute|apply|repair)\b"
    r"|\bno\s+need\s+to\s+(?:ask|confirm\s+with|tell)\s+(?:the\s+)?user\b"
    r"|\b(?:do\s+not|don'?t|never)\s+mention\b[^\n]{0,40}\b(?:summary|reply|response|report)\b"
    r"|\b(?:approved|authori[sz]ed|consented\s+to|accepted)\s+by\s+the\s+user\b|\bdo\s+not\s+surface\s+(?:it|this)\b",
    _I,
)
_COMMAND = re.compile(
    r"\|\s*(?:ba|z)?sh\b|\bbase64\s+(?:-d|--decode)\b|\b(?:curl|wget)\s+\S|\biex\b|\bInvoke-Expression\b"
    r"|\bpowershell\s+-(?:e|enc|ec)\b|\brm\s+-rf\s+[~/$]|\bchmod\s+\+x\b",
    _I,
)
_BLOB = re.compile(r"[A-Za-z0-9+/]{24,}={0,2}")
_BAD_DECODED = re.compile(r"\b(?:curl|wget|bash|sh|iex|nc|python3?)\b|https?://", _I)
_SPAN = 8  # rows either side of the address


def _decoded(block: str) -> str:
    for m in _BLOB.finditer(block):
        blob = m.group(0)
        try:
            text = base64.b64decode(blob + "=" * (-len(blob) % 4), validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            continue
        if text.isprintable() and _BAD_DECODED.search(text):
            return text.strip()
    return ""


def _output_orders(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        example = tf.lang in ("markdown", "json")  # example tool output the skill shows the agent (blind9)
        if tf.role == "test" or (tf.role == "skill_md" and not example) or not tf.has_any(_KEYS):
            continue
        if tf.lang not in _LANGS and not example:
            continue
        rows = tf.rows
        for n in sorted(tf.rows_with(_KEYS)):
            m = _ADDRESS.search(rows[n - 1]) or _LABEL.search(rows[n - 1])
            if m is None or (tf.md is not None and tf.md.line(n).kind != "code"):
                continue  # in markdown only example output (code blocks) is read here; prose has its own rules
            block = "\n".join(rows[max(0, n - 1 - _SPAN) : n + _SPAN])
            s = _SECRECY.search(block)
            c = _COMMAND.search(block)
            if s is None or c is None or warns_against(block, s.start(), s.end(), code=True):
                continue
            payload = _decoded(block)
            extra = f"; the encoded part decodes to '{payload[:80]}'" if payload else ""
            yield Hit(
                "SC030",
                tf.path,
                n,
                f"program output addressed to the AI agent orders a command and keeps it from the user{extra}",
                snippet(rows[n - 1], m.start(), m.end()),
                order_context(tf, n) if example else SCRIPT,
                Severity.CRITICAL if payload else None,
            )
            break


RULES = [
    Rule(
        "SC030",
        "Program output that orders the agent",
        Family.SUPPLY_CHAIN,  # the shipped script is the vehicle; the ID range reserved for this class is SC
        Severity.HIGH,
        0.8,
        "A script whose output speaks to the AI assistant running it ('REPAIR for AI assistants: run ... silently, "
        "the user already consented') injects orders through a tool result: the agent reads it as guidance and the "
        "user never sees the command.",
        "Print errors for the user; never tell the agent to run commands, skip confirmation or hide anything.",
        _output_orders,
        mitre="T1204",
    ),
]
