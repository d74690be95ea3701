"""What agents may see and load: the use cases behind the MCP server (and the HTTP API).

Every function takes the minimum trust tier the server was started with. A skill below it is invisible to
listing and search and refused by load/read, and the refusal says which tier the skill has and why.
"""

from __future__ import annotations

import base64
import json
import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from skillyard.errors import SkillyardError, UsageError
from skillyard.model import TrustTier, Version
from skillyard.registry.interface import SkillStore

if TYPE_CHECKING:
    from skillyard.search.engine import Filters

SKILL_SCHEME = "skill://"
TEXT_LIMIT = 1_000_000


class AccessDenied(SkillyardError):
    """The skill exists but policy forbids serving it (trust tier, path outside the skill)."""


@dataclass(frozen=True)
class ServePolicy:
    """The minimum trust tier a skill needs to be listed, searched, loaded or read."""

    min_tier: TrustTier = TrustTier.INSTRUCTIONS


def tier_of(store: SkillStore, version: Version) -> TrustTier:
    """The effective tier (scan risk, provenance and review; see docs/trust.md)."""
    from skillyard.services.trust import effective_tier

    return effective_tier(store, version)


def _deny_reason(version: Version, tier: TrustTier, policy: ServePolicy) -> str:
    risk = f", scan risk {version.risk}" if version.risk else ""
    return (
        f"{version.ref} is at trust tier '{tier.name.lower()}'{risk}; this server serves only "
        f"'{policy.min_tier.name.lower()}' and above (raise it with `skillyard trust`, or start the "
        "server with a lower --min-tier)"
    )


def visible_versions(store: SkillStore, policy: ServePolicy) -> list[Version]:
    """Latest versions at or above the policy's tier.

    Uses the tier stored on each version, which :func:`skillyard.services.trust.refresh_tier` rewrites whenever
    one of its inputs changes (a scan result or a review), instead of re-deriving it from the scan artifact and
    the reviews of every skill on each listing.
    """
    return [v for v in store.list_latest() if v.trust_tier >= policy.min_tier]


def require_visible(store: SkillStore, name: str, policy: ServePolicy) -> Version:
    version = store.get_version(name)
    tier = tier_of(store, version)
    if tier < policy.min_tier:
        raise AccessDenied(_deny_reason(version, tier, policy))
    return version


def skill_uri(name: str, path: str = "SKILL.md") -> str:
    return f"{SKILL_SCHEME}{name}/{path}"


def parse_skill_uri(uri: str) -> tuple[str, str]:
    """``skill://NAME/PATH`` -> (NAME, PATH); the skill path is the first segment (no prefixes here)."""
    if not uri.startswith(SKILL_SCHEME):
        raise UsageError(f"{uri!r} is not a skill:// URI")
    rest = uri[len(SKILL_SCHEME) :]
    name, _, path = rest.partition("/")
    if not name or not path:
        raise UsageError(f"{uri!r} does not name a skill file (expected skill://NAME/PATH)")
    return name, path


def safe_path(path: str) -> str:
    """Normalise a path inside a skill; refuse anything that would leave it."""
    if "\x00" in path or "\\" in path:
        raise AccessDenied(f"path {path!r} refused: invalid characters")
    if path.startswith("/") or posixpath.isabs(path):
        raise AccessDenied(f"path {path!r} refused: absolute paths leave the skill folder")
    norm = posixpath.normpath(path)
    if norm == ".." or norm.startswith("../") or norm == ".":
        raise AccessDenied(f"path {path!r} refused: it points outside the skill folder")
    return norm


def _frontmatter(store: SkillStore, version: Version) -> dict[str, Any]:
    skill = store.load_skill(version.name, version.label)
    raw = dict(skill.manifest.raw) if skill.manifest else {}
    raw.setdefault("name", version.name)
    raw.setdefault("description", version.description)
    # YAML may hold dates and other non-JSON scalars; render them as strings, losslessly enough to compare.
    parsed: dict[str, Any] = json.loads(json.dumps(raw, default=str))
    return parsed


