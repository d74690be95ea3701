"""Build hooks of other ecosystems, and package registries redirected to a look-alike host.

SC020 reads the hooks most scanners know (Makefile lines, CI steps, setup.py, npm lifecycle scripts). Droppers
moved on to the hooks of other toolchains, which run just as silently on ``cargo build``, ``gem install`` or
``go generate``, and to the package manager's own configuration:

- SC024: a native build hook (cargo ``build.rs``, a gem's ``extconf.rb``/``Rakefile``/``mkrf_conf.rb``, a Gradle
  ``build.gradle``/``settings.gradle``/``init.gradle`` (``.kts`` too) that downloads with ``new URL(…)`` and runs with
  ``exec { commandLine … }``), an sbt build definition (``*.sbt``, ``project/*.scala``: loaded by every ``sbt``
  command; ``new java.net.URL(u) #> file`` then ``Process(Seq("java", "-jar", …))``/``.!``), a
  ``//go:generate`` directive or a build-recipe line fetches code from a host the skill does not vouch for and runs
  it. Official installer hosts are not reported; GitHub-hosted code is medium.
- SC025: a shipped ``.npmrc``/``.yarnrc``/``pip.conf``/requirements file, or a pip/npm command, points the package
  registry at a host that imitates the official one (``registry.npmjs-mirror.top``, ``pypi-mirror.*``), at a raw
  IP, or switches TLS verification off for it: every package then comes from whoever runs that host. A Go
  ``replace`` directive that swaps a module for a copy under a look-alike owner is the same attack on one module,
  and a ``GOPROXY`` on a host imitating the Go module proxy the same attack on all of them; so is a Gemfile
  ``source`` on a host imitating rubygems.org.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.hosts import URL, code_host_severity, host_class, host_of, templated_host
from skillyard.scan.analyzers.view import SkillView, TextFile, register_keywords
from skillyard.scan.context import SCRIPT
from skillyard.scan.rules.base import Family, Hit, Rule, snippet

# -- SC024 ----------------------------------------------------------------------------------------------------

_NATIVE_HOOKS = ("build.rs", "extconf.rb", "mkrf_conf.rb", "rakefile", "build.gradle", "build.gradle.kts",
                 "settings.gradle", "settings.gradle.kts", "init.gradle", "init.gradle.kts")  # fmt: skip
_SBT_PROJECT = re.compile(r"(?:^|/)project/[^/]+$")  # sbt compiles project/*.scala as part of the build
_RECIPES = re.compile(r"(?:^|/)(?:makefile|gnumakefile|[\w.-]+\.mk|justfile)$")
_FETCH = re.compile(
    r"\b(?:curl|wget|Invoke-WebRequest|iwr|URI\.open|open-uri|Net::HTTP|reqwest|ureq|attohttpc|minreq|"
    r"http_req|urlopen|urlretrieve|http\.Get|openStream|withInputStream)\b|\bnew\s+(?:java\.net\.)?URL\s*\("
    r"|\bURI\.create\s*\(",
    re.IGNORECASE,
)
_RUN = re.compile(
    r"\bCommand::new\b|\bsystem\s*[(\s]|\beval\b|\bexec\b|\bcommandLine\b|\bProcessBuilder\b|\bIO\.popen\b|\bspawn\b|%x[({\[]|`[^`\n]*curl"
    r"|\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b|\bchmod\s+(?:\+x|[0-7]*[1357][0-7]*)\b|\bsh\s+-c\b|\binstance_eval\b"
    r"|\bProcess\s*\(\s*Seq\b|\)\s*\.\s*!!?(?![=\w])",
)
# a recipe line: fetch + URL + (pipe to shell | chmod +x | run from /tmp)
_RECIPE_RUN = re.compile(
    r"\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b|\bchmod\s+(?:\+x|[0-7]*[1357][0-7]*)\b|(?:&&|;)\s*(?:sudo\s+)?(?:/tmp/|\./)",
)


def _worst_url(text: str) -> tuple[str, Severity] | None:
    best: tuple[str, Severity] | None = None
    for url in URL.findall(text):
        sev = code_host_severity(url)
        if sev is not None and (best is None or sev.rank > best[1].rank):
            best = (url, sev)
    return best


# ``format!("https://{}.xyz/s.sh", host)`` piped into a shell, where ``host`` is not read from the environment
# (``env::var``, ``ENV[...]``): the host is spelled in pieces inside the hook itself, which only hides it.
_PIPED = re.compile(r"\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b")
_FROM_ENV = re.compile(r"\benv::var|\benv!\s*\(|\boption_env!|\bENV\s*\[|\bENV\.fetch|\bgetenv\b")


def _assembled_host(text: str) -> tuple[str, Severity] | None:
    if _FROM_ENV.search(text) or not _PIPED.search(text):
        return None
    url = next((u for u in URL.findall(text) if templated_host(u)), None)
    return None if url is None else (url, Severity.HIGH)


def _native_hook(tf: TextFile, name: str) -> Iterator[Hit]:
    text = tf.text
    if "://" not in text or not _FETCH.search(text) or not _RUN.search(text):
        return
    found = _worst_url(text) or _assembled_host(text)
    if found is None:
        return
    url, sev = found
    n = next((i for i, r in enumerate(tf.rows, 1) if url in r), 1)
    what = {"build.rs": "cargo build script", "extconf.rb": "gem native-extension hook"}.get(name, "gem build hook")
    what = "Gradle build script" if ".gradle" in name else what
    what = "sbt build definition" if name.endswith((".sbt", ".scala")) else what
    where = "a host assembled in the hook" if templated_host(url) else host_of(url)
    yield Hit("SC024", tf.path, n, f"{what} fetches code from {where} and runs it at build/install time",
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
        if name in _NATIVE_HOOKS or name.endswith(".sbt") or (name.endswith(".scala") and _SBT_PROJECT.search(low)):
            yield from _native_hook(tf, name)
        elif name.endswith(".go") and "go:generate" in tf.text:
            yield from _line_hits(tf, "go:generate", "//go:generate directive")
        elif _RECIPES.search(low) and "://" in tf.text:
            yield from _line_hits(tf, "://", "build recipe")


# -- SC025 ----------------------------------------------------------------------------------------------------

_REG_FILES = re.compile(
    r"(?:^|/)(?:[^/]*(?:npmrc|yarnrc|pip\.conf|pip\.ini|pypirc)[^/]*|bunfig\.toml|uv\.toml|tox\.ini|setup\.cfg|pyproject\.toml"
    r"|poetry\.toml|pdm\.toml|(?:requirements|constraints)[\w.-]*\.(?:txt|in))$"
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
# Brands of the well-known public mirrors: a host carrying one that is not the brand's own domain imitates the
# mirror (``pypi.tuna-tsinghua-cdn.top`` for pypi.tuna.tsinghua.edu.cn; blind13 pip-mirror-cn). The imitation is
# the finding, so a placeholder TLD (``.example``) does not excuse it.
_MIRROR_BRANDS = re.compile(r"tsinghua|\btuna\b|aliyun|ustc|douban|tencent|huaweicloud|npmmirror|taobao|bfsu|sjtug")
_BRAND_HOMES = (
    "tsinghua.edu.cn", "aliyun.com", "aliyuncs.com", "ustc.edu.cn", "douban.com", "tencent.com", "tencentyun.com",
    "huaweicloud.com", "npmmirror.com", "taobao.org", "bfsu.edu.cn", "sjtu.edu.cn",
)  # fmt: skip
# A script that writes a package manager's global configuration (``cat > ~/.config/pip/pip.conf <<EOF``) ships that
# configuration as much as a bundled pip.conf does.
_WRITES_CONFIG = re.compile(
    r"(?:>|tee\b[^\n]*?)\s*[\"']?[~$][^\s\"']*?(?:pip\.conf|pip\.ini|uv\.toml|\.npmrc|\.yarnrc|\.pypirc)"
)
_SH_ASSIGN = re.compile(
    r"^\s*(?:export\s+|readonly\s+)?([A-Za-z_]\w*)=[\"']?(https?://[^\s\"']+)[\"']?\s*$", re.MULTILINE
)


def _imitated_brand(host: str) -> bool:
    home = any(host == h or host.endswith("." + h) for h in _BRAND_HOMES)
    return _MIRROR_BRANDS.search(host) is not None and not home


_NO_TLS = re.compile(r"strict-ssl\s*=\s*false|--trusted-host\b|enableStrictSsl\s*:\s*false|trusted[-_]host\s*=",
                     re.IGNORECASE)  # fmt: skip


def _official(host: str) -> bool:
    return any(host == o or host.endswith("." + o) for o in _OFFICIAL)


_CONFIG_NAMES = re.compile(r"pip\.conf|pip\.ini|\.npmrc|\.yarnrc|uv\.toml|bunfig\.toml|\.pypirc", re.IGNORECASE)
# hosted private registries (a company's own tenant): not an outsider's mirror
_PRIVATE_REGISTRY = re.compile(
    r"jfrog\.io$|pkgs\.dev\.azure\.com$|codeartifact\.[\w.-]+\.amazonaws\.com$|fury\.io$|cloudsmith\.io$"
    r"|pkg\.github\.com$|gitlab\.com$|nexus|artifactory|\.internal$|\.corp$|\.local$|\.lan$"
)


def _config_blocks(tf: TextFile) -> frozenset[int]:
    """Rows of fenced blocks in Markdown that the text presents as a package-manager config file to create
    (``pip.conf``, ``.npmrc``, ``uv.toml``... named in the block's first rows or in the two rows before it)."""
    if tf.md is None or not _CONFIG_NAMES.search(tf.text):
        return frozenset()
    rows: set[int] = set()
    for first, last, _lang in tf.md.code_blocks():
        around = "\n".join(tf.rows[max(0, first - 5) : min(first + 1, len(tf.rows))])
        if _CONFIG_NAMES.search(around):
            rows.update(range(first, last + 1))
    return frozenset(rows)


def _registry(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test":
            continue
        low = tf.lower
        shipped = _REG_FILES.search(tf.path.lower()) is not None
        if not tf.has_any(_REG_KEYS):
            continue
        if not shipped and tf.lang == "shell" and _WRITES_CONFIG.search(tf.text):
            shipped = True
        md_rows = _config_blocks(tf) if tf.lang == "markdown" else frozenset()
        if not shipped and not md_rows and _CMD_REG.search(low) is None:
            continue
        shvars = dict(_SH_ASSIGN.findall(tf.text)) if "$" in tf.text and tf.lang == "shell" else {}
        no_tls = _NO_TLS.search(tf.text) is not None
        for n in sorted(tf.rows_with(_REG_KEYS)):  # the rows holding a key, from the shared keyword index
            row, lrow = tf.rows[n - 1], tf.lower_rows[n - 1]
            in_block = n in md_rows
            if not shipped and not in_block and not re.search(r"\b(?:pip3?|uv pip|npm|yarn|pnpm|bun)\b", lrow):
                continue
            m = _REG_LINE.search(row)
            if m is None:
                continue
            raw = m.group("url")
            vm = re.fullmatch(r"\$\{?([A-Za-z_]\w*)\}?(/\S*)?", raw)
            if vm and vm.group(1) in shvars:  # index-url = $MIRROR, set a few lines above
                raw = shvars[vm.group(1)] + (vm.group(2) or "")
            url = raw if "://" in raw else "https://" + raw
            host = host_of(url)
            cls = host_class(url)
            brand = bool(host) and _imitated_brand(host) and "localhost" not in host
            if not host or "." not in host or (cls == "local" and not brand) or _official(host):
                continue
            if "$" in raw or "<" in raw:
                continue
            if brand:
                why = "a host imitating a well-known public mirror"
            elif cls in ("ip", "paste", "exfil", "shortener"):
                why = f"a {cls} host"
            elif _IMITATES.search(host):
                why = "a host imitating an official registry's name"
            elif no_tls and (shipped or in_block):
                why = "an unofficial host with TLS verification switched off"
            elif in_block and cls == "unknown" and not _PRIVATE_REGISTRY.search(host):
                why = "a global package-manager config the user is told to create: every install resolves there"
            else:
                continue
            yield Hit("SC025", tf.path, n, f"points the package registry at {host} ({why})", snippet(row), SCRIPT)


# Go: a ``replace`` directive (go.mod, ``go mod edit -replace``) that swaps a module for one published by an owner
# whose name imitates the original's (``github.com/spf13/cobra => github.com/spf13-cobra/cobra``,
# ``golang.org/x/net => github.com/golang-net-mirror/net``). A fork by the user's own organisation or a local path is
# not reported. Turning the checksum database off (``GONOSUMDB=*``, ``GOSUMDB=off``) is named as an aggravation.
_MOD = r"[a-z0-9][\w.-]*\.[a-z]{2,}(?:/[\w.~-]+)+"
_GO_REPLACE = re.compile(
    rf"^\s*(?:replace\s+)?(?P<a>{_MOD})(?:\s+v[\w.+-]+)?\s*=>\s*(?P<b>{_MOD})(?:\s+v[\w.+-]+)?\s*$"
    rf"|-replace[= ]\s*(?P<a2>{_MOD})(?:@[\w.+-]+)?=(?P<b2>{_MOD})",
    re.IGNORECASE,
)
_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "gitee.com")
_SUM_OFF = re.compile(r"\bGOSUMDB\s*=\s*['\"]?off\b|\bGONOSUMDB\s*=\s*['\"]?\*|\bGONOSUMCHECK\s*=\s*['\"]?1"
                      r"|\bGOFLAGS\s*=[^\n]*-insecure\b|\bGOINSECURE\s*=\s*['\"]?\*")  # fmt: skip


def _owner(path: str) -> tuple[set[str], str]:
    """Owner names and last element: {spf13}/cobra for github.com/spf13/cobra, {google, golang}/grpc for
    google.golang.org/grpc (a vanity host's labels stand for the owner)."""
    parts = path.lower().split("/")
    host = parts[0]
    if host in _CODE_HOSTS and len(parts) > 2:
        return {parts[1]}, parts[-1].removesuffix(".git")
    return {x for x in host.split(".")[:-1] if len(x) >= 3 and x not in ("www", "pkg")}, parts[-1]


def _confusable(name: str) -> str:
    """An owner name with the look-alike spellings folded: ``golang-jvvt`` and ``go1ang`` read as golang-jwt,
    golang (``vv``→w, ``rn``→m, 1→l, 0→o; separators dropped)."""
    low = name.lower().replace("-", "").replace("_", "")
    return low.replace("vv", "w").replace("rn", "m").replace("1", "l").replace("0", "o")


def _imitates(a: str, b: str) -> bool:
    (oa, ra), (ob, rb) = _owner(a), _owner(b)
    if oa & ob or not (ra == rb or ra in rb):
        return False
    squash = [x.replace("-", "").replace("_", "") for x in ob]
    if any(len(o) >= 3 and any(o.replace("-", "").replace("_", "") in x for x in squash) for o in oa):
        return True
    folded = [_confusable(x) for x in ob]  # a homoglyph of the owner (``go1ang-x``, ``golang-jvvt``)
    return any(len(o) >= 4 and any(_confusable(o) in x for x in folded) for o in oa)


# A Gemfile ``source`` on a host imitating rubygems.org (``gems.rubygems-mirror.top``; blind12 rails-api-kit): Bundler
# resolves every gem of the block from it.
_GEM_SOURCE = re.compile(r"^\s*source\s*\(?\s*[\"'](https?://[^\"'\s]+)[\"']", re.MULTILINE)
_GEM_OFFICIAL = ("rubygems.org", "rubygems.pkg.github.com")


def _gem_sources(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        name = tf.path.lower().rsplit("/", 1)[-1]
        if tf.role == "test" or name not in ("gemfile", "gems.rb") or "source" not in tf.text:
            continue
        for m in _GEM_SOURCE.finditer(tf.text):
            host, cls = host_of(m.group(1)), host_class(m.group(1))
            official = any(host == o or host.endswith("." + o) for o in _GEM_OFFICIAL)
            if not host or cls in ("local", "trusted") or official:
                continue
            if cls in ("ip", "paste", "exfil", "shortener") or "rubygems" in host.replace("-", "").replace(".", ""):
                n = tf.text.count("\n", 0, m.start()) + 1
                yield Hit("SC025", tf.path, n, f"points the gem source at {host} (a {cls} host)" if cls != "unknown"
                          else f"points the gem source at {host} (a host imitating rubygems.org)",
                          snippet(tf.rows[n - 1]), SCRIPT)  # fmt: skip


def _go_replace(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test" or "replace" not in tf.text or ("=>" not in tf.text and "-replace" not in tf.text):
            continue
        sum_off = _SUM_OFF.search(tf.text) is not None
        for n, row in enumerate(tf.rows, 1):
            if "=>" not in row and "-replace" not in row:
                continue
            m = _GO_REPLACE.search(row.strip().strip("`"))
            if m is None:
                continue
            a, b = m.group("a") or m.group("a2"), m.group("b") or m.group("b2")
            if not _imitates(a, b):
                continue
            extra = " with the checksum database switched off" if sum_off else ""
            objs = tf.line_objs(n) if tf.lang == "markdown" else []
            yield Hit("SC025", tf.path, n, f"replaces Go module {a} with {b}, published under a look-alike owner"
                      f"{extra}", snippet(row), objs[0].ctx if objs else SCRIPT)  # fmt: skip


_GOPROXY = re.compile(r"\bGOPROXY\s*[=:]\s*[\"']?(?P<v>[^\s\"'`]+)", re.IGNORECASE)
_GO_OFFICIAL = ("proxy.golang.org", "goproxy.io", "goproxy.cn", "mirrors.aliyun.com", "mirrors.tencent.com")
_GO_IMITATES = re.compile(r"golang|goproxy|gomod|go-?proxy|proxy\.go")


def _go_proxy(view: SkillView) -> Iterator[Hit]:
    """GOPROXY pointed at a host dressed up as the Go module proxy (or a raw IP / paste / tunnel host)."""
    for tf in view.files:
        if tf.role == "test" or "goproxy" not in tf.lower:
            continue
        for n, row in enumerate(tf.rows, 1):
            m = _GOPROXY.search(row) if "goproxy" in row.lower() else None
            for url in re.split(r"[,|]", m.group("v")) if m else ():
                host = host_of(url if "://" in url else "https://" + url)
                if not host or "." not in host or templated_host(url) or "$" in url:
                    continue
                cls = host_class(url)
                if cls == "local" or any(host == o or host.endswith("." + o) for o in _GO_OFFICIAL):
                    continue
                if cls in ("ip", "paste", "exfil", "shortener") or _GO_IMITATES.search(host):
                    objs = tf.line_objs(n) if tf.lang == "markdown" else []
                    why = f"points the Go module proxy at {host} (imitates the official proxy, or a throwaway host)"
                    yield Hit("SC025", tf.path, n, why, snippet(row), objs[0].ctx if objs else SCRIPT)
                    break


# conda: an environment file / .condarc that lists a URL channel first and sets ``channel_priority: strict`` makes
# that channel win every package it offers, whatever conda-forge holds (blind13 geo-analysis-env: GDAL builds from an
# outside channel). Named channels (conda-forge, bioconda, defaults) and anaconda.org/prefix.dev URLs are not reported.
_CONDA_FILE = re.compile(r"(?:^|/)(?:[\w.-]*environment[\w.-]*\.ya?ml|\.?condarc(?:\.ya?ml)?)$")
_CONDA_FIRST = re.compile(r"^channels\s*:\s*\n\s*-\s*[\"']?(https?://[^\s\"']+)", re.MULTILINE)
_CONDA_HOMES = ("anaconda.org", "anaconda.com", "anaconda.cloud", "prefix.dev", "conda-forge.org", "nvidia.com",
                "pytorch.org")  # fmt: skip


def _conda(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test" or "channel_priority" not in tf.text or not _CONDA_FILE.search(tf.path.lower()):
            continue
        m = _CONDA_FIRST.search(tf.text)
        if m is None or re.search(r"^channel_priority\s*:\s*[\"']?strict", tf.text, re.MULTILINE) is None:
            continue
        host = host_of(m.group(1))
        if not host or "." not in host or any(host == h or host.endswith("." + h) for h in _CONDA_HOMES):
            continue
        if host.endswith((".local", ".internal", ".lan")) or "localhost" in host:
            continue
        n = tf.text.count("\n", 0, m.start(1)) + 1
        yield Hit("SC025", tf.path, n, f"puts conda channel {host} first with strict channel priority (it wins every "
                  "package it offers)", snippet(tf.rows[n - 1]), SCRIPT)  # fmt: skip


# Lockfile entries: ``"resolved": "https://…/-/debug-4.3.7.tgz"`` (package-lock.json, or a map of them a script
# writes into one; blind13 npm-lockfile-repair), yarn v1 ``resolved "…"``, pnpm ``tarball:``. ``npm ci`` fetches that
# tarball and trusts the integrity hash written next to it, so a host imitating the npm registry's name serves the
# package. The imitation is the finding, so a placeholder TLD does not excuse it.
_RESOLVED = re.compile(r"[\"']?(?:resolved|tarball)[\"']?\s*[:\s]\s*[\"'](https?://[^\"'\s]+)")
_NPM_HOMES = ("registry.npmjs.org", "registry.yarnpkg.com", "npm.pkg.github.com", "registry.npmmirror.com",
              "registry.npm.taobao.org", "cdn.npmmirror.com")  # fmt: skip
_NPM_IMITATES = re.compile(r"npmjs|yarnpkg|npm-?registry|registry[-.]npm")
# one pass over the file for a look-alike host before any row is read (lockfiles run to thousands of rows)
_NPM_FOREIGN = re.compile(r"https?://(?!registry\.npmjs\.org[/\"']|registry\.yarnpkg\.com[/\"'])[\w.-]*"
                          r"(?:npmjs|yarnpkg|npm-?registry|registry[-.]npm)")  # fmt: skip
register_keywords(("resolved", "tarball"))


def _resolved(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        low = tf.path.lower()
        if tf.role == "test" or not low.endswith((".json", ".lock", ".yaml", ".yml")):
            continue
        if not tf.has_any(("resolved", "tarball")) or _NPM_FOREIGN.search(tf.text) is None:
            continue
        for n in sorted(tf.rows_with(("resolved", "tarball"))):
            m = _RESOLVED.search(tf.rows[n - 1])
            host = host_of(m.group(1)) if m else ""
            if not host or "localhost" in host or any(host == h or host.endswith("." + h) for h in _NPM_HOMES):
                continue
            if _NPM_IMITATES.search(host):
                yield Hit("SC025", tf.path, n, f"resolves a package tarball from {host} (a host imitating the npm "
                          "registry)", snippet(tf.rows[n - 1]), SCRIPT)  # fmt: skip
                break


def _sources(view: SkillView) -> Iterator[Hit]:
    yield from _registry(view)
    yield from _resolved(view)
    yield from _conda(view)
    yield from _gem_sources(view)
    yield from _go_replace(view)
    yield from _go_proxy(view)


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
        "Package registry or Go module redirected to a look-alike",
        Family.SUPPLY_CHAIN,
        Severity.HIGH,
        0.8,
        "An .npmrc, pip configuration, requirements file or install command that sends every package request to a "
        "host dressed up as the official registry (or a raw IP, or with TLS checks off) lets that host substitute "
        "any package the user installs afterwards. A go.mod replace directive that swaps a popular module for a "
        "copy under a look-alike owner (spf13-cobra/cobra for spf13/cobra) does the same to one dependency.",
        "Use the official registry, or your organisation's documented mirror, with TLS verification on; replace "
        "modules only with local paths or your own organisation's forks.",
        _sources,
        mitre="T1195.001",
        capability="installs_software",
    ),
]
