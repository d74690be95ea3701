"""Staged payloads and host takeover through files that look like set-up.

- SC026: a payload is staged first and run later, so no single line looks like ``curl | sh``: a PowerShell script
  downloads a string into a variable and runs it (``[scriptblock]::Create($s)``, ``iex $s``, often with the URL
  assembled from pieces), decodes one into a variable (base64, hex bytes, a reversed string, xor) and runs it, or a
  shell command decodes a *file* of base64 into a shell (``base64 -d FILE | bash``).
- PE026: a docker-compose service whose image comes from a registry host that is not an official one (often a
  look-alike such as ``ghcr-io.<something>``) runs privileged, in the host's PID namespace or with the host's root
  directory or docker socket mounted - full control of the machine for whoever publishes that image.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.hosts import URL, host_class
from skillyard.scan.analyzers.view import SkillView, TextFile
from skillyard.scan.context import SCRIPT
from skillyard.scan.rules.base import Family, Hit, Rule, snippet

# -- SC026 ----------------------------------------------------------------------------------------------------

_PS_FETCH = re.compile(
    r"\$(?P<var>\w+)\s*=\s*[^\n]*(?:DownloadString|DownloadData|Invoke-WebRequest|Invoke-RestMethod|\biwr\b|\birm\b)",
    re.IGNORECASE,
)
_JOIN = re.compile(r"""['"]\s*\+\s*['"]""")
_B64_FILE_SH = re.compile(
    r"\bbase64\s+(?:-d|--decode|-D)\s+(?:-\w+\s+)*[\"']?(?P<f>[~$/.\w{}-]+)[\"']?\s*\|\s*(?:sudo\s+)?(?:ba|z|da)?sh\b",
)


def _ps_staged(tf: TextFile) -> Iterator[Hit]:
    low = tf.lower
    if "download" not in low and "invoke-webrequest" not in low and "iwr" not in low and "irm" not in low:
        return
    folded = _JOIN.sub("", tf.text)  # 'htt' + 'ps://' -> 'https://'
    urls = URL.findall(folded)
    if urls and all(host_class(u) in ("trusted", "local") for u in urls):
        return
    for m in _PS_FETCH.finditer(tf.text):
        var = re.escape(m.group("var"))
        run = re.compile(
            rf"\[scriptblock\]::Create\(\s*\${var}\b|\b(?:iex|Invoke-Expression)\s*\(?\s*\${var}\b"
            rf"|\${var}\s*\|\s*(?:iex|Invoke-Expression)\b",
            re.IGNORECASE,
        )
        for n, row in enumerate(tf.rows, 1):
            if run.search(row):
                yield Hit("SC026", tf.path, n, "PowerShell downloads a script into a variable and runs it",
                          snippet(row), SCRIPT)  # fmt: skip
                return


# A PowerShell variable filled by a run-time decoding: base64, hex bytes to chars, a reversed string, xor
_PS_DECODE_VAR = re.compile(
    r"\$(?P<var>\w+)\s*=\s*[^\n]*(?:FromBase64String|FromHexString|ToByte\([^)\n]*,\s*16\)|\[-1\s*\.\.|"
    r"\[array\]::Reverse|-bxor)",
    re.IGNORECASE,
)


def _ps_run(var: str) -> re.Pattern[str]:
    v = re.escape(var)
    return re.compile(
        rf"\[scriptblock\]::Create\(\s*\${v}\b|\b(?:iex|Invoke-Expression)\s*\(?\s*\${v}\b"
        rf"|\${v}\s*\|\s*(?:iex|Invoke-Expression)\b",
        re.IGNORECASE,
    )


def _ps_decoded(tf: TextFile) -> Iterator[Hit]:
    """A variable filled by decoding (base64, hex, reversing) and later run as a script."""
    low = tf.lower
    if "iex" not in low and "invoke-expression" not in low and "scriptblock" not in low:
        return
    for m in _PS_DECODE_VAR.finditer(tf.text):
        run = _ps_run(m.group("var"))
        start = tf.text.count("\n", 0, m.start())
        for n, row in enumerate(tf.rows[start:], start + 1):
            if run.search(row):
                yield Hit("SC026", tf.path, n, "PowerShell decodes a script into a variable and runs it",
                          snippet(row), SCRIPT)  # fmt: skip
                return


