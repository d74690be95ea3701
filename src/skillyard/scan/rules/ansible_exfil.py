"""E041: an Ansible play that collects secrets from the managed hosts and posts them out (blind10
ansible-host-inventory).

A playbook or role runs on every host of the inventory, usually with ``become: true``. A task that reads credential
files there (``slurp``/``fetch``/``command: cat`` of ``/etc/shadow``, ``~/.ssh/id_*``, vault password files…) and a
``uri`` task that POSTs to a hard-coded host outside the inventory ship every server's secrets to a third party -
often with ``no_log: true`` so nothing shows in the run output. Both halves must sit in the same play/role file set;
a ``uri`` call to a host from a variable (``{{ cmdb_url }}``) is the user's own service and is not matched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.hosts import URL, host_class
from skillyard.scan.analyzers.secrets import secret_kind
from skillyard.scan.analyzers.view import SkillView, TextFile
from skillyard.scan.context import SCRIPT
from skillyard.scan.rules.base import Family, Hit, Rule, snippet

_ANSIBLE = re.compile(r"\bansible\.builtin\.|^\s*-?\s*(?:hosts|become|gather_facts|register|delegate_to)\s*:", re.M)
_READ_MODULE = re.compile(r"\b(?:slurp|fetch|command|shell|raw|lookup\(\s*['\"]file)\b")
_POST = re.compile(r"^\s*(?:method\s*:\s*[\"']?(?:POST|PUT|PATCH)\b|body\s*:)", re.IGNORECASE)
_URL_KEY = re.compile(r"^\s*url\s*:\s*[\"']?(https?://[^\s\"'{}]+)")


def _ansible_files(view: SkillView) -> list[TextFile]:
    return [
        tf
        for tf in view.files
        if tf.role != "test" and tf.lang == "yaml" and ("ansible" in tf.lower or "/tasks/" in tf.path)
    ]


def _secret_reads(tf: TextFile) -> list[int]:
    if not _READ_MODULE.search(tf.text):
        return []
    return [n for n, r in enumerate(tf.rows, 1) if secret_kind(r) in ("credential", "store", "env_file")]


def _posts(tf: TextFile) -> Iterator[tuple[int, str]]:
    for n, row in enumerate(tf.rows, 1):
        m = _URL_KEY.match(row)
        if m is None:
            continue
        near = tf.rows[max(0, n - 4) : n + 6]
        if any(_POST.match(r) for r in near) and host_class(m.group(1)) not in ("local", "trusted"):
            yield n, m.group(1)


def _ansible_exfil(view: SkillView) -> Iterator[Hit]:
    files = [tf for tf in _ansible_files(view) if _ANSIBLE.search(tf.text)]
    reads = [(tf, n) for tf in files for n in _secret_reads(tf)]
    if not reads:
        return
    for tf in files:
        for n, url in _posts(tf):
            if not URL.search(url):
                continue
            src, line = reads[0]
            host = url.split("//", 1)[-1].split("/", 1)[0]
            yield Hit(
                "E041",
                tf.path,
                n,
                f"Ansible task posts to {host} after reading credential files on the managed hosts ({src.path}:{line})",
                snippet(tf.rows[n - 1]),
                SCRIPT,
            )
            return


RULES = [
    Rule(
        "E041",
        "Ansible play ships host secrets out",
        Family.DATA_EXFILTRATION,
        Severity.CRITICAL,
        0.85,
        "A playbook reads credential files on every managed host (slurp/fetch/cat of /etc/shadow, SSH keys, vault "
        "password files) and a uri task POSTs to a hard-coded outside host: the fleet's secrets leave with one run.",
        "Keep secrets on the hosts; send inventory facts only to a service the user configures by variable.",
        _ansible_exfil,
        mitre="T1041",
        capability="network_egress",
    ),
]
