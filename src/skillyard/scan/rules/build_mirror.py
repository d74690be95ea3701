"""SC031: a Gradle script that sends every repository to another host and switches dependency verification off
(and a Gradle wrapper whose distribution comes from a look-alike host without a checksum).

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
from skillyard.scan.analyzers.hosts import URL, host_class, host_of, suffix_in
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


# The Gradle wrapper (``gradle/wrapper/gradle-wrapper.properties``) downloads and runs the distribution named by
# ``distributionUrl`` on the first ``./gradlew``; without ``distributionSha256Sum`` nothing checks what arrives. A
# host dressed up as Gradle's own (``services-gradle.distcache.top``) or a raw IP is the redirect (blind13
# android-ci-bootstrap); the imitation is the finding, so a placeholder TLD does not excuse it. A company mirror
# whose name does not imitate Gradle, or any URL pinned by a checksum, is not reported.
_DIST_URL = re.compile(r"^\s*distributionUrl\s*[=:]\s*(\S+)", re.MULTILINE)
_GRADLE_HOMES = frozenset({"gradle.org", "gradle-dn.com", "gradle.com"})


def _wrapper(view: SkillView) -> Iterator[Hit]:
    for tf in view.files:
        if tf.role == "test" or not tf.path.lower().endswith("gradle-wrapper.properties"):
            continue
        m = _DIST_URL.search(tf.text)
        if m is None or "distributionsha256sum" in tf.lower:
            continue
        url = m.group(1).replace("\\:", ":")
        host = host_of(url)
        if not host or suffix_in(host, _GRADLE_HOMES) or "localhost" in host:
            continue
        imitates = "gradle" in host or host_class(url) in ("ip", "paste", "exfil", "shortener")
        if not imitates:
            continue
        line = tf.text.count("\n", 0, m.start()) + 1
        yield Hit("SC031", tf.path, line, f"the Gradle wrapper downloads and runs its distribution from {host} "
                  "(a host imitating Gradle's, no distributionSha256Sum)", snippet(tf.rows[line - 1]))  # fmt: skip


def _checks(view: SkillView) -> Iterator[Hit]:
    yield from _mirror(view)
    yield from _wrapper(view)


RULES = [
    Rule(
        "SC031",
        "Build repositories redirected with verification off",
        Family.SUPPLY_CHAIN,
        Severity.HIGH,
        0.85,
        "A Gradle init/settings/build script that rewrites every repository to one host and switches dependency "
        "verification off lets that host serve any artifact or plugin to every build, with nothing left to notice; a "
        "Gradle wrapper whose distributionUrl names a host imitating Gradle's, with no distributionSha256Sum, runs "
        "whatever that host serves on the first ./gradlew.",
        "Keep dependency verification on (gradle/verification-metadata.xml) when using a mirror, and point only the "
        "repositories you mean at it.",
        _checks,
        mitre="T1195.001",
        capability="installs_software",
    ),
]
