"""R/Julia code that sends the environment or token files out (E035), and Python that dumps an orchestrator's
secret store and posts it (E036) (blind12 r-tidy-analysis, julia-sciml-setup, airflow-dag-scaffold).

- **E035.** ``.Rprofile``/``Rprofile.site`` and Julia's ``startup.jl`` run at every interpreter start; ``.R``/``.jl``
  files are read as text by the language map. In such a file, the whole environment (``Sys.getenv()`` with no
  name, ``collect(ENV)``, ``for (k, v) in ENV``) - or, in a startup file, a token file (``~/.Renviron``,
  ``auth.toml``, ``.netrc``) or a list of several token names - together with a request to a hard-coded host
  (``curl`` via ``system2``, ``httr``/``httr2``, ``Downloads.request``, ``HTTP.post``) ships the user's keys.
  Critical in a startup file (every start), high elsewhere. One named key sent with a request
  (``Sys.getenv("MY_API_KEY")`` as the API's token), or JuliaHub's ``auth.toml`` read by a script that calls
  JuliaHub, is not matched. The same holds for Python's start-up files (blind13 python-startup-profiler): an
  ``import`` line of a ``.pth`` file or a ``sitecustomize.py``/``usercustomize.py`` that reads the whole
  ``os.environ`` (or a token file) and posts it to a hard-coded host; a ``.pth`` that only adds paths or starts
  coverage is not matched.
- **E036.** A Python module that queries every Airflow ``Connection`` or ``Variable`` (the metadata database holds
  the passwords and URIs of all of them) and posts to a hard-coded host leaks the whole deployment's secrets on
  each DAG parse. A DAG that reads its own connection with ``BaseHook.get_connection("x")`` is not matched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.hosts import URL, host_of
from skillyard.scan.analyzers.view import SkillView
from skillyard.scan.context import SCRIPT
from skillyard.scan.rules.automation_exfil import outside
from skillyard.scan.rules.base import Family, Hit, Rule, snippet

_STARTUP = re.compile(r"(?:^|/)(?:\.?rprofile(?:\.site)?|startup\.jl)$")
_RJL = re.compile(r"\.(?:r|jl)$|(?:^|/)\.?rprofile(?:\.site)?$")
_WHOLE_ENV = re.compile(
    r"\bSys\.getenv\(\s*\)|\b(?:collect|Dict|pairs|keys)\(\s*ENV\s*\)|\bfor\s*\(?\s*\w+\s*(?:,\s*\w+\s*)?\)?\s+in\s+ENV\b"
)
# token files: a script may read one for its own service (JuliaHub's auth.toml sent to juliahub.com); a startup file
# that reads and posts one on every start does not
_TOKEN_FILE = re.compile(r"\.Renviron\b|\bauth\.toml\b|\.netrc\b|\.git-credentials\b|\.aws/credentials\b|\.ssh/id_")
_TOKEN_NAME = re.compile(r"[\"']([A-Z][A-Z0-9_]*(?:TOKEN|SECRET|PASSWORD|_KEY|_PAT))[\"']")
_SEND = re.compile(
    r"\bsystem2?\(\s*[\"'](?:curl|wget)|\bhttr2?::|\b(?:POST|PUT)\(|\breq_perform\(|\bcurl_fetch_\w+\("
    r"|\bDownloads\.request\(|\bHTTP\.(?:post|put|request)\(|\bdownload\.file\([^)]*method\s*=\s*[\"']post"
)


def _r_julia(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        low = tf.path.lower()
        start = bool(_STARTUP.search(low))  # runs at every start, also from a template folder the user copies
        if tf.role == "test" or not _RJL.search(low) or (tf.role == "reference" and not start):
            continue
        text = tf.text
        src = _WHOLE_ENV.search(text) or (_TOKEN_FILE.search(text) if start else None)
        # in a startup file, several secret names listed together (a loop over them)
        names = next((n for r in tf.rows if len(n := set(_TOKEN_NAME.findall(r))) >= 2), set()) if start else set()
        if src is None and not names:
            continue
        send = _SEND.search(text)
        if send is None:
            continue
        urls = [u for u in URL.findall(text[send.start() :]) if outside(u)]  # the host the request goes to
        if not urls:
            continue
        line = text.count("\n", 0, send.start()) + 1
        what = src.group(0) if src else ", ".join(sorted(names)[:3])
        yield Hit(
            "E035",
            tf.path,
            line,
            f"{'startup file' if start else 'R/Julia code'} reads {what} and sends it to {host_of(urls[0])}",
            snippet(tf.rows[line - 1].strip()),
            SCRIPT,
            None if start else Severity.HIGH,
        )


_STORE_DUMP = re.compile(
    r"\bquery\(\s*(?:Connection|Variable)\s*\)|\bget_connections?_from_secrets\(|\bVariable\.get_all\(|\.get_uri\(\)"
)
_PY_SEND = re.compile(r"\burlopen\(|\brequests\.(?:post|put)\(|\bhttpx\.(?:post|put)\(|\bHTTPSConnection\(")
_DECODED_URL = re.compile(r"\bfromhex\(|\bb64decode\(|\bchr\(|\[::-1\]")


def _secret_store(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.lang != "python" or tf.role in ("test", "reference") or not tf.has_any(("airflow",)):
            continue
        dump = _STORE_DUMP.search(tf.text)
        send = _PY_SEND.search(tf.text) if dump else None
        if dump is None or send is None:
            continue
        urls = [u for u in URL.findall(tf.text) if outside(u)]
        if not urls and not _DECODED_URL.search(tf.text):
            continue  # posted to the user's own service from a variable
        line = tf.text.count("\n", 0, send.start()) + 1
        yield Hit(
            "E036",
            tf.path,
            line,
            f"reads every Airflow connection/variable ({dump.group(0)}) and posts it to "
            + (host_of(urls[0]) if urls else "a concealed URL"),
            snippet(tf.rows[line - 1].strip()),
            SCRIPT,
        )


_CLI_DUMP = re.compile(r"\bairflow\s+(?:connections|variables)\s+(?:export|list)\b")
_UPLOAD = re.compile(r"\b(?:curl|wget)\b[^|;&]*(?:\s-d\b|--data|-F\b|-T\b|--upload-file|--post-)")


def _cli_dump(view: SkillView) -> Iterator[Hit]:
    """``airflow connections export - | curl --data-binary @- https://…`` in any shell snippet."""
    for sn in view.snippets:
        if "airflow" not in sn.text or not _CLI_DUMP.search(sn.text) or not _UPLOAD.search(sn.text):
            continue
        urls = [u for u in URL.findall(sn.text) if outside(u)]
        if urls:
            yield Hit(
                "E036",
                sn.file,
                sn.line,
                f"exports every Airflow connection/variable and uploads it to {host_of(urls[0])}",
                snippet(sn.text.strip()),
                sn.ctx,
            )
            return


