"""What the search index keeps per skill (:class:`DocMeta`), result filters and one search result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DocMeta:
    """What the index keeps about one skill version besides its terms and vector."""

    name: str
    ref: str
    digest: str = ""
    description: str = ""
    trust_tier: int = 1
    tags: tuple[str, ...] = ()
    source: str = ""
    agents: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "ref": self.ref,
            "digest": self.digest,
            "description": self.description,
            "trust_tier": self.trust_tier,
            "tags": list(self.tags),
            "source": self.source,
            "agents": list(self.agents),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DocMeta:
        return cls(
            name=str(d["name"]),
            ref=str(d["ref"]),
            digest=str(d.get("digest", "")),
            description=str(d.get("description", "")),
            trust_tier=int(d.get("trust_tier", 1)),
            tags=tuple(d.get("tags", ())),
            source=str(d.get("source", "")),
            agents=tuple(d.get("agents", ())),
        )


@dataclass(frozen=True)
class Filters:
    """Result filters. Empty fields do not filter. Tags and agents match case-insensitively; ``source`` is a
    substring of the provenance URI; a skill that declares no agent compatibility passes ``agent``."""

    min_trust: int | None = None
    tags: tuple[str, ...] = ()
    source: str | None = None
    agent: str | None = None

    def active(self) -> bool:
        return self.min_trust is not None or bool(self.tags) or bool(self.source) or bool(self.agent)

    def accepts(self, d: DocMeta) -> bool:
        if self.min_trust is not None and d.trust_tier < self.min_trust:
            return False
        if self.tags:
            have = {t.lower() for t in d.tags}
            if not all(t.lower() in have for t in self.tags):
                return False
        if self.source and self.source.lower() not in d.source.lower():
            return False
        return not (self.agent and d.agents and self.agent.lower() not in {a.lower() for a in d.agents})


@dataclass(frozen=True)
class Hit:
    """One search result. ``why`` says which fields and terms matched and each signal's rank."""

    name: str
    ref: str
    score: float
    snippet: str
    why: dict[str, Any]
    digest: str = ""
    duplicates: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "ref": self.ref,
            "score": round(self.score, 6),
            "snippet": self.snippet,
            "why": self.why,
            "digest": self.digest,
            "duplicates": list(self.duplicates),
        }
