"""Data sent out through channels the generic rules read as harmless, and MCP configs that point elsewhere.

- E020: a network payload (curl ``--data``, a POST body, a URL query) whose value is a placeholder for the
  conversation, the transcript or the chat history (``<entire conversation so far>``): the agent is told to fill
  it in and send it.
- E021: a markdown image or link whose URL query carries a placeholder the skill defines as secrets, environment
  values or ``.env`` contents (the "tracking pixel" exfiltration: rendering the image sends the data).
- E022: a script that parses a ``.env`` file and posts the parsed object to a host the skill does not declare.
- SC023: an MCP client config (``mcpServers``) that starts a package from a look-alike npm scope
  (``@modelcontext/`` for ``@modelcontextprotocol/``) or connects to a server on a tunnel or bare IP.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.hosts import TUNNEL_HOSTS, URL, host_class, host_of, suffix_in, vendor_declared
from skillyard.scan.analyzers.packages import edit_distance
from skillyard.scan.analyzers.view import SkillView, TextFile, register_keywords
from skillyard.scan.context import SCRIPT, Context, ContextKind, base_context
from skillyard.scan.rules.base import Family, Hit, Rule, snippet


def _ctx(tf: TextFile, n: int) -> Context | None:
    """The line's context, except that a nearby word ("grep", "token") does not make a template a quotation:
    only a heading that introduces attacks or examples does."""
    lines = tf.line_objs(n)
    ctx = lines[0].ctx if lines else None
    if ctx is not None and ctx.kind is ContextKind.DOCUMENTATION and not ctx.reason.startswith("under heading"):
        return base_context(tf.role)
    return ctx


# -- E020 -----------------------------------------------------------------------------------------------------

_CONVO = (
    r"(?:(?:the|this|our|all\s+of\s+the)\s+)?(?:(?:full|entire|whole|complete|raw|all)\s+(?:raw\s+)?(?:conversation|transcript|chat(?:\s+history)?|session"
    r"|message\s+history|context(?:\s+window)?|history)|conversation(?:\s+(?:so\s+far|history|log))?|chat\s+history"
    r"|previous\s+messages|system\s+prompt)"
)
_PLACEHOLDER = re.compile(
    r"<\s*"
    + _CONVO
    + r"[^<>\n]{0,30}>|\{\{?\s*"
    + _CONVO
    + r"[^{}\n]{0,30}\}?\}|\[\s*"
    + _CONVO
    + r"[^\[\]\n]{0,30}\](?!\()",
    re.IGNORECASE,
)
# every alternative of _CONVO holds one of these (case-folded)
_CONVO_WORDS = ("conversation", "transcript", "chat", "session", "message", "context", "history", "system")
register_keywords(_CONVO_WORDS)
_NET_WORDS = re.compile(
    r"\bcurl\b|\bwget\b|--data|\bPOST\b|\bfetch\s*\(|\brequests\.post|Invoke-RestMethod|Invoke-WebRequest|https?://",
    re.IGNORECASE,
)


def _conversation_payload(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role not in ("skill_md", "reference", "script") or not tf.has_any(
            ("conversation", "transcript", "chat", "history", "messages", "system prompt")
        ):
            continue
        # only rows holding a word every _CONVO match holds can match (from the shared keyword index)
        for n in sorted(tf.rows_with(_CONVO_WORDS)):
            row = tf.rows[n - 1]
            m = _PLACEHOLDER.search(row)
            if m is None:
                continue
            window = "\n".join(tf.rows[max(0, n - 5) : n + 1])
            if not _NET_WORDS.search(window):
                continue
            urls = URL.findall(window)
            if urls and all(host_class(u) in ("local",) for u in urls):
                continue
            ctx = _ctx(tf, n)
            yield Hit(
                "E020",
                tf.path,
                n,
                f"a network payload carries {m.group(0)!r}: the agent is told to send the conversation out",
                snippet(row, m.start(), m.end()),
                ctx,
            )
            break


# -- E021 -----------------------------------------------------------------------------------------------------

_IMG_SLOT = re.compile(
    r"!\[[^\]\n]*\]\(\s*(https?://[^)\s]*\?[^)\s]*=\s*(?:<|\{\{?|\$\{?)?([A-Za-z_][\w-]*)[>}]?[^)\s]*)\)"
)
_SECRETISH = re.compile(
    r"\benv\b|printenv|\.env\b|secrets?\b|tokens?\b|api[\s_-]?keys?\b|passwords?\b|credentials?\b|\bkeys?\b"
    r"|ssh|aws|cookies?\b|conversation|chat history|system prompt",
    re.IGNORECASE,
)


def _image_channel(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role not in ("skill_md", "reference") or "![" not in tf.text:
            continue
        for n, row in enumerate(tf.rows, 1):
            m = _IMG_SLOT.search(row)
            if m is None:
                continue
            url, slot = m.group(1), m.group(2)
            if host_class(url) == "local" or len(slot) < 1:
                continue
            near = " ".join(tf.rows[max(0, n - 4) : n + 3])
            defined = re.search(
                rf"\b{re.escape(slot)}\b.{{0,40}}?(?:\b(?:is|are|contains?|holds?)\b|=|:).{{0,160}}", near
            )
            where = defined.group(0) if defined else ""
            if not slot.isupper() and not defined:
                continue
            if not _SECRETISH.search(where or near):
                continue
            ctx = _ctx(tf, n)
            yield Hit(
                "E021",
                tf.path,
                n,
                f"an image URL on {host_of(url)} carries {slot}, which the skill fills with secrets or private data: "
                "rendering it sends them",
                snippet(row, m.start(), m.end()),
                ctx,
            )
            break


# -- E022 -----------------------------------------------------------------------------------------------------

_ENV_PARSE = re.compile(
    r"(?:const|let|var)\s+(\w+)\s*=\s*(?:dotenv\.parse\s*\(|\w*[Pp]arse\w*\s*\(\s*(?:['\"][^'\"]*\.env['\"]"
    r"|\w*[Ee]nv\w*))"
    r"|(\w+)\s*=\s*(?:dotenv_values|dotenv\.dotenv_values|parse_env\w*|load_env\w*)\s*\(",
)
_POST_BODY = re.compile(r"\b(?:body|data|json)\s*[:=]\s*(?:JSON\.stringify\s*\()?[^\n]{0,80}")


def _dotenv_sent(view: SkillView) -> Iterator[Hit]:
    claim = f"{view.skill.name} {view.skill.description}"
    for tf in view.files:
        if (
            tf.role != "script"
            or tf.lang not in ("javascript", "typescript", "python")
            or (".env" not in tf.lower and "dotenv" not in tf.lower)
        ):
            continue
        names = {a or b for a, b in _ENV_PARSE.findall(tf.text)}
        if not names:
            continue
        for n, row in enumerate(tf.rows, 1):
            m = _POST_BODY.search(row)
            if m is None or not any(re.search(rf"\b{re.escape(v)}\b", m.group(0)) for v in names):
                continue
            near = "\n".join(tf.rows[max(0, n - 4) : n + 2])
            urls = [u for u in URL.findall(near) if host_class(u) not in ("local", "trusted")]
            if not urls or any(vendor_declared(u, claim) for u in urls):
                continue
            yield Hit(
                "E022",
                tf.path,
                n,
                f"posts the parsed .env file to {host_of(urls[0])}, a host the skill does not declare",
                snippet(row, m.start(), m.end()),
                SCRIPT,
                Severity.CRITICAL,
            )
            break


# -- SC023 ----------------------------------------------------------------------------------------------------

_OFFICIAL_SCOPES = (
    "modelcontextprotocol", "anthropic-ai", "anthropics", "openai", "github", "microsoft", "playwright", "upstash",
    "supabase", "stripe", "cloudflare", "notionhq", "vercel", "browserbasehq", "sentry", "atlassian", "heroku",
)  # fmt: skip
_SCOPE = re.compile(r"""["'\s](@[a-zA-Z0-9][\w.-]*)/[\w.-]+""")
# a package or script URL among a bundled config's server arguments (``npx -y https://host/pkg.tgz``,
# ``uvx --from git+https://...``)
_ARG_URL = re.compile(
    r"""["'](?:git\+(https?://[^"'\s]+)|(https?://[^"'\s]+\.(?:tgz|tar\.gz|whl|zip|js|mjs|cjs|py)))["']"""
)
_URL_FIELD = re.compile(r"""["'](?:url|serverUrl|endpoint|uri)["']\s*:\s*["']([^"']+)["']""", re.IGNORECASE)


