"""Remote modules imported by URL in JavaScript/TypeScript, and Deno run straight from a URL.

Deno and browsers fetch and run ``import ... from "https://..."`` (a bare ``import "https://..."`` runs for its side
effects alone) at load time, and ``deno run https://...`` runs whatever the host serves that day. Module CDNs and
registries (deno.land, jsr.io, esm.sh, jsDelivr, unpkg, Skypack, jspm) are where honest code comes from; a host
that imitates one of them (``esm-sh.cdn-edge.top``, ``unpkg.co``, ``jsdelivr.net.cdn-x.io``) exists to be mistaken
for it.

- SC029: a remote import or ``deno run``/``deno install`` of a URL whose host is a look-alike of a module registry,
  a bare IP, a paste or tunnel host (high), or another host that is not a known registry (medium); in a bundled
  HTML page, a ``<script src>`` or module import from a look-alike, bare-IP, paste or tunnel host (high only).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.hosts import TUNNEL_HOSTS, host_class, host_of, suffix_in
from skillyard.scan.analyzers.packages import edit_distance
from skillyard.scan.analyzers.view import SkillView, TextFile
from skillyard.scan.context import SCRIPT
from skillyard.scan.rules.base import Family, Hit, Rule, snippet

REGISTRIES = frozenset({
    "deno.land", "deno.com", "fresh.deno.dev", "jsr.io", "esm.sh", "jsdelivr.net", "unpkg.com", "skypack.dev",
    "esm.run", "jspm.io", "jspm.dev", "cdnjs.cloudflare.com", "cdnjs.com", "ajax.googleapis.com", "code.jquery.com",
    "nest.land", "denopkg.com", "esm.town", "pika.dev", "raw.githubusercontent.com", "gist.githubusercontent.com",
    "github.com", "gitlab.com",
})  # fmt: skip
# registry names as they appear in a look-alike host once separators are dropped ("esm-sh" -> "esmsh")
_NAMES = ("esmsh", "denoland", "jsdelivr", "unpkg", "skypack", "jsrio", "jspm", "cdnjs", "esmrun")

_IMPORT = re.compile(
    r"""\b(?:import|export)\b[^;'"`\n]{0,200}?\bfrom\s*(['"`])(https?://[^'"`\s]+)\1"""
    r"""|\bimport\s*\(?\s*(['"`])(https?://[^'"`\s]+)\3"""
)
# ``<script src="https://...">`` (classic or ``type="module"``) in a bundled HTML page: the browser runs it on open
_SCRIPT_SRC = re.compile(r"""<script\b[^>]*?\bsrc\s*=\s*["']?(https?://[^"'\s>]+)""", re.IGNORECASE)
_HTML = (".html", ".htm", ".xhtml")
_DENO_RUN = re.compile(r"\bdeno\s+(?:run|install|compile)\b[^\n|;&]*?\s(https?://[^\s'\"`]+)")


def lookalike(host: str) -> str | None:
    """The module registry ``host`` imitates (its name inside the host, or one letter off), else ``None``."""
    if suffix_in(host, REGISTRIES):
        return None
    compact = re.sub(r"[^a-z0-9]", "", host)
    for name in _NAMES:
        if name in compact:
            return name
    for label in re.split(r"[.-]", host):
        for name in _NAMES:
            if len(name) >= 5 and abs(len(label) - len(name)) <= 1 and edit_distance(label, name) == 1:
                return name
    return None


def _judge(url: str) -> tuple[str, Severity] | None:
    host = host_of(url)
    if not host or suffix_in(host, REGISTRIES):
        return None
    cls = host_class(url)
    if cls in ("local", "trusted", "github"):
        return None
    name = lookalike(host)
    if name is not None:
        return f"from {host}, a look-alike of the module registry {name!r}", Severity.HIGH
    if cls in ("ip", "paste", "exfil") or suffix_in(host, TUNNEL_HOSTS):
        return f"from {host} ({'a tunnel' if cls == 'unknown' else cls} host)", Severity.HIGH
    return f"from {host}, not a known module registry", Severity.MEDIUM


def _html_scripts(tf: TextFile) -> Iterator[Hit]:
    """Remote scripts and module imports of a bundled HTML page; an unknown CDN is everyday web practice, so only a
    look-alike, bare-IP, paste or tunnel host is reported."""
    for n, row in enumerate(tf.rows, 1):
        if "http" not in row or ("<script" not in row.lower() and "import" not in row):
            continue
        found = [(m, m.group(1), "loads a remote script") for m in _SCRIPT_SRC.finditer(row)]
        found += [(m, m.group(2) or m.group(4), "imports a remote module") for m in _IMPORT.finditer(row)]
        for m, url, what in found:
            bad = _judge(url)
            if bad is not None and bad[1] is Severity.HIGH:
                msg = f"HTML page {what} {bad[0]}: it runs when the page is opened"
                yield Hit("SC029", tf.path, n, msg, snippet(row, m.start(), m.end()), SCRIPT, bad[1])


def _remote_imports(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test" or not tf.has_any(("https://", "http://")):
            continue
        if tf.lang == "javascript" and tf.has_any(("import",)):
            for n, row in enumerate(tf.rows, 1):
                if "import" not in row or "http" not in row or row.lstrip().startswith(("//", "*")):
                    continue
                for m in _IMPORT.finditer(row):
                    bad = _judge(m.group(2) or m.group(4))
                    if bad is not None:
                        msg = f"imports a remote module {bad[0]}: its code runs at import time"
                        yield Hit("SC029", tf.path, n, msg, snippet(row, m.start(), m.end()), SCRIPT, bad[1])
        elif tf.path.lower().endswith(_HTML) and tf.has_any(("<script",)):
            yield from _html_scripts(tf)
        elif tf.lang in ("shell", "markdown") and tf.has_any(("deno ",)):
            for ln in tf.candidates(("deno ",)):
                d = _DENO_RUN.search(ln.text)
                bad = _judge(d.group(1)) if d else None
                if d is not None and bad is not None:
                    msg = f"runs a Deno program straight from a URL {bad[0]}"
                    yield Hit("SC029", tf.path, ln.lineno, msg, snippet(ln.text, d.start(), d.end()), ln.ctx, bad[1])


RULES = [
    Rule(
        "SC029",
        "Remote module imported from an unvetted or look-alike host",
        Family.SUPPLY_CHAIN,
        Severity.HIGH,
        0.75,
        "A JavaScript/TypeScript import of an https:// URL (or deno run of one) downloads and runs that code at load "
        "time; a host imitating a module CDN (esm-sh.example.top for esm.sh) or a bare IP serves the attacker's code. "
        "A bundled HTML page's <script src> from such a host runs when the page is opened.",
        "Import from the registries (jsr.io, deno.land, esm.sh, npm through a lockfile) and pin versions.",
        _remote_imports,
        mitre="T1195.002",
    ),
]
