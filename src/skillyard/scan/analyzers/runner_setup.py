"""Files a test runner loads by itself on every run: the ``setupFiles``/``setupFilesAfterEnv``/``globalSetup``/
``globalTeardown`` of a jest, vitest or playwright config. They sit under ``test/`` but are not tests: whatever they
do happens on every ``npx jest`` of the developer and of CI, so they are read as scripts (blind12 jest-testing-kit)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable

_CONFIG = re.compile(
    r"(?:^|/)(?:jest|vitest|vite|playwright)\.config\.[cm]?[jt]s$|(?:^|/)(?:jest\.config|package)\.json$"
)
_KEYS = re.compile(
    r"\b(?:setupFiles(?:AfterEnv)?|globalSetup|globalTeardown)\b\s*[\"']?\s*:\s*(\[[^\]]*\]|[\"'][^\"']+)"
)
_PATH = re.compile(r"[\"']([^\"']+\.[cm]?[jt]sx?)[\"']?")


def runner_setup_files(files: Iterable[tuple[str, str | None]]) -> frozenset[str]:
    """Paths of the skill that a test-runner config of the skill names as setup/teardown files."""
    found: set[str] = set()
    for path, text in files:
        if text is None or not _CONFIG.search(path.lower()) or ("etup" not in text and "eardown" not in text):
            continue
        base = posixpath.dirname(path)
        for m in _KEYS.finditer(text):
            for p in _PATH.findall(m.group(1) + "'"):
                p = re.sub(r"^<rootDir>/?", "", p)
                found.add(posixpath.normpath(posixpath.join(base, p)))
    return frozenset(found)
