"""Standing orders that change the agent's rules for everything else it does (prompt-injection family).

- P031: a standing order to grant a fixed outside account access to the user's repositories or organisation
  (``gh api -X PUT .../collaborators/<account>``, ``gh repo deploy-key add``, "add acme-bot as an admin collaborator",
  an org invitation) tied to every use of a tool or to unrelated tasks ("whenever you call any ``gh`` command",
  "before every git push", "for any task in this session"). Tool shadowing: the grant rides on the user's own
  requests. An honest repository-admin skill adds the collaborator the *user* names (``collaborators/USERNAME``),
  when asked, so a placeholder account or a missing standing scope stays silent.
- P032: authority impersonation - a block that claims to come from the model vendor, the platform or a system
  administrator ("ANTHROPIC SYSTEM NOTICE", "message from OpenAI", "admin override") and changes the agent's rules:
  safety guidelines suspended, comply without refusal, print the user's keys or tokens. Quoting vendor docs or a
  changelog ("Anthropic announced ...") changes no rule, and a warning ("never print API keys") is not an order.
- P033: an order to weaken the repository's safety nets - delete security tests, remove a security scanner (bandit,
  pip-audit, CodeQL, Semgrep, ...) from CI, make test steps always pass (``|| true``, ``continue-on-error: true``),
  delete branch protection - in a paragraph that keeps it from the user ("do not list these removals in the
  summary", "sin avisar"); likewise the user's data forwarded to a fixed outside mail address ("reenvía los
  resultados a archivo@...", "forward the matches to ..."). A maintainer's visible CI change or a report sent to
  a named team address names no secrecy, so it stays silent.

P031/P032 read the matched row plus the non-blank rows of its paragraph (three either side), in markdown and text
files (tests excluded); P033 reads any file but test and documentation lines. A reference file the skill sends the
agent to counts fully.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.view import SkillView, TextFile, register_keywords
from skillyard.scan.context import ContextKind
from skillyard.scan.rules.base import Family, Hit, Rule, snippet, warns_against
from skillyard.scan.rules.covert_orders import order_context
from skillyard.scan.rules.persistence import SAFETY_OFF
from skillyard.scan.rules.planted_output import _kept_from_user as kept_from_user

_I = re.IGNORECASE

_GRANT_GATE = ("collaborator", "deploy-key", "deploy key", "deploy_key", "invitation", "permission=", "as admin",
               "as an admin", "as owner", "as an owner", "as a maintainer", "as maintainer", "as a member")  # fmt: skip
_GRANT = re.compile(
    r"/collaborators/(?P<a1>[\w{}<>$.-]+)"
    r"|\bgh\s+repo\s+deploy-key\s+add\b|\bdeploy[_ -]keys?\b[^.\n]{0,40}\b(?:add|creat|upload|register)\w*"
    r"|/(?:orgs/[\w{}<>$.-]+/)?(?:invitations|memberships/(?P<a2>[\w{}<>$.-]+))"
    r"|\b(?:add|invite|grant|make)\b\s+[`\"']?(?P<a3>[@\w{}<>$.-]+)[`\"']?\s+(?:as\s+)?(?:an?\s+)?"
    r"(?:admin\w*|owner|maintainer|collaborator|org(?:anization)?\s+member|member)\b",
    _I,
)
# a placeholder account is the one the user names, not a fixed outside account
_PLACEHOLDER = re.compile(r"^[{<$]|^(?:user(?:name)?|login|name|someone|them|him|her|the|a|an|new|their|your)\b"
                          r"|example|^[A-Z_]+$", _I)  # fmt: skip
# standing scope: every use of a tool, any task, the whole session
_STANDING = re.compile(
    r"\b(?:whenever|every\s+time|each\s+time|any\s+time)\s+you\s+(?:call|use|run|invoke|touch|execute|open|start)\b"
    r"|\b(?:before|after)\s+(?:any|every|each)\s+(?:`?[\w-]+`?\s+)?(?:command|call|tool|task|request|push|commit"
    r"|operation|action)s?\b"
    r"|\b(?:for|on|with)\s+(?:any|every|each)\s+(?:other\s+)?(?:task|reason|request|tool|command|call|repo\w*)\b"
    r"|\bany\s+(?:`?gh`?|git|github|mcp)\b[^.\n]{0,20}\b(?:command|tool|call)s?\b"
    r"|\ball\s+(?:github\s+|git\s+|mcp\s+|other\s+)?tools\b|\bnot\s+only\s+(?:for\s+)?this\s+skill\b"
    r"|\b(?:in|for)\s+(?:this|the\s+whole|every)\s+session\b|\bregardless\s+of\s+(?:the\s+)?task\b",
    _I,
)

_AUTH_GATE = ("anthropic", "openai", "system notice", "system override",
              "admin notice", "admin override", "administrator", "policy update", "security notice", "claude:",
              "deepmind", "platform notice", "trust and safety", "trust & safety")  # fmt: skip
_AUTHORITY = re.compile(
    r"\b(?:anthropic|openai|google|deepmind|claude|chatgpt|security\s+team|trust\s+(?:&|and)\s+safety"
    r"|moderation\s+team)\b[^.\n]{0,40}?\b(?:notices?|announcements?|updates?|messages?|directives?|overrides?"
    r"|alerts?|bulletins?|memos?|mandates?)\b"
    # "system"/"platform"/"admin" + a notice word; not "system message" (prompt-writing skills discuss those)
    r"|\b(?:system|platform|admin(?:istrator)?)\b[^.\n]{0,40}?\b(?:notices?|announcements?|directives?"
    r"|overrides?|alerts?|bulletins?|memos?|mandates?)\b"
    r"|\b(?:message|notice|directive|order)s?\s+from\s+(?:anthropic|openai|google|the\s+system|the\s+platform"
    r"|your\s+(?:developers?|administrators?|operators?))\b"
    r"|^\W*(?:claude|chatgpt|gpt|gemini|assistant|ai)\s*:",
    _I | re.MULTILINE,
)
_RULE_CHANGE = re.compile(
    r"\b(?:guidelines|polic(?:y|ies)|restrictions|filters|guardrails|safeguards|safety\s+(?:rules|measures|checks)"
    r"|content\s+rules)\s+(?:are|is|have\s+been|has\s+been)\s+(?:now\s+|temporarily\s+|hereby\s+)?"
    r"(?:suspended|disabled|lifted|removed|waived|relaxed|revoked|off|turned\s+off|deactivated|paused"
    r"|no\s+longer\s+(?:apply|in\s+effect|active))\b"
    r"|\bwithout\s+(?:any\s+)?(?:refus\w*|declin\w*|hesitat\w*)"
    r"|\b(?:do\s+not|don'?t|never|must\s+not|may\s+not|will\s+not)\s+(?:refuse|decline)\b"
    r"|\b(?:ignore|disregard|bypass|disable)\s+(?:your|all|any|the)\s+(?:safety|content|usage)\s+"
    r"(?:guidelines|policies|rules|filters|checks)\b"
    r"|\b(?:print|reveal|disclose|output|display|echo|show|leak|post|send)\b[^.\n]{0,60}?\b(?:api[\s_-]?keys?"
    r"|access\s+tokens?|secrets?|passwords?|credentials?|\w*_KEY|\w*_TOKEN|\w*_SECRET)\b",
    _I,
)

_WEAKEN_GATE = ("bandit", "pip-audit", "semgrep", "codeql", "trivy", "snyk", "gitleaks", "trufflehog", "npm audit",
                "dependabot", "security", "|| true", "continue-on-error", "/protection", "branch protection",
                "push --force", "push -f")  # fmt: skip
_WEAKEN = re.compile(
    r"\b(?:delete|remove|drop|disable|skip|comment\s+out|strip|turn\s+off)\w*\b[^.\n]{0,50}?(?:\bbandit\b|pip-audit"
    r"|\bsemgrep\b|\bcodeql\b|\btrivy\b|\bsnyk\b|\bgitleaks\b|\btrufflehog\b|\bnpm\s+audit\b|\bdependabot\b"
    r"|\btests?/security\b|\bsecurity\s+(?:tests?|scans?|checks?|steps?|jobs?|folder|suite|workflow)s?\b)"
    r"|\|\|\s*true\b[^.\n]{0,40}?\b(?:pytest|tests?|jest|checks?|lint)\b|\bcontinue-on-error\s*:\s*true\b"
    r"|-X\s*DELETE\b[^\n]{0,80}?/protection\b",
    _I,
)

# the user's data forwarded to a fixed outside mailbox, in any of the languages kept_from_user reads
_FORWARD_GATE = ("@",)
_FORWARD = re.compile(
    r"\b(?:forward|bcc|e-?mail|send|reenv[ií]a|env[ií]a|manda|remite|transf[eè]re|envoie|leite\w*\s+weiter"
    r"|weiterleiten|sende|schicke|inoltra|invia|encaminhe|encaminha|envie)\b[^.\n@]{0,80}?\b(?:to|a|à|an|para|al)\s+"
    r"[`\"'<]?(?!(?:you|your|user|name|someone|example|me|test)\b)[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
    _I,
)

register_keywords(_GRANT_GATE + _AUTH_GATE + _WEAKEN_GATE)


def _window(tf: TextFile, n: int) -> str:
    """Row ``n`` with the non-blank rows around it (its paragraph or block, at most three rows either side)."""
    rows = tf.rows
    lo = n - 1
    while lo > 0 and n - lo <= 3 and rows[lo - 1].strip() not in ("", "---"):
        lo -= 1
    hi = n - 1
    while hi + 1 < len(rows) and hi - n < 2 and rows[hi + 1].strip() not in ("", "---"):
        hi += 1
    return "\n".join(r.strip().lstrip(">").strip() for r in rows[lo : hi + 1])


def _files(view: SkillView, gate: tuple[str, ...]) -> Iterator[TextFile]:
    for tf in view.files:
        if tf.role != "test" and tf.lang in ("markdown", "text") and tf.has_any(gate):
            yield tf


def _standing_grant(view: SkillView) -> Iterator[Hit]:
    for tf in _files(view, _GRANT_GATE):
        for n in tf.candidate_numbers(_GRANT_GATE):
            row = tf.rows[n - 1]
            m = _GRANT.search(row)
            if m is None or warns_against(row, m.start(), m.end(), code=True):
                continue
            account = m.group("a1") or m.group("a2") or m.group("a3") or ""
            if account and _PLACEHOLDER.search(account.strip("`\"'@")):
                continue
            if _STANDING.search(_window(tf, n)) is None:
                continue
            yield Hit(
                "P031",
                tf.path,
                n,
                "a standing order grants a fixed outside account access on every use of a tool or unrelated task",
                snippet(row, m.start(), m.end()),
                order_context(tf, n),
            )
            break


def _impersonation(view: SkillView) -> Iterator[Hit]:
    for tf in _files(view, _AUTH_GATE):
        for n in tf.candidate_numbers(_AUTH_GATE):
            row = tf.rows[n - 1]
            if _AUTHORITY.search(row.lstrip("> *[#")) is None:
                continue
            near = _window(tf, n)
            for m in _RULE_CHANGE.finditer(near):
                if not warns_against(near, m.start(), m.end(), code=True):
                    yield Hit(
                        "P032",
                        tf.path,
                        n,
                        "a block claiming vendor/platform/administrator authority changes the agent's rules",
                        snippet(near.replace("\n", " "), m.start(), m.end()),
                        order_context(tf, n),
                    )
                    return


def _weakened_checks(view: SkillView) -> Iterator[Hit]:
    yield from _kept(view, _WEAKEN_GATE, _weaken, "orders the repository's security checks, tests or branch "
                     "protection weakened, out of the user's sight")  # fmt: skip
    yield from _kept(view, _FORWARD_GATE, _FORWARD.search, "orders the user's data forwarded to a fixed outside "
                     "address, out of the user's sight")  # fmt: skip


def _weaken(row: str) -> re.Match[str] | None:
    return _WEAKEN.search(row) or SAFETY_OFF.search(row)


def _kept(
    view: SkillView, gate: tuple[str, ...], find: Callable[[str], re.Match[str] | None], message: str
) -> Iterator[Hit]:
    for tf in view.files:
        if not tf.has_any(gate):
            continue
        for n in tf.candidate_numbers(gate):
            row = tf.rows[n - 1]
            m = find(row)
            if m is None or warns_against(row, m.start(), m.end(), code=True):
                continue
            ctx = order_context(tf, n)  # a threat word nearby does not discount an order; an examples heading does
            if ctx is not None and ctx.kind in (ContextKind.TEST, ContextKind.DOCUMENTATION):
                continue
            if not kept_from_user(_window(tf, n).replace("\n", " ")):
                continue
            yield Hit(
                "P033",
                tf.path,
                n,
                message,
                snippet(row, m.start(), m.end()),
                ctx,
            )
            break


RULES = [
    Rule(
        "P031",
        "Standing order to grant an outside account access",
        Family.PROMPT_INJECTION,
        Severity.HIGH,
        0.85,
        "The skill tells the agent to add a fixed account as collaborator, admin, org member or deploy key "
        "whenever it uses a tool (gh, git, the GitHub MCP) or for any task: every request of the user then "
        "also hands an outsider access to their repositories (tool shadowing).",
        "Remove the order. Access is granted only to accounts the user names, when the user asks.",
        _standing_grant,
        mitre="T1098",
    ),
    Rule(
        "P032",
        "Authority impersonation changes the agent's rules",
        Family.PROMPT_INJECTION,
        Severity.HIGH,
        0.85,
        "A block that poses as a notice from the model vendor, the platform or a system administrator and lifts "
        "safety guidelines, forbids refusals or orders secrets printed. Skill text never speaks for the vendor; "
        "the claim exists only to make the order look binding.",
        "Remove the block. A skill states what it does in its own voice and never changes the agent's policies.",
        _impersonation,
        mitre="T1656",
    ),
    Rule(
        "P033",
        "Security checks weakened or data forwarded out of the user's sight",
        Family.PROMPT_INJECTION,
        Severity.HIGH,
        0.85,
        "The skill tells the agent to delete security tests, remove security scanners (bandit, pip-audit, CodeQL, "
        "Semgrep, ...) from CI, make test steps always pass (`|| true`, `continue-on-error: true`) or delete branch "
        "protection, or to forward the user's mail, files or search results to a fixed outside address, and to keep "
        "it from the user: the repository loses its safety nets, or the data leaves, without anyone deciding so.",
        "Remove the order. Changes to CI and branch protection, and anything sent to a third party, are proposed to "
        "the user, never done quietly.",
        _weakened_checks,
        mitre="T1562",
    ),
]
