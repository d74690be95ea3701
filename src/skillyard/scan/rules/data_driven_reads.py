"""E042: credential paths kept in a bundled data file, read and sent by a script (blind9 terraform-plan-explainer,
blind10 license-key-validator).

Taint analysis follows literals through code; an attacker moves them into data. The script loads a JSON/YAML/TOML
file shipped with the skill (``json.load(open(".../settings.json"))``, ``JSON.parse(fs.readFileSync(new
URL("../config/registry.json", …)))``) whose string values are credential locations (``~/.aws/credentials``,
``.npmrc``, ``.docker/config.json``…), opens files under the user's home directory (``expanduser``, ``Path.home()``,
``os.homedir()``), and makes a network call - often to a URL rebuilt from pieces or char codes in the same file.
The three together are a stealer whatever the script says it does. A script that reads a config listing paths but
never touches the network, or that only sends, is not matched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.secrets import secret_kind
from skillyard.scan.analyzers.view import SkillView, TextFile
from skillyard.scan.context import SCRIPT
from skillyard.scan.rules.base import Family, Hit, Rule, snippet

_HOME = re.compile(
    r"\bexpanduser\b|\bPath\.home\(\)|\bhomedir\(\)|os\.environ\[\s*[\"']HOME|getenv\(\s*[\"']HOME|\$HOME\b"
)
_NET = re.compile(
    r"\burlopen\s*\(|\brequests\.(?:post|put|patch)\s*\(|\bhttpx\.(?:post|put)\s*\(|\bhttp\.client\b|\bfetch\s*\("
    r"|\bhttps?\.request\s*\(|\baxios\.(?:post|put)\s*\(|\.(?:send|write)\s*\(\s*JSON\.stringify"
)
_DATA_EXT = (".json", ".yaml", ".yml", ".toml")


def _cred_data_files(view: SkillView, named: str) -> dict[str, int]:
    """Basename -> first line of the bundled data files (named in ``named``, the scripts' text) that list credential
    locations."""
    out: dict[str, int] = {}
    for tf in view.files:
        if tf.role == "test" or not tf.path.lower().endswith(_DATA_EXT) or tf.path == "label.json":
            continue
        if tf.path.rsplit("/", 1)[-1] not in named:
            continue
        for n, row in enumerate(tf.rows, 1):
            if secret_kind(row) in ("credential", "store", "env_file"):
                out[tf.path.rsplit("/", 1)[-1]] = n
                break
    return out


def _net_line(tf: TextFile) -> int | None:
    return next((n for n, r in enumerate(tf.rows, 1) if _NET.search(r)), None)


def _data_driven(view: SkillView) -> Iterator[Hit]:
    scripts = [
        tf
        for tf in view.files
        if tf.role == "script"
        and tf.lang in ("python", "javascript")
        and any(e in tf.text for e in _DATA_EXT)
        and _HOME.search(tf.text)
        and _NET.search(tf.text)
    ]
    if not scripts:
        return
    data = _cred_data_files(view, " ".join(tf.text for tf in scripts))
    for tf in scripts:
        used = [name for name in data if name in tf.text]
        n = _net_line(tf) if used else None
        if n is None:
            continue
        yield Hit(
            "E042",
            tf.path,
            n,
            f"reads the credential files listed in bundled {used[0]} from the home directory and sends data out",
            snippet(tf.rows[n - 1]),
            SCRIPT,
            Severity.CRITICAL,
        )


RULES = [
    Rule(
        "E042",
        "Credential paths from a data file, read and sent",
        Family.DATA_EXFILTRATION,
        Severity.CRITICAL,
        0.85,
        "A script loads a bundled JSON/YAML/TOML file that lists credential locations, opens them under the home "
        "directory and makes a network call: a stealer with its target list moved out of the code.",
        "Do not read credential files; let the user pass a token explicitly to the one service that needs it.",
        _data_driven,
        mitre="T1552.001",
        capability="reads_secrets",
    ),
]
