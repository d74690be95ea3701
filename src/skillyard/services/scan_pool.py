"""Scan many skills in worker processes, results in input order (``skillyard scan --jobs N``).

:func:`scan_in_order` takes ``(tag, skill, path)`` items and yields ``(tag, Scanned)`` in the order the items
came, whatever order the workers finish in, so a run with ``jobs=4`` gives the same results (and the same JSON and
SARIF bytes) as a run with ``jobs=1``. Items whose skill is ``None`` pass through in their place (the caller's
refused inputs and reused results keep their position). ``jobs=1`` scans in this process with the same code.

Workers are ``spawn``-ed (no fork of a process that may hold threads, a terminal or a database connection; the
same on every platform), import the engine once, and ignore SIGINT: Ctrl-C reaches the parent, which cancels
what is queued, stops the workers and re-raises ``KeyboardInterrupt``. A scanner exception is reported for its
skill (fail closed) and never loses the others; a worker that dies (killed, out of memory) breaks the pool: the
skills it was running are retried one at a time in a fresh pool, so only the skill that kills a worker on its
own is reported as an error; a worker whose parent is killed outright exits within a second. The scanner must
be picklable (a module-level function) when ``jobs > 1``; the default (``None``) is the real engine, built in
each worker.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from typing import TypeVar

from skillyard.model import ScanResult, Skill, SkillRef
from skillyard.scan.options import ScanOptions

T = TypeVar("T")
Scanner = Callable[[Skill, ScanOptions], ScanResult]
# Read-ahead: up to READ_AHEAD items per worker (so a slow skill at the head of the ordered output does not leave the
# other workers idle) and, past one item per worker, at most MAX_HELD bytes of skill files held in flight.
READ_AHEAD = 32
MAX_HELD = 256 * 1024 * 1024


@dataclass(frozen=True)
class Scanned:
    """One skill's outcome: its result (the skill reference's path set to the item's path), or the error that
    stopped the scanner, and the seconds the scan took (in the process that ran it)."""

    result: ScanResult | None
    error: str | None
    seconds: float


def auto_jobs() -> int:
    """The number of CPUs this process may use (``--jobs auto``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def scan_one(scanner: Scanner | None, skill: Skill, options: ScanOptions, path: str) -> Scanned:
    """Scan ``skill`` and time it; an exception becomes the error (fail closed: reported, never dropped)."""
    t0 = time.perf_counter()
    try:
        run = scanner or _default_scanner()
        result = run(skill, options)
        out = Scanned(replace(result, skill=SkillRef(skill.name, path, skill.digest)), None, 0.0)
    except Exception as e:  # a scanner crash on hostile input is reported for this skill only
        out = Scanned(None, f"scanner failed: {type(e).__name__}: {e}", 0.0)
    return replace(out, seconds=time.perf_counter() - t0)


def _default_scanner() -> Scanner:
    from skillyard.services.scan import default_scanner

    return default_scanner()


def _worker_init() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # A parent killed outright (SIGTERM/SIGKILL) cannot stop its workers, and they would wait forever on a queue
    # whose other end they hold themselves: each worker leaves when its parent is gone.
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    _default_scanner()  # import the engine (and build its keyword automaton) once per worker


def _exit_with_parent(parent: int) -> None:
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(1)


def _new_pool(jobs: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"), initializer=_worker_init)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel queued work and end the workers now (Ctrl-C, or an error in the consumer)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        if p.is_alive():
            p.terminate()
    # The pool's manager thread joins its workers too; when it reaps one first, our join returns before the
    # process is marked dead. Waiting for that thread (it ends once every worker is reaped) closes the race.
    if isinstance(manager, threading.Thread):
        manager.join(timeout=5)
    for p in processes:
        p.join(timeout=5)


def scan_in_order(
    items: Iterable[tuple[T, Skill | None, str]],
    options: ScanOptions,
    *,
    jobs: int = 1,
    scanner: Scanner | None = None,
) -> Iterator[tuple[T, Scanned | None]]:
    """Scan each item's skill (``None``: pass the tag through) with ``jobs`` processes; yield in input order."""
    if jobs <= 1:
        for tag, skill, path in items:
            yield tag, (scan_one(scanner, skill, options, path) if skill is not None else None)
        return
    source = iter(items)
    window: deque[tuple[T, Skill | None, str, Future[Scanned] | None]] = deque()
    pool = _new_pool(jobs)
    try:
        exhausted = False
        held = 0  # bytes of skill files in the window
        while True:
            while not exhausted and len(window) < jobs * READ_AHEAD and (len(window) <= jobs or held < MAX_HELD):
                nxt = next(source, None)
                if nxt is None:
                    exhausted = True
                    break
                tag, skill, path = nxt
                fut = pool.submit(scan_one, scanner, skill, options, path) if skill is not None else None
                window.append((tag, skill, path, fut))
                held += _size(skill)
            if not window:
                return
            tag, skill, path, fut = window[0]
            if fut is None:
                window.popleft()
                yield tag, None
                continue
            try:
                done = fut.result()
            except BrokenProcessPool:
                pool = _recover(pool, jobs, window, options, scanner)
                continue
            window.popleft()
            held -= _size(skill)
            yield tag, done
    finally:
        _stop(pool)


def _size(skill: Skill | None) -> int:
    return sum(len(f.data) for f in skill.files) if skill is not None else 0


def _recover(
    pool: ProcessPoolExecutor,
    jobs: int,
    window: deque[tuple[T, Skill | None, str, Future[Scanned] | None]],
    options: ScanOptions,
    scanner: Scanner | None,
) -> ProcessPoolExecutor:
    """A worker died: rescan every unfinished item of the window alone in a fresh pool (the one that kills its
    worker again is reported as an error), then resubmit the rest to a new pool of ``jobs`` workers."""
    _stop(pool)
    single = _new_pool(1)
    try:
        for i, (tag, skill, path, fut) in enumerate(window):
            if skill is None or fut is None or (fut.done() and not fut.cancelled() and fut.exception() is None):
                continue
            try:
                res = single.submit(scan_one, scanner, skill, options, path).result()
            except BrokenProcessPool:
                res = Scanned(None, "scanner failed: the worker process died while scanning this skill", 0.0)
                _stop(single)
                single = _new_pool(1)
            done: Future[Scanned] = Future()
            done.set_result(res)
            window[i] = (tag, skill, path, done)
    finally:
        _stop(single)
    return _new_pool(jobs)
