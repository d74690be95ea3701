"""System protections switched off by a command (PE036).

Some privilege escalation needs no exploit: the skill has the user (or the agent, with sudo) open the door.

- world-writable system paths: ``chmod -R 777 /etc``, ``chmod o+w /usr/local/bin`` (any local program can then
  replace what root runs);
- authentication disabled: ``pam_permit.so`` added to a PAM stack (every password accepted), ``PermitEmptyPasswords
  yes`` or ``PermitRootLogin yes`` written into ``sshd_config``;
- a container given the host: ``--privileged`` (or ``privileged: true``) together with the host's root filesystem
  mounted writable (``-v /:/host``).

Read in scripts and in commands the skill tells the user or agent to run (shell snippets and fenced blocks). A
``chmod 777`` on a project folder or ``/tmp/something``, a read-only host mount for a metrics exporter, and
documentation quoting these lines are not reported at high.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.view import SkillView, register_keywords
from skillyard.scan.rules.base import Family, Hit, Rule, hit_at

_SYSTEM = (
    r"(?:/etc|/usr(?:/local)?(?:/s?bin|/lib)?|/bin|/sbin|/lib|/boot|/root|/var|/Library|/System|~/\.ssh|\$HOME/\.ssh)"
)
_CHMOD = re.compile(
    r"\bchmod\s+(?:-[A-Za-z]+\s+)*(?:0?777|0?666|[ao]\+w\w*|o=rwx)\s+(?:[\"']?" + _SYSTEM + r"(?:/\S*)?[\"']?\s*)+"
    r"(?:$|[;&|)\s])|\bchmod\s+(?:-[A-Za-z]+\s+)*(?:0?777|[ao]\+w\w*)\s+/\s*(?:$|[;&|])",
)
_AUTH_OFF = re.compile(
    r"\bpam_permit\.so\b[^\n]*(?:/etc/pam\.d|pam\.d/)|(?:/etc/pam\.d|pam\.d/)[^\n]*\bpam_permit\.so\b"
    r"|\bauth\s+sufficient\s+pam_permit\.so\b"
    r"|\bPermitEmptyPasswords\s+yes\b|\bPermitRootLogin\s+yes\b[^\n]*sshd_config|sshd_config[^\n]*\bPermitRootLogin\s+yes",
)
_PRIVILEGED = re.compile(r"--privileged\b|\bprivileged\s*:\s*true\b")
_HOST_ROOT = re.compile(r"(?:-v\s+|--volume[= ]|^\s*-\s*[\"']?)/:/[\w/-]*(?![\w/:-]*:ro)(?=[\"'\s]|$)", re.MULTILINE)
_WARNED = re.compile(r"\b(?:never|don['’]t|do\s+not|avoid|instead\s+of|not)\b[^`\n]{0,40}`?[^`\n]*\bchmod\b", re.I)
_KEYS = ("chmod", "pam_permit", "permitemptypasswords", "permitrootlogin", "privileged")
register_keywords(_KEYS)


def _weakening(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test" or not tf.has_any(_KEYS):
            continue
        code_file = tf.lang not in ("markdown", "text")
        for ln in tf.candidates(_KEYS):
            if not code_file and ln.kind != "code" and "`" not in ln.text:
                continue
            if _WARNED.search(ln.text):
                continue  # "never run chmod -R 777 /etc"
            if m := _CHMOD.search(ln.text):
                if not code_file and ln.kind != "code" and ln.text[: m.start()].count("`") % 2 == 0:
                    continue  # in prose, only a command in inline code is an instruction to run it
                yield hit_at("PE036", ln, "makes system paths world-writable", m.start(), m.end())
            elif (m := _AUTH_OFF.search(ln.text)) and not re.search(r"PermitRootLogin\s+(?:no|prohibit)", ln.text):
                yield hit_at("PE036", ln, "switches authentication off (PAM permit-all, empty or root ssh logins)",
                             m.start(), m.end())  # fmt: skip
        if _PRIVILEGED.search(tf.text) and (root := _HOST_ROOT.search(tf.text)) is not None:
            n = tf.text.count("\n", 0, root.start()) + 1
            for ln in tf.line_objs(n)[:1]:
                if code_file or ln.kind == "code":
                    yield hit_at("PE036", ln, "runs a privileged container with the host's root filesystem writable")


RULES = [
    Rule(
        "PE036",
        "System protections switched off",
        Family.PRIVILEGE_ESCALATION,
        Severity.HIGH,
        0.8,
        "World-writable system directories, a PAM stack that accepts any password, empty or root SSH logins and a "
        "privileged container holding the host's root filesystem each hand root to whoever comes next; no skill "
        "needs them.",
        "Grant the narrow permission the task needs (a group, a single file, a read-only mount) and leave "
        "authentication as it is.",
        _weakening,
        mitre="T1222",
    ),
]
