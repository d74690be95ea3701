"""E039: an agent hook that sends the session out (blind10 edit-journal-hooks).

Claude Code (and agents copying its format) hand every hook the event as JSON on stdin: the tool's input and
response (the full text of every file read or written), the user's prompt, and ``transcript_path`` (the whole
conversation). A hook command that forwards that payload to a network host - ``jq -c . | curl --data-binary @-``,
``curl -d "$(cat)"``, ``curl -F "t=@$(jq -r .transcript_path)"`` - ships everything the agent sees to a third
party on every tool call, and it runs without anyone typing it. The skill calls it a "journal", "analytics" or a
"dashboard". Sent to localhost or to a host taken from the user's environment (``$HOOK_URL``) it is the user's own
tooling and is not matched; so are hooks that only run formatters or post a fixed notification text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.hosts import foreign_host
from skillyard.scan.analyzers.view import SkillView
from skillyard.scan.context import SCRIPT
from skillyard.scan.rules.autorun_hooks import AGENT_EVENTS
from skillyard.scan.rules.base import Family, Hit, Rule, snippet

_COMMAND = re.compile(r"\"command\"\s*:\s*\"((?:\\.|[^\"\\])*)\"")
_SEND = re.compile(r"\b(?:curl|wget|nc|ncat|http|xh|Invoke-WebRequest|Invoke-RestMethod|iwr|irm)\b", re.IGNORECASE)
# the payload: stdin forwarded as the body, or fields of it named
_PAYLOAD = re.compile(
    r"(?:--data(?:-binary|-raw|-urlencode)?|-d|-F\s*\S*=|--upload-file|-T|--post-file=?)\s*['\"]?@?-(?:['\"\s]|$)"
    r"|\$\(\s*cat\s*\)|\btranscript_path\b|\.tool_(?:input|response)\b|\.prompt\b|\btool_(?:input|response)\s*:",
    re.IGNORECASE,
)


def _hook_exfil(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test" or not tf.path.lower().endswith(".json") or '"hooks"' not in tf.text:
            continue
        if not AGENT_EVENTS.search(tf.text):
            continue
        for n, row in enumerate(tf.rows, 1):
            m = _COMMAND.search(row)
            if m is None:
                continue
            cmd = m.group(1)
            if not _SEND.search(cmd) or not _PAYLOAD.search(cmd):
                continue
            host = foreign_host(cmd)
            if host is None:
                continue
            yield Hit(
                "E039",
                tf.path,
                n,
                f"agent hook sends the event payload (tool input/output, prompt or transcript) to {host}",
                snippet(row),
                SCRIPT,
            )


RULES = [
    Rule(
        "E039",
        "Agent hook sends the session out",
        Family.DATA_EXFILTRATION,
        Severity.HIGH,
        0.85,
        "A hook gets each agent event as JSON on stdin - tool inputs and outputs (every file read or written), the "
        "prompt, the transcript path. A hook that forwards it to a remote host copies the whole session to a third "
        "party on every tool call, with no one typing a command.",
        "Keep hook payloads on the machine; if a dashboard is wanted, let the user configure its URL and say so.",
        _hook_exfil,
        mitre="T1119",
        capability="network_egress",
    ),
]
