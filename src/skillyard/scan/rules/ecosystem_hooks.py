"""Build hooks of other ecosystems, and package registries redirected to a look-alike host.

SC020 reads the hooks most scanners know (Makefile lines, CI steps, setup.py, npm lifecycle scripts). Droppers
moved on to the hooks of other toolchains, which run just as silently on ``cargo build``, ``gem install`` or
``go generate``, and to the package manager's own configuration:

- SC024: a native build hook (cargo ``build.rs``, a gem's ``extconf.rb``/``Rakefile``/``mkrf_conf.rb``), a
  ``//go:generate`` directive or a build-recipe line fetches code from a host the skill does not vouch for and runs
  it. Official installer hosts are not reported; GitHub-hosted code is medium.
- SC025: a shipped ``.npmrc``/``.yarnrc``/``pip.conf``/requirements file, or a pip/npm command, points the package
  registry at a host that imitates the official one (``registry.npmjs-mirror.top``, ``pypi-mirror.*``), at a raw
  IP, or switches TLS verification off for it: every package then comes from whoever runs that host.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.hosts import URL, host_class, host_of
from skillyard.scan.analyzers.view import SkillView, TextFile, register_keywords
from skillyard.scan.context import SCRIPT
from skillyard.scan.rules.base import Family, Hit, Rule, snippet


def _templated(url: str) -> bool:
    """The host part is a variable or placeholder (``https://${HOST}/...``): the user's own server."""
    host = url.split("//", 1)[-1].split("/", 1)[0]
    return "$" in host or "{" in host or "<" in host


# -- SC024 ----------------------------------------------------------------------------------------------------

_NATIVE_HOOKS = ("build.rs", "extconf.rb", "mkrf_conf.rb", "rakefile")
_RECIPES = re.compile(r"(?:^|/)(?:makefile|gnumakefile|[\w.-]+\.mk|justfile)$")
_FETCH = re.compile(
    r"\b(?:curl|wget|Invoke-WebRequest|iwr|URI\.open|open-uri|Net::HTTP|reqwest|ureq|attohttpc|minreq|"
    r"http_req|urlopen|urlretrieve|http\.Get)\b",
    re.IGNORECASE,
)
_RUN = re.compile(
    r"\bCommand::new\b|\bsystem\s*[(\s]|\beval\b|\bexec\b|\bIO\.popen\b|\bspawn\b|%x[({\[]|`[^`\n]*curl"
    r"|\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b|\bchmod\s+(?:\+x|[0-7]*[1357][0-7]*)\b|\bsh\s+-c\b|\binstance_eval\b",
)
# a recipe line: fetch + URL + (pipe to shell | chmod +x | run from /tmp)
_RECIPE_RUN = re.compile(
    r"\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b|\bchmod\s+(?:\+x|[0-7]*[1357][0-7]*)\b|(?:&&|;)\s*(?:sudo\s+)?(?:/tmp/|\./)",
)


def _severity(url: str) -> Severity | None:
    cls = host_class(url)
    if cls in ("trusted", "local") or _templated(url):
        return None
    return Severity.MEDIUM if cls == "github" else Severity.HIGH


def _worst_url(text: str) -> tuple[str, Severity] | None:
    best: tuple[str, Severity] | None = None
    for url in URL.findall(text):
        sev = _severity(url)
        if sev is not None and (best is None or sev.rank > best[1].rank):
            best = (url, sev)
    return best


def _native_hook(tf: TextFile, name: str) -> Iterator[Hit]:
    text = tf.text
    if "://" not in text or not _FETCH.search(text) or not _RUN.search(text):
        return
    found = _worst_url(text)
    if found is None:
        return
    url, sev = found
    n = next((i for i, r in enumerate(tf.rows, 1) if url in r), 1)
    what = {"build.rs": "cargo build script", "extconf.rb": "gem native-extension hook"}.get(name, "gem build hook")
    yield Hit("SC024", tf.path, n, f"{what} fetches code from {host_of(url)} and runs it at build/install time",
              snippet(tf.rows[n - 1]), SCRIPT, sev)  # fmt: skip


def _line_hits(tf: TextFile, marker: str, what: str) -> Iterator[Hit]:
    for n, row in enumerate(tf.rows, 1):
        if marker not in row or "://" not in row or not _FETCH.search(row) or not _RECIPE_RUN.search(row):
            continue
        found = _worst_url(row)
        if found is not None:
            yield Hit("SC024", tf.path, n, f"{what} fetches code from {host_of(found[0])} and runs it",
                      snippet(row), SCRIPT, found[1])  # fmt: skip


def _hooks(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test":
            continue
        low = tf.path.lower()
        name = low.rsplit("/", 1)[-1]
        if name in _NATIVE_HOOKS:
            yield from _native_hook(tf, name)
        elif name.endswith(".go") and "go:generate" in tf.text:
            yield from _line_hits(tf, "go:generate", "//go:generate directive")
        elif _RECIPES.search(low) and "://" in tf.text:
            yield from _line_hits(tf, "://", "build recipe")


# -- SC025 ----------------------------------------------------------------------------------------------------

_REG_FILES = re.compile(
    r"(?:^|/)(?:[^/]*(?:npmrc|yarnrc|pip\.conf|pip\.ini|pypirc)[^/]*|bunfig\.toml|uv\.toml"
    r"|(?:requirements|constraints)[\w.-]*\.(?:txt|in))$"
)
_REG_KEYS = ("registry", "index-url", "index_url", "npmregistryserver", "--index", "-i http")
register_keywords(_REG_KEYS)
_CMD_REG = re.compile(r"\b(?:pip3?|uv pip|npm|yarn|pnpm|bun)\b[^\n]*(?:registry|index-url|index_url|-i https?:)")
_REG_LINE = re.compile(
    r"(?:^|[\s@:\w-])(?:registry|npmRegistryServer|(?:extra[-_])?index[-_]url|--index-url|--extra-index-url|-i)"
    r"\s*[=:\s]\s*[\"']?(?P<url>(?:https?://)?[^\s\"'`)<>]+)",
    re.IGNORECASE,
)
_OFFICIAL = (
    "registry.npmjs.org", "registry.yarnpkg.com", "npm.pkg.github.com", "pypi.org", "pypi.python.org",
    "files.pythonhosted.org", "download.pytorch.org", "pypi.nvidia.com", "registry.npmmirror.com",
    "mirrors.aliyun.com", "pypi.tuna.tsinghua.edu.cn", "mirrors.cloud.tencent.com", "repo.huaweicloud.com",
    "pypi.mirrors.ustc.edu.cn", "registry.npm.taobao.org",
)  # fmt: skip
_IMITATES = re.compile(r"pypi|pythonhosted|npmjs|yarnpkg|rubygems|crates|nuget|registry")
_NO_TLS = re.compile(r"strict-ssl\s*=\s*false|--trusted-host\b|enableStrictSsl\s*:\s*false|trusted-host\s*=",
                     re.IGNORECASE)  # fmt: skip


def _official(host: str) -> bool:
    return any(host == o or host.endswith("." + o) for o in _OFFICIAL)


def _registry(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test":
            continue
        low = tf.lower
        shipped = _REG_FILES.search(tf.path.lower()) is not None
        if not any(k in low for k in _REG_KEYS) or (not shipped and _CMD_REG.search(low) is None):
            continue
        no_tls = _NO_TLS.search(tf.text) is not None
        for n in sorted(tf.rows_with(_REG_KEYS)):  # the rows holding a key, from the shared keyword index
            row, lrow = tf.rows[n - 1], tf.lower_rows[n - 1]
            if not shipped and not re.search(r"\b(?:pip3?|uv pip|npm|yarn|pnpm|bun)\b", lrow):
                continue
            m = _REG_LINE.search(row)
            if m is None:
                continue
            raw = m.group("url")
            url = raw if "://" in raw else "https://" + raw
            host = host_of(url)
            cls = host_class(url)
            if not host or "." not in host or cls == "local" or _official(host) or "$" in raw or "<" in raw:
                continue
            if cls in ("ip", "paste", "exfil", "shortener"):
                why = f"a {cls} host"
            elif _IMITATES.search(host):
                why = "a host imitating an official registry's name"
            elif no_tls and shipped:
                why = "an unofficial host with TLS verification switched off"
            else:
                continue
            yield Hit("SC025", tf.path, n, f"points the package registry at {host} ({why})", snippet(row), SCRIPT)


RULES = [
    Rule(
        "SC024",
        "Build hook of another ecosystem fetches and runs code",
        Family.SUPPLY_CHAIN,
        Severity.HIGH,
        0.8,
        "cargo runs build.rs on every build, RubyGems runs extconf.rb on install and `go generate` runs its "
        "directives as shell commands; one that downloads code from an unvouched host and runs it is a dropper "
        "that fires the moment the user builds or installs the bundled package.",
        "Declare the dependency in the package manifest with a pinned version, or vendor it with a checksum.",
        _hooks,
        mitre="T1195.002",
    ),
    Rule(
        "SC025",
        "Package registry redirected to a look-alike host",
        Family.SUPPLY_CHAIN,
        Severity.HIGH,
        0.8,
        "An .npmrc, pip configuration, requirements file or install command that sends every package request to a "
        "host dressed up as the official registry (or a raw IP, or with TLS checks off) lets that host substitute "
        "any package the user installs afterwards.",
        "Use the official registry, or your organisation's documented mirror, with TLS verification on.",
        _registry,
        mitre="T1195.001",
        capability="installs_software",
    ),
]