_PY_START = re.compile(r"\.pth$|(?:^|/)(?:site|user)customize\.py$")
_PY_ENV = re.compile(
    r"\bos\.environ\.(?:items|keys|values|copy)\(|\bdict\(\s*os\.environ\s*\)|\bin\s+os\.environ\b(?!\.get)"
    r"|dumps\(\s*os\.environ\b"
)


def _py_startup(view: SkillView) -> Iterator[Hit]:
    """A ``.pth`` import line or ``sitecustomize.py`` runs at every Python start: the environment (or a token
    file) posted from there goes out on every interpreter start."""
    for tf in view.files:
        low = tf.path.lower()
        if tf.role == "test" or not _PY_START.search(low) or not tf.has_any(("environ", "credentials", ".netrc")):
            continue
        text = tf.text if not low.endswith(".pth") else "\n".join(r for r in tf.rows if r.startswith("import"))
        src = _PY_ENV.search(text) or _TOKEN_FILE.search(text)
        send = _PY_SEND.search(text) if src else None
        if src is None or send is None:
            continue
        urls = [u for u in URL.findall(text) if outside(u)]
        if not urls and not _DECODED_URL.search(text):
            continue
        line = next((n for n, r in enumerate(tf.rows, 1) if send.group(0) in r), 1)
        yield Hit(
            "E035",
            tf.path,
            line,
            f"Python start-up file reads {src.group(0).removeprefix('in ')} and sends it to "
            + (host_of(urls[0]) if urls else "a concealed URL"),
            snippet(tf.rows[line - 1].strip()),
            SCRIPT,
        )


def _startup_out(view: SkillView) -> Iterator[Hit]:
    yield from _r_julia(view)
    yield from _py_startup(view)


def _store_out(view: SkillView) -> Iterator[Hit]:
    yield from _secret_store(view)
    yield from _cli_dump(view)


_REMEDY = "Read only the named secret the code needs and send it only to the service it belongs to."
RULES = [
    Rule(
        "E035",
        "R/Julia code or Python start-up files send the environment or token files out",
        Family.DATA_EXFILTRATION,
        Severity.CRITICAL,
        0.85,
        ".Rprofile, startup.jl, .pth files and sitecustomize.py run at every interpreter start: reading the whole "
        "environment or ~/.Renviron / auth.toml there and posting it to a hard-coded host leaks every key the "
        "user has, silently, each session.",
        _REMEDY,
        _startup_out,
        mitre="T1552.001",
        capability="network_egress",
    ),
    Rule(
        "E036",
        "Orchestrator secret store dumped and sent",
        Family.DATA_EXFILTRATION,
        Severity.CRITICAL,
        0.85,
        "A module that queries every Airflow Connection/Variable holds the passwords of every system the "
        "deployment reaches; posting that to a hard-coded or concealed host leaks them on every DAG parse.",
        _REMEDY,
        _store_out,
        mitre="T1552.001",
        capability="network_egress",
    ),
]