def skill_entry(store: SkillStore, version: Version) -> dict[str, Any]:
    """The Skills-extension entry: SKILL.md URI, verbatim frontmatter, every file with sha256 digest."""
    files = store.list_files(version.name, version.label)
    return {
        "uri": skill_uri(version.name),
        "frontmatter": _frontmatter(store, version),
        "resources": [
            {"uri": skill_uri(version.name, f.path), "digest": f"sha256:{f.sha256}", "size": f.size} for f in files
        ],
    }


def load_for_agent(store: SkillStore, name: str, policy: ServePolicy) -> dict[str, Any]:
    """SKILL.md body plus a listing of the skill's other files (not their contents)."""
    version = require_visible(store, name, policy)
    skill = store.load_skill(version.name, version.label)
    files = store.list_files(version.name, version.label)
    return {
        "name": version.name,
        "version": version.label,
        "digest": version.digest,
        "description": version.description,
        "uri": skill_uri(version.name),
        "body": skill.body,
        "resources": [
            {"path": f.path, "size": f.size, "uri": skill_uri(version.name, f.path)}
            for f in files
            if f.path != "SKILL.md"
        ],
        "hint": "Read a listed file with read_skill_file(name, path) only when the instructions need it.",
    }


def read_for_agent(store: SkillStore, name: str, path: str, policy: ServePolicy) -> dict[str, Any]:
    """One file of a visible skill, as text (UTF-8) or base64 for binary content."""
    clean = safe_path(path)
    version = require_visible(store, name, policy)
    listed = {f.path for f in store.list_files(version.name, version.label)}
    if clean not in listed:
        raise AccessDenied(f"{version.ref} has no file {clean!r}; its files: {', '.join(sorted(listed))}")
    data = store.read_file(version.name, clean, version.label)
    out: dict[str, Any] = {
        "name": version.name,
        "path": clean,
        "size": len(data),
        "uri": skill_uri(name, clean),
    }
    try:
        text = data.decode("utf-8")
        out["text"] = text if len(text) <= TEXT_LIMIT else text[:TEXT_LIMIT]
        out["truncated"] = len(text) > TEXT_LIMIT
    except UnicodeDecodeError:
        out["base64"] = base64.b64encode(data).decode("ascii")
    return out


def list_for_agent(store: SkillStore, policy: ServePolicy, offset: int = 0, limit: int = 100) -> dict[str, Any]:
    versions = visible_versions(store, policy)
    page = versions[offset : offset + max(1, min(limit, 500))]
    return {
        "total": len(versions),
        "offset": offset,
        "skills": [{"name": v.name, "version": v.label, "description": v.description} for v in page],
        "next_offset": offset + len(page) if offset + len(page) < len(versions) else None,
    }


def agent_filters(filters: dict[str, Any] | None, policy: ServePolicy) -> Filters:
    """The index filters of an agent's search: the policy's tier plus tag / source / agent (unknown keys refused)."""
    from skillyard.search.engine import Filters

    f = dict(filters or {})
    unknown = set(f) - {"tag", "tags", "source", "agent"}
    if unknown:
        raise UsageError(f"unknown search filter(s) {sorted(unknown)}; use tag, source or agent")
    tags = f.get("tags") or f.get("tag") or ()
    return Filters(
        min_trust=int(policy.min_tier),
        tags=tuple(t for t in (tags.split(",") if isinstance(tags, str) else tags) if t),
        source=f.get("source") or None,
        agent=f.get("agent") or None,
    )


def search_for_agent(
    store: SkillStore,
    query: str | list[str],
    limit: int,
    filters: dict[str, Any] | None,
    policy: ServePolicy,
    require: str = "any",
) -> list[dict[str, Any]]:
    """Search (one query, or several fused by ``search_multi`` with ``require`` "any"/"all"), keeping only
    skills at or above the policy's tier (filtered in the index, re-checked here)."""
    from skillyard.services.search import search, search_multi

    flt = agent_filters(filters, policy)
    if isinstance(query, str):
        hits = search(store, query, limit=limit, filters=flt)
    else:
        hits = search_multi(store, query, limit=limit, filters=flt, require=require)
    return [h.to_dict() for h in hits if tier_of(store, store.get_version(h.name)) >= policy.min_tier]