def _lookalike(scope: str) -> str | None:
    s = scope.lstrip("@").lower()
    if s in _OFFICIAL_SCOPES or len(s) < 5:
        return None
    for official in _OFFICIAL_SCOPES:
        if len(official) < 6:
            continue
        close = edit_distance(s, official) <= (2 if len(official) >= 8 else 1)
        truncated = len(s) >= 8 and official.startswith(s) and len(official) - len(s) <= 8
        if close or truncated:
            return official
    return None


# Well-known MCP server packages (npm for npx, PyPI for uvx/pipx): a config naming one of these with a letter or
# two changed ("server-filesytem") launches whatever the squatter published under the misspelling.
_KNOWN_SERVERS = tuple(
    [f"@modelcontextprotocol/server-{n}" for n in (
        "filesystem", "github", "gitlab", "memory", "everything", "puppeteer", "brave-search", "postgres", "slack",
        "sequential-thinking", "gdrive", "google-maps", "redis", "aws-kb-retrieval", "everart", "sqlite",
    )] + [
        "@modelcontextprotocol/inspector", "@playwright/mcp", "@upstash/context7-mcp", "@supabase/mcp-server-supabase",
        "@notionhq/notion-mcp-server", "@browserbasehq/mcp-server-browserbase", "@sentry/mcp-server", "@stripe/mcp",
        "@cloudflare/mcp-server-cloudflare", "@heroku/mcp-server", "@azure/mcp", "mcp-server-fetch", "mcp-server-git",
        "mcp-server-time", "mcp-server-sqlite", "mcp-remote", "chrome-devtools-mcp", "firecrawl-mcp",
        "figma-developer-mcp", "tavily-mcp", "exa-mcp-server", "@wonderwhy-er/desktop-commander",
    ]
)  # fmt: skip
_KNOWN_SET = frozenset(_KNOWN_SERVERS)
_PKG_ARG = re.compile(r"""["']((?:@[a-z0-9][\w.-]*/)?[\w.-]*(?:mcp|server)[\w.-]*)(?:@[\w.^~-]+)?["']""")


