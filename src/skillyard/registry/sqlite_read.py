"""The read side of the SQLite registry: versions by name, label, ``latest`` or digest prefix, their file
lists, file bytes, and whole skills rebuilt from blobs."""

from __future__ import annotations

import re
from typing import Any

from skillyard.errors import NotFoundError, UsageError
from skillyard.model import Skill, SkillFile, Version
from skillyard.registry.interface import FileEntry
from skillyard.registry.sqlite_base import SQLiteBase
from skillyard.registry.sqlite_util import SELECT_VERSION, decode, row_to_version

__all__ = ["SQLiteReads"]

# "sha256:" + any hex prefix, or a bare hex prefix of at least 7 digits (labels are matched first).
_HEX_PREFIX = re.compile(r"^sha256:([0-9a-f]{1,64})$|^([0-9a-f]{7,64})$")


class SQLiteReads(SQLiteBase):
    """Queries over skills, versions and their files; none of them writes."""

    def list_latest(self) -> list[Version]:
        """The latest (highest sequence) version of every skill, sorted by name."""
        rows = self._read(
            SELECT_VERSION  # noqa: S608
            + "WHERE v.seq = (SELECT MAX(seq) FROM versions WHERE skill_id = v.skill_id) ORDER BY s.name"
        )
        return [row_to_version(r) for r in rows]

    def names(self) -> list[str]:
        """Every skill name that has at least one version, sorted."""
        return [str(r[0]) for r in self._read("SELECT name FROM skills ORDER BY name")]

    def versions(self, name: str) -> list[Version]:
        """All versions of ``name``, oldest first. Raises ``NotFoundError`` when unknown."""
        rows = self._read(
            SELECT_VERSION + "WHERE s.name = ? ORDER BY v.seq",
            (name,),
        )
        if not rows:
            raise NotFoundError(f"no skill named {name!r} in {self.location}")
        return [row_to_version(r) for r in rows]

    def get_version(self, name: str, label: str | None = None) -> Version:
        """A version by label, ``latest`` (or ``None``), or digest prefix (``sha256:ab12..``, ``ab12..``)."""
        return row_to_version(self._version_row(name, label))

    def _version_row(self, name: str, label: str | None) -> Any:
        base = SELECT_VERSION + "WHERE s.name = ?"
        if label is None or label == "latest":
            rows = self._read(base + " ORDER BY v.seq DESC LIMIT 1", (name,))
            if not rows:
                raise NotFoundError(f"no skill named {name!r} in {self.location}")
            return rows[0]
        rows = self._read(base + " AND v.label = ?", (name, label))
        if rows:
            return rows[0]
        m = _HEX_PREFIX.match(label.lower())
        if m:
            hexpart = m.group(1) or m.group(2)
            rows = self._read(base + " AND v.digest LIKE ?", (name, f"sha256:{hexpart}%"))
            if len(rows) == 1:
                return rows[0]
            if len(rows) > 1:
                raise UsageError(f"digest prefix {label!r} is ambiguous for {name!r}; give more digits")
        self.versions(name)  # raises NotFoundError for an unknown name
        raise NotFoundError(f"{name!r} has no version {label!r} (see `skillyard show {name}`)")

    def list_files(self, name: str, label: str | None = None) -> list[FileEntry]:
        """The files of a version, sorted by path."""
        vid = self._version_row(name, label)[-1]
        rows = self._read(
            "SELECT f.path, f.sha256, b.size FROM version_files f JOIN blobs b ON b.sha256 = f.sha256 "
            "WHERE f.version_id = ? ORDER BY f.path",
            (vid,),
        )
        return [FileEntry(str(r[0]), str(r[1]), int(r[2])) for r in rows]

    def read_file(self, name: str, path: str, label: str | None = None) -> bytes:
        """The bytes of one file of a version; ``NotFoundError`` when the version has no such file."""
        row = self._version_row(name, label)
        rows = self._read(
            "SELECT b.codec, b.data FROM version_files f JOIN blobs b ON b.sha256 = f.sha256 "
            "WHERE f.version_id = ? AND f.path = ?",
            (row[-1], path),
        )
        if not rows:
            raise NotFoundError(f"{row[0]}@{row[1]} has no file {path!r}")
        return decode(int(rows[0][0]), bytes(rows[0][1]))

    def version_files(self, name: str, label: str | None = None) -> list[SkillFile]:
        """Every file of a version with its bytes, sorted by path."""
        row = self._version_row(name, label)
        rows = self._read(
            "SELECT f.path, b.codec, b.data FROM version_files f JOIN blobs b ON b.sha256 = f.sha256 "
            "WHERE f.version_id = ? ORDER BY f.path",
            (row[-1],),
        )
        return [SkillFile(str(r[0]), decode(int(r[1]), bytes(r[2]))) for r in rows]

    def load_skill(self, name: str, label: str | None = None) -> Skill:
        """Rebuild the :class:`Skill` of a stored version (files from blobs, manifest re-parsed)."""
        from skillyard.spec import load_skill

        version = self.get_version(name, label)
        files = self.version_files(name, version.label)
        return load_skill(
            version.name,
            files,
            location=f"{self.location}#{version.ref}",
            provenance=version.provenance,
        )
