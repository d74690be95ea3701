"""Dependencies declared with a source outside their registry (SC033).

A manifest can name where a dependency comes from instead of letting the package manager ask its registry:
``"chalk": "https://…/chalk-5.3.0.tgz"`` or ``"lodash": "github:lodash-utils/lodash"`` in package.json,
``name @ https://…`` or ``git+https://…`` in requirements.txt and pyproject.toml (including ``[build-system]
requires``, run at every build), ``serde = { git = "…" }`` in Cargo.toml. The install then runs whatever that place
serves, under a name the reader trusts. Reported:

- an archive or wheel URL on an IP, paste or shortener host (critical), on a host imitating a registry's name
  (``pypi-cdn.net``, ``registry-npm.…``), or on any other host the scanner does not know as official;
- a git source for a well-known package from an owner whose name wraps the package's or its maintainers' name
  (``lodash-utils/lodash``, ``pallets-ext/flask``, ``serde-rs-dev/serde``): a look-alike fork.

A git source from the package's own owner, a local path, and official hosts are not reported.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.hosts import host_class, host_of
from skillyard.scan.analyzers.packages import POPULAR_JS, POPULAR_PY
from skillyard.scan.analyzers.view import SkillView, TextFile
from skillyard.scan.context import SCRIPT
from skillyard.scan.rules.base import Family, Hit, Rule, snippet

# maintainers of popular packages whose GitHub owner differs from the package name
_OWNERS = {
    "requests": "psf", "urllib3": "urllib3", "flask": "pallets", "jinja2": "pallets", "click": "pallets",
    "pydantic": "pydantic", "react": "facebook", "next": "vercel", "express": "expressjs", "chalk": "chalk",
    "serde": "serde-rs", "tokio": "tokio-rs", "axios": "axios", "lodash": "lodash", "numpy": "numpy",
    "pandas": "pandas-dev", "django": "django", "fastapi": "fastapi", "httpx": "encode", "rich": "textualize",
    "openai": "openai", "anthropic": "anthropics", "transformers": "huggingface", "torch": "pytorch",
    "boto3": "boto", "pytest": "pytest-dev", "typescript": "microsoft", "vue": "vuejs", "vite": "vitejs",
    "webpack": "webpack", "jest": "jestjs", "eslint": "eslint", "prettier": "prettier", "dotenv": "motdotla",
    "clap": "clap-rs", "reqwest": "seanmonstar", "rand": "rust-random", "hyper": "hyperium", "anyhow": "dtolnay",
}  # fmt: skip
_POPULAR_RS = ("serde", "tokio", "clap", "reqwest", "rand", "hyper", "anyhow", "regex", "log", "tracing")
_REGISTRY_WORDS = re.compile(r"pypi|pythonhosted|npmjs|npm|yarnpkg|registry|crates|rubygems|pkgs?\b|packages")
_GIT_OWNER = re.compile(r"(?:github\.com|gitlab\.com|bitbucket\.org)[/:]([\w.-]+)/([\w.-]+?)(?:\.git)?(?:[/#@]|$)")
_REQ_URL = re.compile(r"^\s*(?:-e\s+)?(?:([\w.-]+)\s*(?:\[[^\]]*\])?\s*@\s*)?((?:git\+)?https?://\S+)", re.IGNORECASE)


def _lookalike_owner(package: str, owner: str, repo: str) -> bool:
    """``owner`` wraps the name of the popular package the repository is, or of its maintainers, without being that
    owner: ``lodash-utils/lodash``, ``pallets-ext/flask``, ``serde-rs-dev/serde``."""
    own = owner.lower()
    squashed = own.replace("-", "").replace("_", "").replace(".", "")
    names = {package.lower().split("/")[-1], repo.lower()}
    for pkg in (*POPULAR_PY, *POPULAR_JS, *_POPULAR_RS):
        # the dependency or repository IS the popular package (``fastapi-users/fastapi-users`` extends fastapi and is
        # its own project: not a copy of fastapi)
        if len(pkg) < 3 or pkg not in names:
            continue
        real = _OWNERS.get(pkg, pkg)
        if own in (pkg, real):
            return False
        if any(x.replace("-", "") in squashed for x in (pkg, real) if len(x) >= 3):
            return True
    return False


_REGISTRIES = (
    "pypi.org", "files.pythonhosted.org", "registry.npmjs.org", "registry.yarnpkg.com", "npm.pkg.github.com",
    "download.pytorch.org", "crates.io", "codeload.github.com", "pypi.nvidia.com", "huggingface.co",
)  # fmt: skip


def _url_verdict(url: str) -> tuple[Severity, str] | None:
    host = host_of(url.removeprefix("git+"))
    cls = host_class(url.removeprefix("git+"))
    official = any(host == r or host.endswith("." + r) for r in _REGISTRIES)
    if cls in ("trusted", "local", "github") or not host or official:
        return None
    if cls in ("ip", "paste", "shortener", "exfil"):
        return Severity.CRITICAL, f"an archive on a {cls} host ({host})"
    if _REGISTRY_WORDS.search(host):
        return Severity.HIGH, f"a host imitating a package registry ({host})"
    return Severity.HIGH, f"an archive on an unofficial host ({host})"


def _judge(package: str, spec: str) -> tuple[Severity, str] | None:
    spec = spec.strip()
    m = _GIT_OWNER.search(spec)
    if spec.startswith("github:") or m is not None:
        owner_repo = spec[len("github:") :].split("#")[0] if m is None else f"{m.group(1)}/{m.group(2)}"
        owner, _, repo = owner_repo.partition("/")
        if package and _lookalike_owner(package, owner, repo or package):
            return Severity.HIGH, f"{package!r} taken from a look-alike owner's repository ({owner_repo})"
        return None
    if re.match(r"(?:git\+)?https?://", spec):
        return _url_verdict(spec)
    return None


def _package_json(tf: TextFile) -> Iterator[tuple[str, str]]:
    try:
        data = json.loads(tf.text)
    except ValueError:
        return
    for key in ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies"):
        deps = data.get(key) if isinstance(data, dict) else None
        for name, spec in deps.items() if isinstance(deps, dict) else ():
            if isinstance(spec, str):
                yield name, spec


def _requirement(line: str) -> tuple[str, str] | None:
    m = _REQ_URL.match(line)
    if m is None:
        return None
    url = m.group(2)
    name = m.group(1) or (re.search(r"#egg=([\w.-]+)", url) or re.search(r"/([\w.-]+?)(?:\.git)?(?:@|$)", url))
    return (name if isinstance(name, str) else (name.group(1) if name else "")), url


def _pyproject(tf: TextFile) -> Iterator[tuple[str, str]]:
    try:
        data = tomllib.loads(tf.text)
    except tomllib.TOMLDecodeError:
        return
    build, project = data.get("build-system", {}), data.get("project", {})
    reqs = [*(build.get("requires", []) if isinstance(build, dict) else []),
            *(project.get("dependencies", []) if isinstance(project, dict) else [])]  # fmt: skip
    for req in reqs:
        if isinstance(req, str) and (got := _requirement(req)) is not None:
            yield got


def _cargo(tf: TextFile) -> Iterator[tuple[str, str]]:
    try:
        data = tomllib.loads(tf.text)
    except tomllib.TOMLDecodeError:
        return
    for key in ("dependencies", "dev-dependencies", "build-dependencies"):
        deps = data.get(key, {})
        for name, spec in deps.items() if isinstance(deps, dict) else ():
            if isinstance(spec, dict) and isinstance(spec.get("git"), str):
                yield name, spec["git"]


def _declared(tf: TextFile) -> Iterator[tuple[str, str]]:
    name = tf.path.rsplit("/", 1)[-1].lower()
    if name == "package.json" and ("http" in tf.text or "github:" in tf.text or "git+" in tf.text):
        yield from _package_json(tf)
    elif name.endswith(".txt") and "requirements" in name and "://" in tf.text:
        for row in tf.rows:
            if (got := _requirement(row)) is not None:
                yield got
    elif name == "pyproject.toml" and "://" in tf.text:
        yield from _pyproject(tf)
    elif name == "cargo.toml" and "git" in tf.text:
        yield from _cargo(tf)


def _sources(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test":
            continue
        for package, spec in _declared(tf):
            verdict = _judge(package, spec)
            if verdict is None:
                continue
            sev, why = verdict
            needle = spec if spec in tf.text else package
            n = next((i for i, r in enumerate(tf.rows, 1) if needle and needle in r), 1)
            yield Hit("SC033", tf.path, n, f"dependency source outside the registry: {why}", snippet(tf.rows[n - 1]),
                      SCRIPT, sev)  # fmt: skip


RULES = [
    Rule(
        "SC033",
        "Dependency taken from outside its registry",
        Family.SUPPLY_CHAIN,
        Severity.HIGH,
        0.8,
        "A manifest entry that names an archive URL or a git repository instead of a registry version installs "
        "whatever that place serves under a name the reader trusts; droppers use unofficial archive hosts and "
        "look-alike forks (lodash-utils/lodash) of popular packages.",
        "Depend on registry versions with a lockfile; if a fork is needed, vendor it or pin a commit of a repository "
        "the user controls.",
        _sources,
        mitre="T1195.001",
    ),
]