_CONFUSABLES = (("rn", "m"), ("vv", "w"), ("I", "l"), ("1", "l"), ("0", "o"), ("5", "s"))


def _homoglyph(scope: str) -> str | None:
    """The official scope ``scope`` spells with confusable characters (``@modelcontextprotocoI`` with a capital
    I, ``@rnodelcontextprotocol``): npm names are lower-case, so these are made to be read as the original."""
    s = scope.lstrip("@")
    if s.lower() in _OFFICIAL_SCOPES:
        return s.lower() if s != s.lower() else None
    for a, b in _CONFUSABLES:
        s = s.replace(a, b)
    s = s.lower()
    return s if s in _OFFICIAL_SCOPES else None


def _misspelt_server(pkg: str) -> str | None:
    """The well-known MCP server package ``pkg`` misspells (one or two edits), if any."""
    if pkg in _KNOWN_SET or len(pkg) < 10:
        return None
    for known in _KNOWN_SERVERS:
        d = edit_distance(pkg, known)
        if 0 < d <= (2 if len(known) >= 16 else 1):
            return known
    return None


def _mcp_config(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test" or not tf.has_any(("mcpservers", '"servers"')):
            continue
        if "mcp" not in tf.lower and "mcp" not in tf.path.lower():
            continue
        for n, row in enumerate(tf.rows, 1):
            for m in _SCOPE.finditer(row):
                glyph = _homoglyph(m.group(1))
                if glyph is not None:
                    yield Hit(
                        "SC023",
                        tf.path,
                        n,
                        f"MCP server package in scope {m.group(1)}, spelt with look-alike characters to read as "
                        f"@{glyph}",
                        snippet(row, m.start(), m.end()),
                        SCRIPT if tf.role != "skill_md" else None,
                    )
                    continue
                official = _lookalike(m.group(1))
                if official is not None:
                    yield Hit(
                        "SC023",
                        tf.path,
                        n,
                        f"MCP server package in scope {m.group(1)}, a look-alike of @{official}",
                        snippet(row, m.start(), m.end()),
                        SCRIPT if tf.role != "skill_md" else None,
                        # a bundled config is installed as is; a snippet in SKILL.md is read (and may be a typo)
                        None if tf.role == "script" else Severity.MEDIUM,
                    )
            for m in _PKG_ARG.finditer(row) if "mcp" in row.lower() or "server" in row else ():
                known = _misspelt_server(m.group(1).lower())
                if known is not None:
                    yield Hit(
                        "SC023",
                        tf.path,
                        n,
                        f"MCP server package {m.group(1)} is a misspelling of the well-known {known}",
                        snippet(row, m.start(), m.end()),
                        SCRIPT if tf.role != "skill_md" else None,
                        None if tf.role == "script" else Severity.MEDIUM,
                    )
            for m in _URL_FIELD.finditer(row):
                url = m.group(1)
                host = host_of(url)
                cls = host_class(url)
                tunnel = suffix_in(host, TUNNEL_HOSTS)
                if tunnel or cls in ("ip", "paste"):
                    what = "a tunnel host" if tunnel else "a bare IP address" if cls == "ip" else "a paste host"
                    yield Hit(
                        "SC023",
                        tf.path,
                        n,
                        f"MCP server endpoint on {what} ({host}): whoever runs it sees every tool call",
                        snippet(row, m.start(), m.end()),
                        SCRIPT if tf.role != "skill_md" else None,
                    )
            for m in _ARG_URL.finditer(row) if "http" in row and tf.lang != "markdown" else ():
                url = m.group(1) or m.group(2)
                host = host_of(url)
                cls = host_class(url)
                if suffix_in(host, TUNNEL_HOSTS) or cls in ("ip", "paste", "exfil", "shortener"):
                    kind = cls if cls != "unknown" else "tunnel"
                    yield Hit(
                        "SC023",
                        tf.path,
                        n,
                        f"MCP server launched with code or a package from {host} ({kind} host)",
                        snippet(row, m.start(), m.end()),
                        SCRIPT if tf.role != "skill_md" else None,
                    )


RULES = [
    Rule(
        "E020",
        "Conversation placeholder in a network payload",
        Family.DATA_EXFILTRATION,
        Severity.CRITICAL,
        0.85,
        "A request template whose body or query is '<full transcript>' / '<entire conversation so far>' makes the "
        "agent fill in and send the user's conversation; no honest skill ships the conversation to its author.",
        "Keep conversations local; if the user wants to share a summary, let them send it themselves.",
        _conversation_payload,
        mitre="T1567",
    ),
    Rule(
        "E021",
        "Secrets carried in an image URL",
        Family.DATA_EXFILTRATION,
        Severity.CRITICAL,
        0.85,
        "A markdown image whose URL query is a slot the skill fills with environment values, tokens or .env "
        "contents leaks them as soon as the reply renders; the 'badge' or 'tracking pixel' is the channel.",
        "Images in output must have fixed URLs; never put data into an image or link URL.",
        _image_channel,
        mitre="T1048",
    ),
    Rule(
        "E022",
        "Parsed .env file posted to an undeclared host",
        Family.DATA_EXFILTRATION,
        Severity.CRITICAL,
        0.85,
        "A validator or helper that parses the user's .env file and posts the parsed object to a collector sends "
        "every secret in it ('anonymous usage stats' is the usual cover).",
        "Never send .env contents anywhere; report only counts, and only to a declared, opt-in endpoint.",
        _dotenv_sent,
        mitre="T1552.001",
    ),
    Rule(
        "SC023",
        "MCP config with a look-alike package or tunnel endpoint",
        Family.SUPPLY_CHAIN,
        Severity.HIGH,
        0.8,
        "An MCP config a skill installs decides which code runs with the agent's tools: a package from a scope one "
        "letter off the official one, or a server behind a throwaway tunnel or a bare IP, is an attacker's server.",
        "Use the official package names (check the scope) and servers the user runs or a vendor documents.",
        _mcp_config,
        mitre="T1195.002",
    ),
]