def _staged(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test":
            continue
        if tf.lang == "powershell" or tf.path.lower().endswith((".ps1", ".psm1")):
            yield from _ps_staged(tf)
            yield from _ps_decoded(tf)
        if "base64" in tf.text and "sh" in tf.text:
            for n, row in enumerate(tf.rows, 1):
                if "base64" in row and _B64_FILE_SH.search(row):
                    yield Hit("SC026", tf.path, n, "decodes a base64 file and pipes it into a shell",
                              snippet(row), SCRIPT)  # fmt: skip


# -- PE026 ----------------------------------------------------------------------------------------------------

_COMPOSE = re.compile(r"(?:^|/)(?:docker-)?compose[\w.-]*\.ya?ml$|(?:^|/)docker-compose[\w.-]*\.ya?ml$")
_OFFICIAL_REGISTRIES = ("docker.io", "ghcr.io", "quay.io", "gcr.io", "mcr.microsoft.com", "public.ecr.aws",
                        "registry.k8s.io", "registry.gitlab.com", "pkg.dev", "amazonaws.com", "azurecr.io",
                        "docker.elastic.co", "nvcr.io", "localhost", "registry.redhat.io")  # fmt: skip
_IMAGE = re.compile(r"^\s*image:\s*[\"']?(?P<img>[^\s\"']+)")
_POWER = re.compile(
    r"^\s*privileged:\s*true\b|^\s*pid:\s*[\"']?host\b|[\"'\s\[-]/:/|/var/run/docker\.sock:|^\s*-\s*SYS_ADMIN\b"
)


def _registry(img: str) -> str:
    first = img.split("/", 1)[0]
    return first.lower() if "/" in img and ("." in first or ":" in first) else ""


def _compose(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test" or not _COMPOSE.search(tf.path.lower()) or "image:" not in tf.text:
            continue
        service_start = 0
        image = ""
        powers: list[int] = []
        rows = [*tf.rows, "end:"]
        for n, row in enumerate(rows, 1):
            if re.match(r"^  [\w.-]+:\s*$", row) or re.match(r"^\S", row):  # a new service (or top-level key)
                yield from _judge(tf, image, powers, service_start)
                service_start, image, powers = n, "", []
                continue
            m = _IMAGE.match(row)
            if m is not None:
                image = m.group("img")
            elif _POWER.search(row):
                powers.append(n)


def _judge(tf: TextFile, image: str, powers: list[int], start: int) -> Iterator[Hit]:
    if not image or not powers:
        return
    reg = _registry(image)
    if not reg or "$" in reg or any(reg == o or reg.endswith("." + o) for o in _OFFICIAL_REGISTRIES):
        return
    n = powers[0]
    yield Hit("PE026", tf.path, n, f"runs image {image} from unofficial registry {reg} with host-level access",
              snippet(tf.rows[n - 1]), SCRIPT, Severity.HIGH)  # fmt: skip


RULES = [
    Rule(
        "SC026",
        "Staged payload: downloaded or decoded script run from a variable or file",
        Family.SUPPLY_CHAIN,
        Severity.HIGH,
        0.8,
        "Splitting a download cradle over several lines (download into a variable, then scriptblock/iex it) or "
        "decoding a stored base64 file into a shell hides remote or encoded code from line-based review.",
        "Ship the script in plain text and let the user run it; never execute downloaded or decoded strings.",
        _staged,
        mitre="T1059.001",
    ),
    Rule(
        "PE026",
        "Compose service from an unofficial registry with host-level access",
        Family.PRIVILEGE_ESCALATION,
        Severity.HIGH,
        0.8,
        "A container that runs privileged, shares the host PID namespace or mounts / or the docker socket controls "
        "the host; pulling it from a registry host that is not an official one gives that control to a stranger.",
        "Use images from official registries, pinned by digest, and drop privileged/pid:host/host-root mounts.",
        _compose,
        mitre="T1611",
    ),
]
