"""Dependencies a skill installs or declares (pip/npm commands, requirements.txt, package.json) and
typosquat detection against popular package names."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache

from skillyard.scan.analyzers.view import Line, SkillView, TextFile

_PIP = re.compile(r"\b(?:pip3?|uv\s+pip|pipx|poetry|pdm)\s+(?:install|add)\s+([^\n;&|#]+)", re.IGNORECASE)
_NPM = re.compile(r"\b(?:npm|pnpm|yarn|bun)\s+(?:install|i|add)\s+((?:-[-\w]+\s+)*[^\n;&|#]+)", re.IGNORECASE)

POPULAR_PY = (
    "requests", "urllib3", "numpy", "pandas", "django", "flask", "fastapi", "pydantic", "boto3", "botocore",
    "setuptools", "cryptography", "pyyaml", "python-dateutil", "matplotlib", "scipy", "pillow",
    "beautifulsoup4", "selenium", "openai", "anthropic", "langchain", "transformers", "torch", "tensorflow",
    "scikit-learn", "pytest", "httpx", "aiohttp", "colorama", "jinja2", "sqlalchemy", "psycopg2", "pymongo",
    "redis", "celery", "click", "rich", "tqdm", "playwright", "paramiko", "pycryptodome", "web3", "discord.py",
    "python-telegram-bot", "openpyxl", "docx2txt", "pypdf", "python-docx", "pdfplumber", "reportlab",
    "tiktoken", "huggingface-hub", "streamlit", "gradio",
)  # fmt: skip
POPULAR_JS = (
    "react", "lodash", "express", "axios", "chalk", "commander", "typescript", "webpack", "vite", "next", "vue",
    "moment", "dotenv", "jsonwebtoken", "mongoose", "puppeteer", "playwright", "eslint", "prettier", "jest",
    "mocha", "request", "colors", "cross-env", "node-fetch", "socket.io", "openai", "@anthropic-ai/sdk",
    "ethers", "web3", "discord.js", "electron", "tailwindcss", "zod", "uuid",
)  # fmt: skip
_KNOWN_OK = frozenset({
    "axios-retry", "chalk-template", "coloredlogs", "colorlog", "django-environ", "ethers", "express-session",
    "expressjs", "fastai", "flask-cors", "flask-login", "httpcore", "httpie", "httpx-sse",
    "jest-environment-jsdom", "lightning", "next-auth", "nextjs", "numba", "numpy-stl", "openai-agents",
    "pandas-datareader", "pandas-ta", "prettier-plugin-tailwindcss", "pytest-cov", "pytorch-lightning",
    "pyyaml", "react-dom", "reacts", "redis-py", "requests-html", "requests-oauthlib", "requests-toolbelt",
    "rich-click", "scipy-stubs", "torchaudio", "torchvision", "types-requests", "uvicorn", "vue-router", "web3",
    "zod-to-json-schema",
})  # fmt: skip


def edit_distance(a: str, b: str) -> int:
    """Optimal-string-alignment edit distance (insert, delete, substitute, swap adjacent), capped at 3."""
    if abs(len(a) - len(b)) > 2:
        return 3
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                v = min(v, prev2[j - 2] + 1)
            cur.append(v)
        prev2, prev = prev, cur
    return prev[-1]


@lru_cache(maxsize=4096)
def typosquat_of(name: str, popular: tuple[str, ...]) -> str | None:
    """The popular package ``name`` imitates (edit distance 1, or a separator/prefix trick), else ``None``."""
    n = name.lower().strip()
    if n in popular or n in _KNOWN_OK or len(n) < 4:
        return None
    for p in popular:
        if len(p) >= 5 and abs(len(p) - len(n)) <= 1 and (p[0] == n[0] or p[-1] == n[-1]) and edit_distance(n, p) == 1:
            return p
        if n.replace("-", "").replace("_", "") == p.replace("-", "") and n != p:
            return p
        if n in ("python-" + p, p + "-python", p + "s", p + "-js") and len(p) >= 5 and n not in _KNOWN_OK:
            return None if n.startswith("python-") else p
    return None


def _continued(rows: list[str], lineno: int, text: str) -> list[str]:
    """The words of the rows a shell command continues onto with a trailing backslash (``pip install -i URL \\``
    then the packages on the next row)."""
    words: list[str] = []
    while text.rstrip().endswith("\\") and lineno < len(rows) and len(words) < 64:
        text = rows[lineno]
        lineno += 1
        words += [w for w in re.split(r"[;&|#]", text, maxsplit=1)[0].split() if w != "\\"]
    return words


def _package_json_deps(tf: TextFile) -> Iterator[tuple[str, str, Line, str]]:
    """The dependency names of a package.json (parsed, so a one-line file counts), each at the row naming it."""
    try:
        data = json.loads(tf.text)
    except ValueError:
        return
    for key in ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies"):
        deps = data.get(key) if isinstance(data, dict) else None
        for name in deps if isinstance(deps, dict) else ():
            n = next((i for i, r in enumerate(tf.rows, 1) if f'"{name}"' in r), 0)
            for ln in tf.line_objs(n)[:1]:
                yield "js", name, ln, ln.text


def dependencies(view: SkillView) -> Iterator[tuple[str, str, Line, str]]:
    """``(ecosystem, requirement, line, text)`` for every dependency the skill installs or declares."""
    for tf in view.files:
        if tf.path.rsplit("/", 1)[-1] == "package.json":
            yield from _package_json_deps(tf)
            continue
        is_req = tf.path.endswith("requirements.txt")
        for ln in tf.lines if is_req else tf.candidates(("install", "add ")):
            for rx, eco in ((_PIP, "py"), (_NPM, "js")):
                m = rx.search(ln.text)
                if m:
                    for tok in m.group(1).split() + _continued(tf.rows, ln.lineno, ln.text):
                        if tok.startswith("-") or ("/" in tok and not tok.startswith("@")):
                            continue
                        if "." in tok.split("=")[0][-4:]:
                            continue
                        yield eco, tok.strip("\"'`,"), ln, ln.text
            if is_req and ln.text.strip() and not ln.text.lstrip().startswith(("#", "-")):
                yield "py", ln.text.strip(), ln, ln.text


# npm scopes of widely used publishers: a scope that only differs by look-alike letters (capital I for l, 0 for o,
# rn for m) or one edit imitates the publisher (npm names are lowercase, so a capital letter is itself a tell).
POPULAR_SCOPES = frozenset({
    "modelcontextprotocol", "anthropic-ai", "openai", "types", "babel", "angular", "vue", "aws-sdk", "google-cloud",
    "azure", "microsoft", "playwright", "vercel", "supabase", "upstash", "sentry", "nestjs", "prisma", "tanstack",
    "radix-ui", "stripe", "cloudflare", "octokit", "langchain", "huggingface", "mistralai", "notionhq", "slack",
    "typescript-eslint", "testing-library", "reduxjs", "emotion", "mui", "firebase", "shopify", "storybook",
})  # fmt: skip
_SCOPE = re.compile(r"(?<![\w@])@([A-Za-z0-9][\w.-]{2,})/[\w.-]")


def _skeleton(s: str) -> str:
    return s.replace("I", "l").replace("1", "l").replace("0", "o").lower().replace("rn", "m").replace("vv", "w")


@lru_cache(maxsize=4096)
def scope_lookalike(scope: str) -> str | None:
    """The popular npm scope ``scope`` imitates, if any."""
    if scope in POPULAR_SCOPES:
        return None
    sk = _skeleton(scope)
    for p in POPULAR_SCOPES:
        near = len(p) >= 6 and len(scope) == len(p) and edit_distance(scope.lower(), p) == 1
        if sk == _skeleton(p) or near:
            return p
    return None


def npm_scopes(view: SkillView) -> Iterator[tuple[str, Line]]:
    """Every ``@scope/name`` written in code, JSON or a manifest of the skill."""
    for tf in view.files:
        for ln in tf.candidates(("@",)):
            if ln.kind not in ("code", "frontmatter") and tf.lang in ("markdown", ""):
                continue
            for m in _SCOPE.finditer(ln.text):
                yield m.group(1), ln
