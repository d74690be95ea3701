"""Data sent out by configuration the user installs rather than by a request in the script (blind13
log-shipper-quickstart, git-credential-keeper, git-mirror-safety, dns-health-check).

- **E037.** A log-shipper config (Fluent Bit ``[INPUT]``/``[OUTPUT]``, fluentd ``<source>``/``<match>``, Vector
  ``[sources.*]``/``[sinks.*]``, Promtail ``__path__``, Filebeat ``filebeat.inputs``, the OpenTelemetry ``filelog``
  receiver) whose inputs tail credential files, ``.env`` files or shell history and whose output is a hard-coded
  network host: once the agent (or the user) installs it, the daemon streams the keys out for good. A shipper that
  tails application logs, or tails history into a local file, is not matched.
- **E038.** Git set up to copy what it handles to another place: a ``credential.helper`` whose shell function pipes
  the credentials git hands it into ``curl``/``wget``/``nc`` with an upload (the real helper still answers, so
  nothing looks wrong), or a second push URL (``git remote set-url --add --push``, ``remote.*.pushurl``) on a
  hard-coded host that is not a public forge, with a password in the URL or an immediate quiet push of everything:
  each later ``git push`` silently copies the private repository. A helper that fetches a token (``op read``,
  ``gh auth git-credential``) or a mirror URL on GitHub/GitLab, or taken from the user, is not matched.
- **E043.** Data leaked through DNS: a script that reads a secret (credential file, ``.env``, the environment),
  hex/base32-encodes it and resolves names built from it (``Resolve-DnsName``, ``nslookup``, ``dig``,
  ``gethostbyname``, ``dns.resolve``) sends the secret to whoever runs the zone's name server, past proxies and
  firewalls that only watch HTTP. A latency probe resolving random names is not matched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.hosts import host_of
from skillyard.scan.analyzers.secrets import secret_kind
from skillyard.scan.analyzers.view import SkillView, TextFile, register_keywords
from skillyard.scan.context import SCRIPT, Context
from skillyard.scan.rules.automation_exfil import outside
from skillyard.scan.rules.base import Family, Hit, Rule, snippet

# -- E037: log shippers -----------------------------------------------------------------------------------------

_SHIPPER_KEYS = ("[input]", "<source>", "[sources.", "__path__", "filebeat.inputs", "filelog", "[[inputs.tail]]")
_SHIPPER = re.compile(
    r"^\s*\[INPUT\]|^\s*<source>|^\s*\[sources\.|__path__\s*:|filebeat\.inputs\s*:|^\s*filelog(?:/\w+)?\s*:"
    r"|^\s*\[\[inputs\.tail\]\]",
    re.IGNORECASE | re.MULTILINE,
)
_SECRET_PATH = re.compile(
    r"\.(?:bash|zsh|sh|python|psql|mysql)_history\b|\.aws/credentials\b|\.ssh/id_|\.git-credentials\b|\.netrc\b"
    r"|\.config/gcloud\b|\.kube/config\b|\.docker/config\.json|\.npmrc\b|\.pypirc\b|\.vault-token\b"
    r"|(?:^|[/\s,\"'\[=])\.env(?:\.[\w-]+)?(?=$|[\s,\"'\]])",
    re.IGNORECASE | re.MULTILINE,
)
_KEY = re.compile(
    r"^\s*-?\s*(?:(path|paths|include|__path__|files|file)|(host|hosts|uri|url|endpoint|address|server|urls))\b"
    r"\s*[=:]?\s*(.*)$",
    re.IGNORECASE,
)
_HOST_VAL = re.compile(r"^[-\[\"' ]*((?:https?|tcp|tls)://[^\s\"',\]]+|[A-Za-z0-9][\w.-]*\.[A-Za-z]{2,})")


def _values(rows: list[str], first: int = 1) -> Iterator[tuple[int, str, str]]:
    """(row, ``path``/``host``, value) for each key row, and for the ``- item`` / bracket rows of a list that
    opens with an empty value (Filebeat ``paths:`` then ``- /x``, Vector ``include = [`` then items)."""
    cont = ""
    for n, row in enumerate(rows, first):
        if m := _KEY.match(row):
            kind, value = ("path" if m.group(1) else "host"), m.group(3).strip()
            cont = kind if value in ("", "[") else ""
            yield n, kind, value
        elif cont and (item := row.strip()) and item[0] in "-\"'/~" and not item.startswith("]"):
            yield n, cont, item
        else:
            cont = ""


def _configs(tf: TextFile) -> Iterator[tuple[list[str], int]]:
    """The shipper configs of a file: the whole file, or in Markdown each fenced block (rows, first line)."""
    if tf.lang != "markdown":
        yield tf.rows, 1
    elif tf.md is not None:
        for first, last, _lang in tf.md.code_blocks():
            rows = tf.md.rows[first - 1 : last]
            if _SHIPPER.search("\n".join(rows)):
                yield rows, first


def _shippers(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test" or tf.lang in ("python", "javascript", "shell", "powershell"):
            continue
        if not tf.has_any(_SHIPPER_KEYS) or not _SHIPPER.search(tf.text):
            continue
        for rows, first in _configs(tf):
            read: tuple[int, str] | None = None
            dest: str | None = None
            for n, kind, value in _values(rows, first):
                if kind == "path" and read is None and (sp := _SECRET_PATH.search(value)):
                    read = (n, sp.group(0).strip(" ,\"'[="))
                elif kind == "host" and dest is None and (h := _HOST_VAL.match(value)):
                    url = h.group(1) if "://" in h.group(1) else "https://" + h.group(1)
                    if outside(url):
                        dest = host_of(url)
            if read and dest:
                yield Hit(
                    "E037",
                    tf.path,
                    read[0],
                    f"log-shipper config tails {read[1]} and forwards it to {dest}",
                    snippet(tf.rows[read[0] - 1].strip()),
                    _ctx(tf, read[0]),
                )
                break


# -- E038: git credential helpers and extra push URLs -----------------------------------------------------------

_ASSIGN = re.compile(r"^\s*(?:export\s+|local\s+|readonly\s+)?(\w+)=(.*)$")
_HELPER = re.compile(r"credential\.(?:\S+\.)?helper\s+(.+)$|^\s*helper\s*=\s*(.+)$", re.IGNORECASE)
_UPLOAD = re.compile(
    r"\|\s*(?:curl|wget|nc|ncat)\b|\b(?:curl|wget)\b[^;|&]*(?:\s-d\b|--data|\s-F\b|\s-T\b|--upload-file|--post-|@-)"
    r"|/dev/tcp/|\b(?:Invoke-WebRequest|Invoke-RestMethod|iwr|irm)\b[^;|]*-Body\b",
    re.IGNORECASE,
)
_PUSHURL = re.compile(
    r"\bgit\s+remote\s+set-url\s+(?:--\w+\s+)*--add\s+(?:--\w+\s+)*--push\s+\S+\s+(\S+)"
    r"|\bgit\s+remote\s+set-url\s+(?:--\w+\s+)*--push\s+(?:--\w+\s+)*--add\s+\S+\s+(\S+)"
    r"|\bremote\.[\w.-]+\.pushurl\s+(\S+)|^\s*pushurl\s*=\s*(\S+)",
    re.IGNORECASE,
)
_FORGES = (
    "github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "sr.ht", "dev.azure.com", "visualstudio.com",
    "gitee.com", "sourceforge.net", "huggingface.co", "gitea.com",
)  # fmt: skip
_GIT_KEYS = ("credential", "helper =", "helper=", "pushurl", "--push", "remote add")
_REMOTE_ADD = re.compile(r"\bgit\s+remote\s+add\s+(?:-\S+\s+)*([\w.-]+)\s+[\"']?(\S+?)[\"']?(?=\s|$|&&|;)")
_QUIET_PUSH = (
    r"\bgit\s+push\b(?=[^\n]*\b{name}\b)(?=[^\n]*(?:--all|--mirror))(?=[^\n]*(?:--quiet|\s-q\b|>\s*/dev/null|&\s*$))"
)
_INLINE_PW = re.compile(r"://[^/@\s:]+:[^/@\s]+@")


def _vars(tf: TextFile) -> dict[str, str]:
    out: dict[str, str] = {}
    for row in tf.rows:
        if "=" in row and (m := _ASSIGN.match(row)):
            out[m.group(1)] = m.group(2).strip()
    return out


def _resolve(value: str, names: dict[str, str]) -> str:
    """``"$helper"`` -> the text assigned to ``helper`` in the same file (one step)."""
    m = re.fullmatch(r"[\"']?\$\{?(\w+)\}?[\"']?", value.strip())
    return names.get(m.group(1), value) if m else value


def _ctx(tf: TextFile, n: int) -> Context:
    """Script weight in code and config; in Markdown the line's own context (a quoted attack is documentation)."""
    lines = tf.line_objs(n) if tf.lang == "markdown" else []
    return lines[0].ctx if lines else SCRIPT


_SENDS = re.compile(
    r"\brequests\.(?:post|put)\(|\burlopen\(|\bhttpx\.(?:post|put)\(|\bfetch\([^)]*\bmethod\s*:\s*[\"']P(?:OST|UT)"
    r"|\bhttp\.Post(?:Form)?\(|\bNet::HTTP\.post|\baxios\.(?:post|put)\(",
)


def _bundled_helper_sends(view: SkillView, value: str) -> str:
    """A helper that is a script the skill ships (``!bash ~/.local/bin/cred.sh``, ``helper = acme`` run as
    ``git-credential-acme``) and that sends data out: the credentials git hands it on stdin go with it."""
    words = [w.strip("`'\".,;:()") for w in value.strip("\"'").lstrip("!").split()]
    if not words:
        return ""
    wanted = {w.rsplit("/", 1)[-1] for w in words if "/" in w or "." in w} | {f"git-credential-{words[0]}"}
    for other in view.files:
        name = other.path.rsplit("/", 1)[-1]
        if other.role == "test" or (name not in wanted and name.rsplit(".", 1)[0] not in wanted):
            continue
        if (m := _UPLOAD.search(other.text) or _SENDS.search(other.text)) is not None:
            return f"(its bundled script {other.path} runs {m.group(0).strip()[:40]})"
    return ""


def _pushed_quietly(text: str, name: str) -> bool:
    """``git push NAME --all --quiet`` (or ``--mirror``, output discarded, run in the background)."""
    return re.search(_QUIET_PUSH.format(name=re.escape(name)), text, re.MULTILINE) is not None


def _git_redirects(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test" or not tf.has_any(_GIT_KEYS):
            continue
        names: dict[str, str] | None = None
        for n in tf.candidate_numbers(_GIT_KEYS):
            row = tf.rows[n - 1]
            if "helper" in row and (m := _HELPER.search(row)):
                names = names if names is not None else _vars(tf)
                value = _resolve(m.group(1) or m.group(2), names)
                up = _UPLOAD.search(value) if value.lstrip("\"'").startswith("!") else None
                how = f"({up.group(0).strip()})" if up else _bundled_helper_sends(view, value)
                if how:
                    yield Hit(
                        "E038",
                        tf.path,
                        n,
                        f"git credential helper also sends the credentials it is given out {how}",
                        snippet(row.strip()),
                        _ctx(tf, n),
                    )
                    return
            if "remote add" in row and (r := _REMOTE_ADD.search(row)) and _pushed_quietly(tf.text, r.group(1)):
                url = r.group(2)
                if "://" not in url and "@" in url:
                    url = "ssh://" + url.replace(":", "/", 1)
                host = host_of(url)
                if outside(url) and not host.endswith(_FORGES):
                    yield Hit(
                        "E038",
                        tf.path,
                        n,
                        f"adds a remote on {host} and quietly pushes every branch there: the repository is copied out",
                        snippet(row.strip()),
                        _ctx(tf, n),
                    )
                    return
            if ("pushurl" in row or "--push" in row) and (m := _PUSHURL.search(row)):
                names = names if names is not None else _vars(tf)
                url = _resolve(next(g for g in m.groups() if g), names).strip("\"'")
                if "://" not in url and "@" in url:
                    url = "ssh://" + url.replace(":", "/", 1)  # git@host:owner/repo
                host = host_of(url)
                if not outside(url) or host.endswith(_FORGES):
                    continue
                quiet = re.search(r"\bgit\s+push\b[^\n]*(?:--all|--mirror)[^\n]*(?:&\s*$|>\s*/dev/null)", tf.text, re.M)
                if _INLINE_PW.search(url) or quiet:
                    why = "with a password in the URL" if _INLINE_PW.search(url) else "and quietly pushes every branch"
                    yield Hit(
                        "E038",
                        tf.path,
                        n,
                        f"adds a second push URL on {host} {why}: every later push copies the repository there",
                        snippet(row.strip()),
                        _ctx(tf, n),
                    )
                    return


register_keywords(_SHIPPER_KEYS + _GIT_KEYS)

# -- E043: DNS as the carrier -----------------------------------------------------------------------------------

_DNS_KEYS = ("resolve-dnsname", "nslookup", "dig ", "gethostbyname", "getaddrinfo", "dns.", "gethostentry",
             "gethostaddresses", "resolver", "lookuphost", "lookupip", "lookuptxt")  # fmt: skip
_LOOKUP = re.compile(
    r"\bResolve-DnsName\s+(?:-Name\s+)?[\"(]?\$|\b(?:nslookup|dig|drill|host)\s+(?:[-+]\S+\s+)*[\"']?\$"
    r"|\b(?:gethostbyname|getaddrinfo)\s*\(\s*(?![\"'][\w.-]+[\"']\s*[,)])"
    r"|\bdns\.(?:resolver\.)?(?:resolve|query|lookup)\w*\s*\(\s*(?![\"'][\w.-]+[\"']\s*[,)])"
    r"|\bDns\]?::(?:GetHostEntry|GetHostAddresses|Resolve)\w*\(\s*[\"']?\$"
    r"|\bLookup(?:Host|IP|TXT|Addr)\(\s*(?:ctx,\s*)?(?![\"'][\w.-]+[\"']\s*[,)])",
    re.IGNORECASE,
)
_ENCODE = re.compile(
    r"ToString\(\s*[\"']x2[\"']\s*\)|\bConvert\]?::ToHexString\b|BitConverter\]?::ToString\b|\.hex\(\)|\bhexlify\("
    r"|\bb32encode\(|\bbase32\b|\bxxd\s+-p\b|\bod\s+-A\s*n|toString\(\s*[\"']hex[\"']\s*\)|\bhexdump\b"
    r"|\bhex\.EncodeToString\(|\bbase32\.\w*Encoding\b",
    re.IGNORECASE,
)
_ENV_SRC = re.compile(
    r"\bos\.environ\b|\bos\.Environ\(\)|\bprocess\.env\b|\benv:\w+|Get-ChildItem\s+env:|\bprintenv\b|\benv\s*\|"
)


register_keywords(_DNS_KEYS)


def _dns(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role in ("test", "reference") or tf.lang == "markdown" or not tf.has_any(_DNS_KEYS):
            continue
        look = _LOOKUP.search(tf.text)
        if look is None or not _ENCODE.search(tf.text):
            continue
        kind = secret_kind(tf.text)
        if kind is None and not _ENV_SRC.search(tf.text):
            continue
        line = tf.text.count("\n", 0, look.start()) + 1
        yield Hit(
            "E043",
            tf.path,
            line,
            f"encodes {'a ' + kind.replace('_', ' ') if kind else 'environment values'} into names it resolves: "
            "the data leaves through DNS lookups",
            snippet(tf.rows[line - 1].strip()),
            SCRIPT,
        )


RULES = [
    Rule(
        "E037",
        "Log shipper forwards credential files or shell history",
        Family.DATA_EXFILTRATION,
        Severity.HIGH,
        0.8,
        "A Fluent Bit/fluentd/Vector/Promtail/Filebeat config that tails ~/.aws/credentials, .env files or shell "
        "history and forwards them to a hard-coded host streams the user's keys out for as long as the daemon runs.",
        "Ship only application log files, and only to a destination the user configures.",
        _shippers,
        mitre="T1552.001",
        capability="network_egress",
    ),
    Rule(
        "E038",
        "Git configured to copy credentials or pushes elsewhere",
        Family.DATA_EXFILTRATION,
        Severity.HIGH,
        0.8,
        "A credential helper that pipes what git hands it into an upload, or a second push URL on a hard-coded "
        "host, silently copies the user's tokens or private repository on every later git operation.",
        "Chain only to the platform's credential store, and add mirrors only to a URL the user supplies.",
        _git_redirects,
        mitre="T1048",
        capability="network_egress",
    ),
    Rule(
        "E043",
        "Secrets encoded into DNS lookups",
        Family.DATA_EXFILTRATION,
        Severity.HIGH,
        0.8,
        "Resolving names built from hex/base32-encoded secrets delivers them to the zone's name server, past "
        "proxies and firewalls that only inspect HTTP.",
        "Do not put file contents or environment values into hostnames; probe DNS with random names.",
        _dns,
        mitre="T1048.003",
        capability="network_egress",
    ),
]
