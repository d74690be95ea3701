"""PE034: Kubernetes RBAC that hands cluster-wide power to everyone (blind10 k8s-metrics-reader-rbac).

A ``ClusterRoleBinding``/``RoleBinding`` whose ``roleRef`` is ``cluster-admin`` (or ``admin``/``edit``) and whose
subjects include a built-in group that means "everybody" - ``system:authenticated``, ``system:unauthenticated``,
``system:anonymous``, ``system:serviceaccounts`` (every pod's service account) - gives any workload or user full
control of the cluster. Named "metrics-reader" and described as read-only, it is a backdoor. The
``default`` service account counts too (high): every pod of its namespace without an account of its own runs as
it (blind11 k8s-admission-defaults). A binding of ``cluster-admin`` to one named service account is common in
operator manifests and is not matched here; neither is
a ClusterRole granting ``get``/``list`` on metrics.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import yaml

from skillyard.model import Severity
from skillyard.scan.analyzers.view import SkillView
from skillyard.scan.context import SCRIPT
from skillyard.scan.rules.base import Family, Hit, Rule, snippet

_BINDING = re.compile(r"^\s*kind\s*:\s*[\"']?(?:Cluster)?RoleBinding\b", re.MULTILINE)
_STRONG_ROLE = re.compile(r"^\s*name\s*:\s*[\"']?(cluster-admin|admin|edit)[\"']?\s*$")
_EVERYONE = re.compile(
    r"^\s*(?:-\s*)?name\s*:\s*[\"']?(system:(?:authenticated|unauthenticated|anonymous|serviceaccounts))[\"']?\s*$"
)


def _documents(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, rows) of each YAML document."""
    start = 1
    rows: list[str] = []
    for n, row in enumerate(text.split("\n"), 1):
        if row.strip() == "---":
            if rows:
                yield start, rows
            start, rows = n + 1, []
        else:
            rows.append(row)
    if rows:
        yield start, rows


def _flow_binding(rows: list[str]) -> tuple[str | None, list[tuple[int, str]]]:
    """(strong role, [(row index, everyone-subject)]) of a binding written in YAML flow style
    (``roleRef: { kind: ClusterRole, name: cluster-admin }``, ``- { kind: ServiceAccount, name: default }``)."""
    try:
        data = yaml.safe_load("\n".join(rows))
    except yaml.YAMLError:
        return None, []
    if not isinstance(data, dict) or not isinstance(data.get("roleRef"), dict):
        return None, []
    role = str(data["roleRef"].get("name", ""))
    subjects = data.get("subjects")
    found: list[tuple[int, str]] = []
    for sub in subjects if isinstance(subjects, list) else []:
        if not isinstance(sub, dict):
            continue
        name, kind = str(sub.get("name", "")), str(sub.get("kind", ""))
        # the ``default`` service account: every pod of its namespace that names no account of its own runs as it
        label = (
            f"default service account of {sub.get('namespace', 'its')!s} namespace"
            if (kind == "ServiceAccount" and name == "default")
            else name
            if _EVERYONE.match(f"name: {name}")
            else ""
        )
        if label:
            own = re.compile(rf"\bname\s*:\s*[\"']?{re.escape(name)}[\"']?\s*(?:[,}}]|$)")
            i = next((i for i, r in enumerate(rows) if own.search(r) and "roleRef" not in r), 0)
            found.append((i, label))
    return (role if role in ("cluster-admin", "admin", "edit") else None), found


def _open_bindings(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test" or tf.lang not in ("yaml", "text", "markdown") or "RoleBinding" not in tf.text:
            continue
        if not _BINDING.search(tf.text):
            continue
        for start, rows in _documents(tf.text):
            doc = "\n".join(rows)
            if not _BINDING.search(doc) or "roleRef" not in doc:
                continue
            ref = doc[doc.index("roleRef") :].split("\n")
            role = next((m.group(1) for r in ref[1:6] if (m := _STRONG_ROLE.match(r))), None)
            groups = [(i, m.group(1)) for i, r in enumerate(rows) if (m := _EVERYONE.match(r))]
            if (role is None or not groups) and tf.lang == "yaml":
                role, groups = _flow_binding(rows)
            if role is None or not groups:
                continue
            i, group = groups[0]
            n = start + i
            ctx = None if tf.lang == "yaml" else (tf.line_objs(n)[0].ctx if tf.line_objs(n) else None)
            yield Hit(
                "PE034",
                tf.path,
                n,
                f"RBAC binding grants {role!r} to {group!r}"
                + (
                    ""
                    if group.startswith("default")
                    else f" (every {'service account' if group.endswith('serviceaccounts') else 'user'} in the cluster)"
                ),
                snippet(rows[i]),
                ctx or SCRIPT,
                Severity.CRITICAL if role == "cluster-admin" and not group.startswith("default") else Severity.HIGH,
            )


# the same binding made on the command line (a skaffold/Tilt hook, a script, a README step):
# ``kubectl create clusterrolebinding x --clusterrole=cluster-admin --group=system:serviceaccounts``
_CLI = re.compile(
    r"\bkubectl\s+create\s+(?:cluster)?rolebinding\b(?=[^\n]*--clusterrole[=\s]+[\"']?(cluster-admin|admin|edit)\b)"
    r"(?=[^\n]*--(?:group[=\s]+[\"']?(system:(?:authenticated|unauthenticated|anonymous|serviceaccounts))\b"
    r"|serviceaccount[=\s]+[\"']?([\w-]+:default)\b))"
)


def _cli_bindings(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test" or "rolebinding" not in tf.lower:
            continue
        for n, row in enumerate(tf.rows, 1):
            m = _CLI.search(row) if "rolebinding" in row else None
            if m is None:
                continue
            role, group = m.group(1), m.group(2) or f"default service account ({m.group(3)})"
            objs = tf.line_objs(n)
            ctx = SCRIPT if tf.lang in ("yaml", "json", "toml") or not objs else objs[0].ctx
            yield Hit("PE034", tf.path, n, f"kubectl binds {role!r} to {group!r}", snippet(row, m.start(), m.end()),
                      ctx, Severity.CRITICAL if role == "cluster-admin" and m.group(2) else Severity.HIGH)  # fmt: skip


def _bindings(view: SkillView) -> Iterator[Hit]:
    yield from _open_bindings(view)
    yield from _cli_bindings(view)


RULES = [
    Rule(
        "PE034",
        "Cluster-wide role bound to everyone",
        Family.PRIVILEGE_ESCALATION,
        Severity.HIGH,
        0.9,
        "A RoleBinding or ClusterRoleBinding of cluster-admin/admin/edit to system:authenticated, "
        "system:unauthenticated, system:anonymous or system:serviceaccounts gives every user or pod control of the "
        "cluster.",
        "Bind the narrowest role to a named service account; never bind admin roles to built-in everyone-groups.",
        _bindings,
        mitre="T1098",
    ),
]
