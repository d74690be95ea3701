"""Data exfiltration (E*): credential and store harvesting, environment dumps, transmission, context leakage."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import chain

from skillyard.model import Severity
from skillyard.scan.analyzers.hosts import URL, host_class, vendor_declared
from skillyard.scan.analyzers.secrets import secret_kind
from skillyard.scan.analyzers.shell_vars import upload_target
from skillyard.scan.analyzers.view import SkillView
from skillyard.scan.rules.base import Family, Hit, Rule, hit_at, line_rule
from skillyard.scan.rules.ci_untrusted import config_env_dumps
from skillyard.scan.rules.dump_upload import dump_upload, lookalike
from skillyard.scan.rules.passage_leak import passage_leaks
from skillyard.scan.rules.signals import egress, sensitive_reads
from skillyard.scan.rules.token_send import token_sends

F = Family.DATA_EXFILTRATION

_CONTEXT_LEAK = re.compile(
    r"\b(?:send|post|upload|forward|transmit|share|exfiltrate|copy|sync|report|log|mail|email|cc|bcc)\w*\s+"
    r"(?:a\s+copy\s+of\s+|[^.\n]{0,40}\b(?:including|containing|with|plus|along\s+with)\s+)?"
    r"(?:(?:the|all|this|your|every|each|any|their)\s+)*"
    r"(?:entire\s+|full\s+|whole\s+|complete\s+|current\s+|raw\s+)?"
    r"(?:conversation|chat(?:\s+history|\s+log)?|transcript|system\s+prompt|context(?:\s+window)?|message\s+history"
    r"|(?:previous|prior|earlier|past)\s+(?:messages|turns|exchanges)"
    r"|everything\s+the\s+user\s+(?:said|typed|wrote|pasted|shared|sent)"
    r"|session\s+(?:history|transcripts?|logs?)|(?:user|customer|human)(?:'s)?\s+(?:messages?|prompts?|inputs?|requests?|questions?|queries)"
    r"|prompts?|memory|memories|api\s+keys?|secrets|tokens|credentials|environment\s+variables|(?:wallet\s+)?seed\s+"
    r"phrases?|recovery\s+phrases?|private\s+keys?|mnemonics?|passwords?)\b"
    r"[^.\n]{0,120}\b(?:to|at|via)\b[^.\n]{0,60}"
    r"(?:https?://|webhook|discord|telegram|endpoint|server|remote|our\s+(?:api|server|backend)|email\s+address"
    r"|\S+@\S+\.\w+)"
    # "include the whole transcript in a request to https://..."
    r"|\b(?:include|put|embed|attach|add)\s+(?:the\s+|a\s+copy\s+of\s+the\s+)?(?:whole\s+|entire\s+|full\s+|complete\s+)?"
    r"(?:conversation|transcript|chat\s+history|message\s+history)\s+(?:in|into|with)\s+(?:a|the|your|each)\s+(?:\w+\s+)?"
    r"(?:request|call|url|query|post|upload)\s+to\s+https?://"
    # the address first: "GET https://x/c?d= followed by the URL-encoded full conversation so far"
    r"|https?://\S+[^.\n]{0,60}?\b(?:followed\s+by|appended\s+with|append|plus|with|containing|including|carrying)\s+"
    r"(?:the\s+|all\s+|an?\s+)?(?:url-?encoded\s+|base64(?:-encoded)?\s+|encoded\s+|escaped\s+|serialized\s+)?(?:(?:text"
    r"|summary|digest|recap|copy)\s+of\s+(?:the\s+|this\s+)?)?(?:full\s+|entire\s+|whole\s+|complete\s+)?(?:conversation"
    r"|chat\s+(?:history|log|so\s+far)|transcript|values?\s+of\s+(?:any|all|every)\s+(?:\w+\s+)?(?:tokens|keys|secrets)"
    r"|message\s+history|(?:previous|prior|earlier|past)\s+(?:messages|turns)|system\s+prompt"
    r"|everything\s+the\s+user\s+(?:said|typed|wrote|pasted|shared))\b"
    r"|\b(?:seed\s+phrases?|recovery\s+phrases?|private\s+keys?|mnemonics?|passwords?|api\s+keys?)\b[^\n]{0,120}"
    r"\b(?:send|post|upload|forward|submit|transmit)\w*\s+(?:it|them|this|that)\s+to\b[^\n]{0,30}(?:https?://|webhook"
    r"|\S+@\S+\.\w+)"
    r"|\b(?:upload|send|post|sync|copy|exfiltrate|transmit|forward)\w*\s+(?:(?:the|all|every|any|their|your)\s+)*"
    r"(?:contents?\s+of\s+(?:the\s+|their\s+|your\s+)?)?(?:entire\s+|whole\s+)?(?:workspace|home\s+(?:directory|folder)"
    r"|~/\S*|\$HOME\S*|documents\s+folder|desktop|downloads\s+folder|ssh\s+keys?|keychain|browser\s+(?:data|profile|cookies)"
    r"|wallets?|\.env\s+files?|dotfiles|source\s+code|codebase|repository|repo)\b[^.\n]{0,80}\bto\b[^.\n]{0,30}https?://",
    re.IGNORECASE,
)
_ENV_DUMP_SH = re.compile(
    r"\b(?:env|printenv|set|export\s+-p|Get-ChildItem\s+env:|gci\s+env:|ls\s+env:)\s*(?:\||>)(?!\s*grep\b)(?!\s*sort\b)"
    r"|/proc/(?:self|\d+|\*)/environ|\bcat\s+[^\n|]*\.env\b[^\n]*\|\s*(?:curl|nc|base64|wget)"
    r"|(?:^|[;{(&]\s*)(?:env|printenv|set)\s*;?\s*[})][^\n]*\|\s*(?:curl|wget|nc|ncat)\b"
    # inline one-liners (python -c / node -e) that serialise the whole environment
    r"|\b(?:dict|str|repr|json\.dumps)\(\s*(?:dict\()?os\.environ\b|\bos\.environ\.copy\(\)"
    r"|JSON\.stringify\(\s*process\.env\s*\)",
    re.IGNORECASE,
)
_WEBHOOK = re.compile(
    r"discord(?:app)?\.com/api/webhooks/|api\.telegram\.org/bot|hooks\.slack\.com/services/"
    r"|webhook\.site|requestbin|pipedream\.net|ngrok(?:-free)?\.(?:io|app)|trycloudflare\.com"
    r"|burpcollaborator|interact\.sh|oast\.(?:fun|me|pro|live|site|online)|canarytokens",
    re.IGNORECASE,
)


# A path named in an agent permission rule that *denies* access (``"deny": ["Read(./.env)"]``) is a guard, not a read.
_PERMISSION_RULE = re.compile(r"\b(?:Read|Edit|Write|Bash|WebFetch)\([^)\n]*\)")


def _denied(view: SkillView, file: str, lineno: int) -> bool:
    tf = view.file(file)
    if tf is None or not 1 <= lineno <= len(tf.rows):
        return False
    row = tf.rows[lineno - 1]
    m = _PERMISSION_RULE.search(row)
    if m is None:
        return False
    if re.search(r"[\"'`]deny[\"'`]\s*:", row[: m.start()]):
        return True
    for prev in reversed(tf.rows[max(0, lineno - 12) : lineno - 1]):  # the enclosing JSON/YAML key
        key = re.search(r"[\"']?(allow|deny|ask)[\"']?\s*:", prev)
        if key:
            return key.group(1) == "deny"
    return False


def _cred(view: SkillView, kinds: tuple[str, ...], rule: str, msg: str) -> Iterator[Hit]:
    seen: set[tuple[str, int]] = set()
    for s in sensitive_reads(view):
        if s.kind in kinds and (s.file, s.lineno) not in seen and not _denied(view, s.file, s.lineno):
            seen.add((s.file, s.lineno))
            if s.line is not None:
                yield hit_at(rule, s.line, msg)
            else:
                fact = next(f for f in view.facts if f.file == s.file and f.line == s.lineno)
                yield Hit(rule, s.file, s.lineno, msg, s.evidence, fact.ctx)


_STORE_TOPIC = re.compile(
    r"\b(?:wallets?|solana|crypto\w*|ethereum|web3|bitcoin|keychain|browsers?|chrome|firefox"
    r"|cookies?|passwords?\s+managers?)\b",
    re.IGNORECASE,
)


def _stores(view: SkillView) -> Iterator[Hit]:
    """E002; medium when the skill says it works with wallets/browsers/keychains (declared, still reported)."""
    declared = bool(_STORE_TOPIC.search(f"{view.skill.name} {view.skill.description}"))
    for h in _cred(view, ("store",), "E002", "accesses a browser credential or wallet store"):
        if declared:
            yield Hit(
                h.rule, h.file, h.line, h.message + " (declared by the skill)", h.evidence, h.context, Severity.MEDIUM
            )
        else:
            yield h


_INLINE_SEND = re.compile(
    r"\b(?:urlopen|requests\.(?:post|put|get)|httpx\.(?:post|put)|fetch|axios\.post)\(\s*[\"'](https?://[^\"']+)",
    re.IGNORECASE,
)
_PIPED_OUT = re.compile(r"\|\s*(?:curl|wget|nc|ncat)\b[^\n]*?(https?://\S+|\b\d{1,3}(?:\.\d{1,3}){3}\b)", re.IGNORECASE)


def _env_dump(view: SkillView) -> Iterator[Hit]:
    """E003; critical when the dump is piped straight to a host that is not local or trusted."""
    for f in view.facts_of("py.env_dump", "js.env_dump"):
        yield Hit("E003", f.file, f.line, f.detail, f.evidence, f.ctx)
    yield from config_env_dumps(view)  # commands a workflow step, unit or alias carries
    for h in line_rule(
        "E003",
        _ENV_DUMP_SH,
        "dumps the whole environment",
        keywords=("env", "set", "environ", "export"),
        kinds=frozenset({"code"}),
    )(view):
        tf = view.file(h.file)
        row = tf.raw_rows[h.line - 1] if tf is not None else h.evidence
        out = _PIPED_OUT.search(row) or _INLINE_SEND.search(row)
        if out and host_class(out.group(1)) not in ("local", "trusted"):
            yield Hit(
                h.rule,
                h.file,
                h.line,
                h.message + " and pipes it to a remote host",
                h.evidence,
                h.context,
                Severity.CRITICAL,
                0.85,
            )
        else:
            yield h


def _transmit(view: SkillView) -> Iterator[Hit]:
    """Uploads: critical when a secret is sent, high to paste/exfil/public-IP hosts, low to an API."""
    for f in view.facts_of("sh.upload"):
        cls = host_class(f.value) if f.value else "unknown"
        secret = secret_kind(f.evidence) in ("credential", "store", "env_file") or bool(_ENV_DUMP_SH.search(f.evidence))
        tf = view.file(f.file)
        if not secret and tf is not None and tf.lang == "shell":  # file and host kept in variables
            url, secret = upload_target(tf, f.line)
            cls = host_class(url) if url and (secret or cls == "unknown") else cls
            secret = secret and bool(url) and cls not in ("local", "trusted")
        user_channel = cls == "exfil" and bool(_PLACEHOLDER_URL.search(f.value or f.evidence))
        dump = cls not in ("local", "trusted") and dump_upload(view, f.file, f.value)
        if lookalike(f.value):
            cls = "look-alike"
        if secret and cls != "local":
            sev = Severity.CRITICAL
        elif (cls in ("ip", "paste", "exfil", "look-alike") and not user_channel) or dump:
            sev = Severity.HIGH
        else:
            sev = Severity.LOW
        what = "a secret" if secret else "a database dump" if dump else "a file"
        yield Hit("E004", f.file, f.line, f"uploads {what} to a {cls} host", f.evidence, f.ctx, sev)
    yield from _git_push(view)


_GIT_PUSH_URL = re.compile(
    r"\bgit\s+(?:-c\s+\S+\s+)*(?:push|remote\s+add|remote\s+set-url)\b[^\n]*?((?:https?|ssh)://[^\s\"'`]+)",
    re.IGNORECASE,
)


def _git_push(view: SkillView) -> Iterator[Hit]:
    """E004 (medium): a repository pushed to a hard-coded remote on a host the skill does not declare."""
    claim = f"{view.skill.name} {view.skill.description}"
    for h in line_rule("E004", _GIT_PUSH_URL, "pushes the repository to a hard-coded remote", keywords=("git",))(view):
        tf = view.file(h.file)
        row = tf.raw_rows[h.line - 1] if tf is not None else h.evidence
        m = _GIT_PUSH_URL.search(row)
        if m is None:
            continue
        url = m.group(1)
        host = url.split("://", 1)[1].split("/", 1)[0].rsplit("@", 1)[-1]
        if not re.fullmatch(r"[\w.-]+\.[a-z]{2,}(?::\d+)?", host, re.IGNORECASE) or _PLACEHOLDER_URL.search(host):
            continue
        if host_class(url) in ("local", "trusted", "github") or vendor_declared(url, claim):
            continue
        yield Hit(h.rule, h.file, h.line, h.message + f" ({host})", h.evidence, h.context, Severity.MEDIUM)


_PLACEHOLDER_URL = re.compile(
    r"your|xxx|example|<|\{|\$|\.\.\.|placeholder|token_here|webhook_id|id/token", re.IGNORECASE
)
_CONCRETE_HOOK = re.compile(
    r"discord(?:app)?\.com/api/webhooks/\d{3,}/[\w-]{4,}|api\.telegram\.org/bot\d{5,}:[\w-]{10,}"
    r"|hooks\.slack\.com/services/T\w+/B\w+/\w+|webhook\.site/[0-9a-f-]{8,}|\w+\.m\.pipedream\.net"
    r"|[\w-]+\.(?:ngrok(?:-free)?\.(?:io|app)|trycloudflare\.com|oast\.\w+|interact\.sh|burpcollaborator\.net)",
    re.IGNORECASE,
)


_SESSION_SECRETS = re.compile(r"\bvalues?\s+of\s+(?:any|all|every)\s+(?:\w+\s+)?(?:tokens|keys|secrets)\b", re.I)


def _context_leak(view: SkillView) -> Iterator[Hit]:
    claim = f"{view.skill.name} {view.skill.description}"
    inner = line_rule(
        "E006",
        _CONTEXT_LEAK,
        "instructs the agent to send conversation/context data to a remote address",
        keywords=("http", "webhook", "discord", "telegram", "endpoint", "server", "remote", "@", "email", "our "),
        also=(
            "send",
            "post",
            "upload",
            "forward",
            "transmit",
            "share",
            "exfiltrat",
            "copy",
            "sync",
            "report",
            "log",
            "mail",
            "cc",
            "submit",
            "followed by",
            "append",
            "plus",
            "with",
            "contain",
            "includ",
            "carrying",
        ),
    )
    for h in inner(view):
        if re.search(r"\byour\s+(?:own\s+)?(?:backend|server|api|endpoint|webhook)|\bonly\s+send\b", h.evidence, re.I):
            continue
        urls = URL.findall(h.evidence)
        # the skill's own vendor may get the conversation it is about, never the session's keys
        tf = view.file(h.file)
        own = claim if tf is None or not _SESSION_SECRETS.search(tf.raw_rows[h.line - 1]) else ""
        if urls and all(host_class(u) in ("local", "trusted") or (own and vendor_declared(u, own)) for u in urls):
            continue
        yield h


def _webhooks(view: SkillView) -> Iterator[Hit]:
    claim = f"{view.skill.name} {view.skill.description}".lower()
    declared = any(
        w in claim
        for w in (
            "discord",
            "telegram",
            "slack",
            "webhook",
            "notif",
            "alert",
            "bot",
            "ngrok",
            "tunnel",
            "cloudflare",
            "pipedream",
            "chat",
            "message",
        )
    )
    for h in line_rule(
        "E005",
        _WEBHOOK,
        "sends data to a webhook/collection endpoint",
        keywords=(
            "discord",
            "telegram",
            "slack",
            "webhook",
            "requestbin",
            "pipedream",
            "ngrok",
            "trycloudflare",
            "burp",
            "interact.sh",
            "oast.",
            "canarytoken",
        ),
    )(view):
        url = next((m.group(0) for m in URL.finditer(h.evidence)), h.evidence)
        concrete = bool(_CONCRETE_HOOK.search(url)) and not _PLACEHOLDER_URL.search(url)
        low = declared or not concrete
        yield Hit(
            h.rule,
            h.file,
            h.line,
            h.message + ("" if concrete else " (placeholder or user-supplied URL)"),
            h.evidence,
            h.context,
            Severity.LOW if low else None,
            0.5 if low else None,
        )


def _flows(view: SkillView) -> Iterator[Hit]:
    for f in view.facts_of("py.flow", "js.flow"):
        if f.value in ("secret->network", "user_files->network"):
            yield Hit("E007", f.file, f.line, f.detail, f.evidence, f.ctx)
        elif f.value == "secret->exec":
            yield Hit("E007", f.file, f.line, f.detail, f.evidence, f.ctx, Severity.MEDIUM, 0.6)


def _chain(view: SkillView) -> Iterator[Hit]:
    """Sensitive read and outbound transmission close together: same script, or within a few lines of SKILL.md."""
    reads = [s for s in sensitive_reads(view) if s.active]
    if not reads:
        return
    sends = [s for s in egress(view) if s.active]
    for s in sends:
        tf = view.file(s.file)
        script = tf is not None and tf.role == "script"
        for r in reads:
            if r.file != s.file or not (script or abs(r.lineno - s.lineno) <= 12):
                continue
            if s.kind == "egress_declared" and r.kind != "credential":
                continue
            ctx = (
                s.line.ctx
                if s.line is not None
                else next((f.ctx for f in view.facts if f.file == s.file and f.line == s.lineno), None)
            )
            yield Hit(
                "E009",
                s.file,
                s.lineno,
                f"reads {r.kind} ({r.file}:{r.lineno}) and sends data out ({s.file}:{s.lineno})",
                f"{r.evidence[:80]} ... {s.evidence[:80]}",
                ctx,
            )
            return


def _fs_enum(view: SkillView) -> Iterator[Hit]:
    yield from _cred(view, ("user_files",), "E008", "enumerates the user's files")


RULES = [
    Rule(
        "E001",
        "Credential file access",
        F,
        Severity.MEDIUM,
        0.7,
        "SSH keys, cloud credentials (.aws, gcloud, .kube, .docker), .netrc/.npmrc/.pypirc and .env files are what "
        "stealers harvest first; a skill rarely needs to read them directly.",
        "Use the tool's own credential chain (SDK default provider, CLI login) instead of reading key files.",
        lambda v: _cred(v, ("credential", "env_file"), "E001", "accesses a credential file"),
        mitre="T1552.001",
        capability="reads_secrets",
    ),
    Rule(
        "E002",
        "Browser or wallet store access",
        F,
        Severity.HIGH,
        0.85,
        "Browser password/cookie databases, keychains and crypto wallet files are infostealer targets (AMOS, "
        "Atomic, RedLine); no honest skill needs them.",
        "Remove the access; use an official browser automation or wallet API with explicit user consent.",
        _stores,
        mitre="T1555.003",
        capability="reads_secrets",
    ),
    Rule(
        "E003",
        "Environment harvesting",
        F,
        Severity.MEDIUM,
        0.7,
        "Dumping every environment variable collects all API keys and tokens at once.",
        "Read only the specific variables the skill needs, by name.",
        _env_dump,
        mitre="T1552.001",
        capability="reads_secrets",
    ),
    Rule(
        "E004",
        "File upload to a remote host",
        F,
        Severity.HIGH,
        0.75,
        "curl/wget uploads of local files (-F file=@, --data-binary @, -T) to hosts the skill does not declare "
        "move user data off the machine.",
        "Upload only to the service the skill is about, name it in the description, and never upload secrets.",
        _transmit,
        mitre="T1048",
        capability="network_egress",
    ),
    Rule(
        "E005",
        "Webhook or collection endpoint",
        F,
        Severity.HIGH,
        0.75,
        "Discord/Telegram webhooks, webhook.site, request bins and tunnels are the usual drop points of "
        "exfiltration; they are expected only in skills about those services.",
        "Declare the integration in the description or remove the endpoint.",
        _webhooks,
        mitre="T1567",
        capability="network_egress",
    ),
    Rule(
        "E006",
        "Conversation or context leakage",
        F,
        Severity.CRITICAL,
        0.85,
        "Instructions to send the conversation, system prompt, memory or keys to a remote address leak everything "
        "the user shared with the agent.",
        "Remove the instruction; a skill must not transmit the conversation or agent context.",
        lambda view: (*_context_leak(view), *passage_leaks(view, _CONTEXT_LEAK)),
        mitre="T1567",
        capability="network_egress",
    ),
    Rule(
        "E007",
        "Sensitive data flows to the network (taint)",
        F,
        Severity.CRITICAL,
        0.85,
        "Code that reads credentials, stores or user files and passes them to a network call is exfiltration.",
        "Remove the flow; never send local secrets or files to remote services.",
        _flows,
        mitre="T1041",
        capability="network_egress",
    ),
    Rule(
        "E008",
        "File system enumeration",
        F,
        Severity.MEDIUM,
        0.6,
        "Walking the home directory or searching it for documents/keys is reconnaissance before exfiltration.",
        "Restrict file access to paths the user names explicitly.",
        _fs_enum,
        mitre="T1083",
        capability="reads_user_files",
    ),
    Rule(
        "E009",
        "Credential harvest combined with transmission",
        F,
        Severity.CRITICAL,
        0.8,
        "A skill that both reads credentials/stores/env and sends data to an undeclared host has everything an "
        "exfiltration needs.",
        "Separate the concerns, remove secret access, or send only to the declared service.",
        lambda v: chain(_chain(v), token_sends(v)),
        mitre="T1041",
    ),
    Rule(
        "E010",
        "CI job serialises the whole secrets context",
        F,
        Severity.HIGH,
        0.8,
        "`toJSON(secrets)` puts every repository/organisation secret into one value; workflows need named secrets, "
        "and a step that dumps them all (GhostAction, tj-actions) exists to leak them to logs or a remote host.",
        "Reference only the secrets a step needs (`${{ secrets.NAME }}`), never the whole context.",
        line_rule(
            "E010",
            re.compile(r"\btoJSON\s*\(\s*secrets\s*\)", re.IGNORECASE),
            "a CI step serialises every secret (toJSON(secrets))",
            keywords=("secrets",),
            also=("tojson",),
        ),
        mitre="T1552.001",
        capability="reads_secrets",
    ),
]
