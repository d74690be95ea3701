"""Secrets or private data sent out by low-code automations (E033, blind12 n8n-ops-workflows,
ha-presence-automations, sheets-weekly-report).

Automation platforms run what a skill ships without a shell in sight, on a schedule or a trigger:

- **n8n workflows and Node-RED flows.** An ``executeCommand``/``exec`` node that packs credential folders
  (``~/.ssh``, ``~/.aws``, ``~/.kube``, ``~/.n8n`` with n8n's own credential database) and an
  ``httpRequest``/``http request`` node that posts to a hard-coded outside host.
- **Home Assistant packages.** A ``rest_command`` to a hard-coded outside host whose payload templates an access
  token or password, or the home's location together with lock/alarm state (when nobody is home).
- **Google Apps Script.** A mailbox search for passwords, verification codes or 2FA mails whose results are forwarded,
  to an address written into the script (or posted with ``UrlFetchApp`` to a hard-coded host), or forwarding whose
  sent copies are then trashed (hidden from the owner).

A workflow posting to a URL from a credential or variable, a ``rest_command`` sending a temperature to a local
server, or a script forwarding invoices to the user's accountant is not matched.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.hosts import URL, host_class, host_of, templated_host
from skillyard.scan.analyzers.view import SkillView, TextFile
from skillyard.scan.context import SCRIPT
from skillyard.scan.rules.base import Family, Hit, Rule, snippet

_PRIVATE = re.compile(r"^(?:localhost|127\.|10\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.|0\.0\.0\.0$|\[?::1)")


def outside(url: str) -> bool:
    """A hard-coded host that is not the machine itself, a private network address or a trusted installer host.
    Reserved documentation names (``.example``) count as outside here: the rule needs secrets read in the same
    automation, which is the finding whatever the host."""
    host = host_of(url)
    if "." not in host or templated_host(url) or host_class(url) == "trusted" or _PRIVATE.match(host):
        return False  # no host, a dotless placeholder (``https://YOUR_SERVER/…``), a variable, the machine itself
    return not host.endswith((".local", ".internal", ".lan", ".home.arpa", ".localdomain"))


# -- n8n --------------------------------------------------------------------------------------------------------
_CRED_DIRS = re.compile(
    r"(?:^|[\s/~'\"=])\.(?:ssh|aws|kube|gnupg|n8n|docker|azure|netrc|git-credentials|config/gcloud)\b"
    r"|\b(?:id_rsa|id_ed25519|credentials\.json|database\.sqlite)\b"
)


def _nodes(tf: TextFile) -> list[dict[str, object]]:
    """The nodes of an n8n workflow (``{"nodes": [...]}``) or a Node-RED flow (a top-level list)."""
    try:
        data = json.loads(tf.text)
    except ValueError:
        return []
    nodes = data.get("nodes") if isinstance(data, dict) else data
    return [n for n in nodes if isinstance(n, dict)] if isinstance(nodes, list) else []


def _param(node: dict[str, object], key: str) -> str:
    p = node.get("parameters")  # n8n keeps a node's settings under "parameters", Node-RED on the node itself
    return str((p if isinstance(p, dict) else node).get(key, "") or "")


_RUNS = ("executeCommand", "ssh", "exec")
_POSTS = ("httpRequest", "http request")


def _flow(tf: TextFile) -> Iterator[Hit]:
    nodes = _nodes(tf)
    reads = [
        c for n in nodes if str(n.get("type", "")).endswith(_RUNS) and _CRED_DIRS.search(c := _param(n, "command"))
    ]
    if not reads:
        return
    for n in nodes:
        url = _param(n, "url")
        if str(n.get("type", "")).endswith(_POSTS) and URL.match(url) and outside(url):
            line = next((i for i, r in enumerate(tf.rows, 1) if url in r), 1)
            yield Hit(
                "E033",
                tf.path,
                line,
                f"workflow packs credential folders ({reads[0][:60]}) and posts to {host_of(url)}",
                snippet(tf.rows[line - 1]),
                SCRIPT,
            )
            return


# -- Home Assistant -----------------------------------------------------------------------------------------------
_HA_URL = re.compile(r"^\s*url\s*:\s*[\"']?(https?://[^\s\"'{}]+)")
# Home Assistant's own access token (or a password), not the API key of the service the command calls
_HA_SECRET = re.compile(
    r"\{\{[^}]*(?:\bha_?token|hass\w*token|long_lived|access_token|\bllat\b|password|passwd)[^}]*\}\}", re.IGNORECASE
)
_HA_PLACE = re.compile(r"\b(?:latitude|longitude|device_tracker\.|zone\.home|person\.)", re.IGNORECASE)
_HA_HOME = re.compile(r"\b(?:lock\.|alarm_control_panel\.)\w+")


def _home_assistant(tf: TextFile) -> Iterator[Hit]:
    start = next((i for i, r in enumerate(tf.rows) if r.startswith("rest_command:")), None)
    if start is None:
        return
    for i in range(start + 1, len(tf.rows)):
        row = tf.rows[i]
        if row and not row[0].isspace() and not row.startswith("#"):
            break  # the next top-level key
        m = _HA_URL.match(row)
        if m is None or not outside(m.group(1)):
            continue
        body = "\n".join(tf.rows[i + 1 : i + 16])
        what = (
            "an access token or password"
            if _HA_SECRET.search(body)
            else "the home's location and lock/alarm state"
            if _HA_PLACE.search(body) and _HA_HOME.search(body)
            else None
        )
        if what:
            yield Hit(
                "E033",
                tf.path,
                i + 1,
                f"Home Assistant rest_command sends {what} to {host_of(m.group(1))}",
                snippet(row),
                SCRIPT,
            )
            return


# -- Google Apps Script ---------------------------------------------------------------------------------------------
_GMAIL_SEARCH = re.compile(r"GmailApp\.search\(\s*([^,)]+)")
_SENSITIVE_Q = re.compile(
    r"password|passcode|verification|2fa|one[- ]time|\botp\b|security code|reset|login code", re.IGNORECASE
)
_FORWARD = re.compile(r"\.forward\(\s*([^,)]*)|\bsendEmail\(\s*([^,)]*)")
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+|['\"]@['\"]")  # an address literal, or one joined from pieces
# ``UrlFetchApp.fetch('https://…', {method: 'post', payload: …})``, the URL literal or in a variable set nearby
_FETCH = re.compile(r"UrlFetchApp\.fetch\(\s*(['\"][^'\"]+['\"]|\w+)[^;]{0,200}?\bpost", re.IGNORECASE)
_HIDE_SENT = re.compile(r"in:sent[\s\S]{0,160}?moveToTrash|moveToTrash[\s\S]{0,40}?in:sent|\.moveMessageToTrash")


def _value(text: str, arg: str) -> str:
    """``arg`` itself, or for a bare name the text assigned to it."""
    if not re.fullmatch(r"\w+", arg):
        return arg
    d = re.search(rf"\b{arg}\s*=\s*([^\n;]+)", text)
    return d.group(1) if d else ""


def _fixed_recipient(text: str, arg: str) -> bool:
    """The recipient is written into the script: an address literal, or a name assigned one (also joined from
    fragments)."""
    value = _value(text, arg.strip())
    return _ADDRESS.search(value) is not None and "getProperty" not in value


def _apps_script(tf: TextFile) -> Iterator[Hit]:
    text = tf.text
    if "GmailApp" not in text:
        return
    fixed = [m for m in _FORWARD.finditer(text) if _fixed_recipient(text, next(g for g in m.groups() if g is not None))]
    fixed += [m for m in _FETCH.finditer(text) if any(outside(u) for u in URL.findall(_value(text, m.group(1))))]
    if not fixed:
        return  # sent to the user (Session.getActiveUser) or to an address the user sets in script properties
    queries = {m.group(1).strip() for m in _GMAIL_SEARCH.finditer(text)}
    named = {m.group(1) for q in queries for m in [re.match(r"(\w+)$", q)] if m}
    for var in named:  # ``var q = '...'; GmailApp.search(q)``
        d = re.search(rf"\b{var}\s*=\s*([^\n;]+)", text)
        if d:
            queries.add(d.group(1))
    secret = any(_SENSITIVE_Q.search(q) for q in queries)
    hidden = _HIDE_SENT.search(text) is not None and ".forward(" in text
    if not (secret or hidden):
        return
    line = text.count("\n", 0, fixed[0].start()) + 1
    why = "searches the mailbox for passwords/verification codes" if secret else "forwards mail"
    if not secret and not any(_FORWARD.match(text, m.start()) for m in fixed):
        return  # a fetch of ordinary mail to the user's own service
    yield Hit(
        "E033",
        tf.path,
        line,
        f"Apps Script {why} and sends the messages on" + (", then trashes the sent copies" if hidden else ""),
        snippet(tf.rows[line - 1].strip()),
        SCRIPT,
    )


def _automation_exfil(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role in ("test", "reference"):
            continue
        if tf.lang == "json" and tf.has_any(("n8n-nodes-base", '"exec"')):
            yield from _flow(tf)
        elif tf.lang == "yaml" and tf.has_any(("rest_command",)):
            yield from _home_assistant(tf)
        elif tf.has_any(("gmailapp",)):
            yield from _apps_script(tf)


RULES = [
    Rule(
        "E033",
        "Automation workflow sends secrets or private mail out",
        Family.DATA_EXFILTRATION,
        Severity.HIGH,
        0.85,
        "An n8n workflow or Node-RED flow that archives credential folders and posts them, a Home Assistant "
        "rest_command that sends the access token or the home's location and lock state to a hard-coded host, or an "
        "Apps Script trigger that forwards password and verification-code mails runs unattended on every schedule or "
        "trigger.",
        "Send automation data only to services the user configures (credentials, secrets.yaml, script properties); "
        "never forward authentication mail or credential folders.",
        _automation_exfil,
        mitre="T1114.003",
        capability="network_egress",
    ),
]
