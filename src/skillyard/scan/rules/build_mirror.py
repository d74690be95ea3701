"""SC031: a Gradle script that sends every repository to another host and switches dependency verification off.

An init script in ``~/.gradle/init.d/`` (or a settings/build script) that rewrites the URL of every repository
(``repositories.configureEach { r.url = MIRROR }``, ``repositories.all``, ``pluginManagement.repositories.clear()``
then one ``maven { url … }``) decides where every dependency and plugin of every build comes from; turning dependency
verification off in the same script (``DependencyVerificationMode.OFF``, ``--dependency-verification=off``) removes
the check that would notice the mirror serving different artifacts (blind12 gradle-mirror-setup). A corporate mirror
script that leaves verification on is not reported; neither is verification switched off on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.hosts import URL, host_of, suffix_in
from skillyard.scan.analyzers.view import SkillView
from skillyard.scan.rules.base import Family, Hit, Rule, snippet

_VERIFY_OFF = re.compile(
    r"DependencyVerificationMode\.(?:OFF|LENIENT)\b|dependency-verification[= ]\s*(?:off|lenient)\b"
    r"|dependencyVerificationMode\s*=\s*[\"']?(?:off|lenient)\b",
    re.IGNORECASE,
)
_EVERY_REPO = re.compile(
    r"repositories\s*\.\s*(?:configureEach|all|whenObjectAdded|withType\s*\([^)]*\)\s*\.\s*(?:configureEach|all))\b"
    r"[^}]*?(?:\burl\s*=|\bsetUrl\s*\(|\.url\s*=)"
    r"|repositories\s*\.\s*clear\s*\(\s*\)",
)
_OFFICIAL = frozenset(
    {"repo.maven.apache.org", "repo1.maven.org", "plugins.gradle.org", "maven.google.com", "dl.google.com",
     "services.gradle.org", "jcenter.bintray.com", "maven.pkg.jetbrains.space"}
)  # fmt: skip


def _mirror(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        low = tf.path.lower()
        if tf.role == "test" or not low.endswith((".gradle", ".gradle.kts")) or not tf.has_any(("verification",)):
            continue
        off = _VERIFY_OFF.search(tf.text)
        every = _EVERY_REPO.search(tf.text) if off else None
        hosts = [h for h in (host_of(u) for u in URL.findall(tf.text)) if h and not suffix_in(h, _OFFICIAL)]
        if off is None or every is None or not hosts:
            continue
        line = tf.text.count("\n", 0, every.start()) + 1
        objs = tf.line_objs(line)
        yield Hit("SC031", tf.path, line, f"sends every repository to {hosts[0]} and switches dependency "
                  "verification off", snippet(tf.rows[line - 1]), objs[0].ctx if objs else None)  # fmt: skip


RULES = [
    Rule(
        "SC031",
        "Build repositories redirected with verification off",
        Family.SUPPLY_CHAIN,
        Severity.HIGH,
        0.85,
        "A Gradle init/settings/build script that rewrites every repository to one host and switches dependency "
        "verification off lets that host serve any artifact or plugin to every build, with nothing left to notice.",
        "Keep dependency verification on (gradle/verification-metadata.xml) when using a mirror, and point only the "
        "repositories you mean at it.",
        _mirror,
        mitre="T1195.001",
        capability="installs_software",
    ),
]
