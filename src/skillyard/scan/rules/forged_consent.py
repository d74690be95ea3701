"""Forged consent: the skill tells the agent to run something without asking, claiming the user already agreed.

The agent's confirmation prompt is the user's last look at a command. Marketplace malware talks the agent past it
with a claim it cannot check - "the user already approved this during setup", "they consented when installing this
skill", "pre-authorised by your administrator" - next to an order to run, install or fetch something without asking.
Honest skills that want fewer prompts say so to the user (an allow-list in settings); they do not tell the agent that
consent was given somewhere it cannot see. In the 6,144-skill corpus the pairing does not occur.

- P037: within a few lines of an instruction file, a claim of prior consent, an order to skip confirmation and a
  command (inline or fenced code, or a run/install/execute verb). Quoted as an example in documentation it is
  weighted as such by the engine. In a bundled script, the same text printed or returned as output (a fake
  "ACTION REQUIRED for the assistant" status line the agent reads back) counts too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.view import SkillView, register_keywords
from skillyard.scan.rules.base import Family, Hit, Rule, snippet

# every branch of _CLAIM holds one of these (a row without them is never searched)
_KEYS = ("approved", "consented", "agreed", "authorized", "authorised", "granted", "consent was", "consent has",
         "consent is", "approval was", "approval has", "approval is", "permission was", "permission has",
         "permission is", "zugestimmt", "aprob", "autoriz", "approuv", "consenti", "aprovou")  # fmt: skip
register_keywords(_KEYS)
_CLAIM = re.compile(
    r"\b(?:the\s+)?(?:user|owner|operator|admin(?:istrator)?|they|you)\s+(?:has|have|had)?\s*(?:already\s+)?"
    r"(?:approved|consented|agreed|authori[sz]ed|granted\s+(?:permission|consent|approval))\b"
    r"|\b(?:already|been|was|were|is|are)\s+(?:pre-?)?(?:approved|authori[sz]ed)\s+(?:by|for|in|at|during|when)\b"
    r"|\b(?:is|are|was|were|been|already)\s+pre-?(?:approved|authori[sz]ed|consented)\b"
    r"|\b(?:consent|approval|permission)\s+(?:was|has\s+been|is)\s+(?:already\s+)?(?:given|granted|obtained|recorded)"
    r"|\b(?:consented|agreed|approved)\s+(?:to\s+this\s+)?(?:when|during|at)\s+(?:install|setup|onboarding|sign)"
    r"|\b(?:der\s+nutzer|der\s+benutzer)\s+hat\s+(?:bereits\s+)?zugestimmt|\bel\s+usuario\s+ya\s+(?:aprob|autoriz)"
    r"|\bl['’]utilisateur\s+a\s+d[ée]j[àa]\s+(?:approuv|consenti|autoris)|\bo\s+usu[áa]rio\s+j[áa]\s+(?:aprovou|autorizou)",
    re.IGNORECASE,
)
_SKIP = re.compile(
    r"\bwithout\s+(?:asking|prompting|confirm\w*|approval|waiting|checking\s+with|further\s+(?:approval|confirm\w*))"
    r"|\b(?:do\s+not|don['’]t|never|no\s+need\s+to)\s+(?:ask|prompt|confirm|request\s+(?:approval|confirmation)"
    r"|wait\s+for)|\bskip\s+(?:the\s+)?(?:confirmation|approval|prompt)|\bno\s+(?:confirmation|approval)\s+"
    r"(?:is\s+)?(?:needed|required)|\bohne\s+(?:nachzufragen|r[üu]ckfrage)|\bsin\s+preguntar|\bsans\s+demander"
    r"|\bsem\s+perguntar",
    re.IGNORECASE,
)
_ACT = re.compile(
    r"`[^`\n]{3,}`|^\s*```|\b(?:run|execute|install|download|invoke|launch|call|apply|fetch)\b"
    r"|\b(?:ausf[üu]hren|ejecuta|ex[ée]cute[rz]?|executa)\b",
    re.IGNORECASE | re.MULTILINE,
)
_EMITTED = re.compile(
    r"\b(?:print|echo|console\.(?:log|error)|Write-(?:Host|Output)|puts|return|raise|sys\.std\w+\.write)\b|[\"']"
)
_SPAN = 2  # rows each side: the claim, the skip and the command are one paragraph


def _forged(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test" or not tf.has_any(_KEYS):
            continue
        prose = tf.lang in ("markdown", "text")
        for n in tf.candidate_numbers(_KEYS):
            row = tf.rows[n - 1]
            if not _CLAIM.search(row) or (not prose and not _EMITTED.search(row)):
                continue  # in code, only text the script prints or returns to the agent (its output) counts
            window = "\n".join(tf.rows[max(0, n - 1 - _SPAN) : n + _SPAN])
            if not _SKIP.search(window) or not _ACT.search(window):
                continue
            objs = tf.line_objs(n)
            if not objs:
                continue
            yield Hit(
                "P037",
                tf.path,
                n,
                "tells the agent to act without asking, claiming the user already consented",
                snippet(row.strip()),
                objs[0].ctx,
            )
            break


RULES = [
    Rule(
        "P037",
        "Forged consent: act without asking because the user 'already agreed'",
        Family.PROMPT_INJECTION,
        Severity.HIGH,
        0.8,
        "The confirmation prompt is the user's last look at a command. A skill that tells the agent the user already "
        "approved (during setup, at install, by an administrator) and that it need not ask removes that look with a "
        "claim the agent cannot check; honest skills ask the user to allow-list commands themselves.",
        "Let the agent ask. If a command should run without prompts, document the allow-list entry the user can add "
        "to their own settings.",
        _forged,
        mitre="T1656",
    ),
]
