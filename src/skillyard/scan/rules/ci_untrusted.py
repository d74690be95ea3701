"""CI workflows that hand secrets to code from outside.

- SC028: a GitHub Actions workflow on ``pull_request_target`` (or ``workflow_run``) that checks out the pull
  request's head (``ref: ${{ github.event.pull_request.head.sha }}``, ``refs/pull/N/merge``) and then runs a
  step: the fork author's code runs with the base repository's secrets and write token (the "pwn request",
  blind11 gha-pr-preview). ``pull_request_target`` that only labels or comments, without that checkout, is fine.
- E003 (environment dump) in commands embedded in configs - a workflow ``run:`` step, a unit's ``ExecStart``, a git
  alias - which the line rule (code lines only) does not see: ``env | gzip | base64 | curl -d @- https://…``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.hosts import host_class
from skillyard.scan.analyzers.view import SkillView
from skillyard.scan.context import SCRIPT
from skillyard.scan.rules.base import Family, Hit, Rule, snippet

_TARGET = re.compile(r"^\s*on\s*:[^\n]*\b(pull_request_target|workflow_run)\b|^\s{2,}(pull_request_target|workflow_run)"
                     r"\s*:", re.MULTILINE)  # fmt: skip
_HEAD = re.compile(
    r"\bref\s*:\s*[\"']?\$\{\{\s*github\.event\.(?:pull_request\.head\.(?:sha|ref)|workflow_run\.head_(?:sha|branch))"
    r"|\bref\s*:\s*[\"']?refs/pull/|\bgh\s+pr\s+checkout\b|\bgit\s+fetch\b[^\n]*\bpull/",
)
_RUN = re.compile(r"^\s*(?:-\s+)?run\s*:", re.MULTILINE)


def _pwn_requests(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.lang != "yaml" or (
            "github.event" not in tf.text and "refs/pull" not in tf.text and "pr checkout" not in tf.text
        ):
            continue
        trig = _TARGET.search(tf.text)
        head = _HEAD.search(tf.text)
        if trig is None or head is None or _RUN.search(tf.text, head.end()) is None:
            continue
        line = tf.text.count("\n", 0, head.start()) + 1
        event = trig.group(1) or trig.group(2)
        yield Hit("SC028", tf.path, line, f"{event} workflow checks out the pull request's code and runs it with the "
                  "repository's secrets", snippet(tf.rows[line - 1]), SCRIPT)  # fmt: skip


_ENV_DUMP = re.compile(
    r"(?:^|[;&|(]\s*)(?:env|printenv|export\s+-p)\s*\|[^\n]*\|\s*(?:curl|wget|nc|ncat)\b[^\n]*?(https?://\S+)"
    r"|(?:^|[;&|(]\s*)(?:env|printenv|export\s+-p)\s*\|\s*(?:curl|wget|nc|ncat)\b[^\n]*?(https?://\S+)",
    re.MULTILINE,
)
_EMBEDDED = ("workflow", "embedded", "service", "manifest", "pre-commit", "taskfile", "justfile", "tox")


def config_env_dumps(view: SkillView) -> Iterator[Hit]:
    """E003 hits for a whole-environment dump piped to a remote host inside a command a config carries."""
    for sn in view.snippets:
        if sn.origin not in _EMBEDDED or "env" not in sn.text:
            continue
        for m in _ENV_DUMP.finditer(sn.text):
            url = m.group(1) or m.group(2)
            if host_class(url) in ("local", "trusted"):
                continue
            line = sn.line + sn.text.count("\n", 0, m.start())
            yield Hit("E003", sn.file, line, "dumps the whole environment and pipes it to a remote host",
                      snippet(sn.text, m.start(), m.end()), sn.ctx, Severity.CRITICAL, 0.85)  # fmt: skip


RULES = [
    Rule(
        "SC028",
        "Workflow runs pull-request code with the repository's secrets",
        Family.SUPPLY_CHAIN,
        Severity.HIGH,
        0.85,
        "A pull_request_target or workflow_run workflow that checks out the pull request's head and runs anything "
        "from it gives a fork's author the base repository's secrets and write token (a 'pwn request').",
        "Use pull_request for untrusted code, or never check out the head in a privileged workflow; pass data "
        "between workflows as artifacts treated as untrusted.",
        _pwn_requests,
        mitre="T1195.002",
    ),
]
