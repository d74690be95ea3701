"""Install, remove, check and sync skills in agents' folders, from a registry, pinned by a lockfile.

Writes are atomic per skill: files go to a temporary sibling folder that is renamed into place, so an
agent never sees a half-installed skill. Only folders the lock says we installed are ever replaced or
deleted; a folder that was there before is left alone unless the caller forces it.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from skillyard.errors import SkillyardError
from skillyard.install.interface import AgentTarget, InstallError
from skillyard.install.lockfile import LockEntry, Lockfile
from skillyard.model import Version
from skillyard.registry.interface import SkillStore

_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


@dataclass(frozen=True)
class Place:
    """Where installs go: ``project`` (None for user scope), ``home``, and the symlink cache folder."""

    project: Path | None
    home: Path
    cache_dir: Path

    def skills_dir(self, target: AgentTarget) -> Path:
        return target.skills_dir(project=self.project, home=self.home)

    def relative(self, path: Path) -> str:
        base = self.project if self.project is not None else self.home
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            return str(path)

    def absolute(self, rel: str) -> Path:
        base = self.project if self.project is not None else self.home
        return base / rel


@dataclass(frozen=True)
class Drift:
    """One difference between the lock and the disk (or the registry)."""

    agent: str
    name: str
    kind: str  # missing | modified | extra | not-in-registry | outdated
    detail: str = ""


def _check_name(name: str) -> None:
    if not _SAFE_NAME.match(name) or name in (".", ".."):
        raise InstallError(f"refusing to install a skill named {name!r}: not a safe folder name")


def _safe_rel(path: str) -> PurePosixPath:
    p = PurePosixPath(path)
    if p.is_absolute() or ".." in p.parts or not p.parts:
        raise InstallError(f"refusing file path {path!r}: it would leave the skill folder")
    return p


def _fetch_files(store: SkillStore, name: str, version: Version) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for entry in store.list_files(name, version.label):
        data = store.read_file(name, entry.path, version.label)
        if hashlib.sha256(data).hexdigest() != entry.sha256:
            raise InstallError(f"{name}@{version.label}: blob for {entry.path} fails its sha256 check")
        files[entry.path] = data
    return files


def _write_tree(dest: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` as the complete content of ``dest``, atomically replacing what was there."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.skillyard-", dir=dest.parent))
    try:
        for rel, data in sorted(files.items()):
            target = tmp.joinpath(*_safe_rel(rel).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        old: Path | None = None
        if dest.is_symlink() or dest.is_file():
            dest.unlink()
        elif dest.exists():
            old = dest.with_name(f".{dest.name}.skillyard-old")
            if old.exists():
                shutil.rmtree(old)
            dest.rename(old)
        tmp.rename(dest)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _link(dest: Path, source: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.skillyard-link")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(source, target_is_directory=True)
    if dest.exists() and not dest.is_symlink():
        shutil.rmtree(dest)
    tmp.replace(dest)


def disk_files(folder: Path) -> dict[str, str]:
    """sha256 of every regular file under ``folder`` (symlinked folder followed once, at the top)."""
    out: dict[str, str] = {}
    if not folder.exists():
        return out
    root = folder.resolve()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not Path(dirpath, d).is_symlink()]
        for fn in filenames:
            p = Path(dirpath, fn)
            if p.is_symlink() or not p.is_file():
                continue
            out[p.relative_to(root).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def install_version(
    store: SkillStore,
    version: Version,
    target: AgentTarget,
    place: Place,
    lock: Lockfile,
    *,
    mode: str = "copy",
    overwrite_unmanaged: bool = False,
    forced_reason: str | None = None,
) -> LockEntry:
    """Install one registry version for one agent and record it in ``lock`` (not saved here)."""
    _check_name(version.name)
    if mode not in ("copy", "symlink"):
        raise InstallError(f"unknown install mode {mode!r}; use copy or symlink")
    dest = place.skills_dir(target) / version.name
    managed = (target.name, version.name) in lock.entries
    if (dest.exists() or dest.is_symlink()) and not managed and not overwrite_unmanaged:
        raise InstallError(f"{dest} already exists and was not installed by skillyard; use --force to replace it")
    files = _fetch_files(store, version.name, version)
    if mode == "copy":
        _write_tree(dest, files)
    else:
        cached = place.cache_dir / version.digest.removeprefix("sha256:")[:32] / version.name
        if disk_files(cached) != {p: hashlib.sha256(d).hexdigest() for p, d in files.items()}:
            _write_tree(cached, files)
        _link(dest, cached)
    entry = LockEntry(
        name=version.name,
        agent=target.name,
        version=version.label,
        digest=version.digest,
        source=version.provenance.source_uri if version.provenance else "",
        path=place.relative(dest),
        mode=mode,
        files={p: hashlib.sha256(d).hexdigest() for p, d in sorted(files.items())},
        installed_at=datetime.now(UTC).isoformat(timespec="seconds"),
        forced_reason=forced_reason,
    )
    lock.put(entry)
    return entry


def uninstall(target: AgentTarget, name: str, place: Place, lock: Lockfile) -> LockEntry:
    """Remove a skill that skillyard installed (never a folder it does not manage)."""
    entry = lock.entries.get((target.name, name))
    if entry is None:
        raise InstallError(f"{name} is not installed for {target.name} in this scope (not in {lock.path})")
    dest = place.absolute(entry.path)
    if dest.is_symlink() or dest.is_file():
        dest.unlink()
    elif dest.exists():
        shutil.rmtree(dest)
    lock.drop(target.name, name)
    return entry


def entry_drift(entry: LockEntry, place: Place) -> list[Drift]:
    """How the files on disk differ from what the lock pins."""
    dest = place.absolute(entry.path)
    if not dest.exists():
        return [Drift(entry.agent, entry.name, "missing", str(dest))]
    on_disk = disk_files(dest)
    out: list[Drift] = []
    for path, digest in sorted(entry.files.items()):
        if path not in on_disk:
            out.append(Drift(entry.agent, entry.name, "missing", path))
        elif on_disk[path] != digest:
            out.append(Drift(entry.agent, entry.name, "modified", path))
    out.extend(Drift(entry.agent, entry.name, "extra", p) for p in sorted(set(on_disk) - set(entry.files)))
    return out


def check(store: SkillStore, lock: Lockfile, place: Place) -> list[Drift]:
    """Local modifications plus skills whose registry has a newer version than the pinned one."""
    out: list[Drift] = []
    for entry in lock.entries.values():
        out.extend(entry_drift(entry, place))
        try:
            latest = store.get_version(entry.name)
        except SkillyardError:
            out.append(Drift(entry.agent, entry.name, "not-in-registry", entry.digest))
            continue
        if latest.digest != entry.digest:
            out.append(Drift(entry.agent, entry.name, "outdated", f"{entry.version} -> {latest.label}"))
    return out


def sync(
    store: SkillStore, lock: Lockfile, place: Place, targets: dict[str, AgentTarget], *, frozen: bool
) -> list[Drift]:
    """Make the disk match the lock exactly. With ``frozen``, change nothing and report the drift."""
    drift = [d for e in lock.entries.values() for d in entry_drift(e, place)]
    if frozen:
        return drift
    for key in sorted({(d.agent, d.name) for d in drift}):
        entry = lock.entries[key]
        target = targets.get(entry.agent)
        if target is None:
            raise InstallError(f"{lock.path}: unknown agent {entry.agent!r} for {entry.name}")
        try:
            version = store.get_version(entry.name, entry.digest)
        except SkillyardError as e:
            raise InstallError(f"{entry.name}: pinned {entry.digest} is not in the registry ({e})") from e
        if version.digest != entry.digest:
            raise InstallError(f"{entry.name}: registry returned {version.digest}, lock pins {entry.digest}")
        reinstalled = install_version(
            store,
            version,
            target,
            place,
            lock,
            mode=entry.mode,
            overwrite_unmanaged=True,
            forced_reason=entry.forced_reason,
        )
        reinstalled.installed_at = entry.installed_at
        if reinstalled.files != entry.files:
            raise InstallError(f"{entry.name}: registry content for {entry.digest} differs from the lock")
    return drift


def names(entries: Iterable[LockEntry]) -> list[str]:
    return sorted({e.name for e in entries})
