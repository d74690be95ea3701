"""``skillyard search``: hybrid search over the registry (one query, or a JSONL batch with ``--queries``).

Importing this module imports :mod:`skillyard.services.search`, which registers the ingest hooks, so every
CLI process (``skillyard add`` included) stores vectors at ingest.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from skillyard.cli.common import AppContext, console, emit_json, handle_errors, json_option, pass_app, registry_option
from skillyard.errors import UsageError
from skillyard.model import TrustTier
from skillyard.services import search as svc


def _read_queries(path: str) -> list[tuple[Any, str]]:
    out: list[tuple[Any, str]] = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError(f"{path}: cannot read query file: {e}") from e
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise UsageError(f"{path}:{n}: not a JSON object: {e.msg}") from e
        if not isinstance(obj, dict) or not isinstance(obj.get("query"), str):
            raise UsageError(f'{path}:{n}: expected {{"id": ..., "query": "..."}}')
        out.append((obj.get("id", n), obj["query"]))
    return out


def _filters(min_trust: str | None, tags: Sequence[str], source: str | None, agent: str | None) -> svc.Filters:
    tier = None
    if min_trust is not None:
        try:
            tier = int(min_trust) if min_trust.isdigit() else int(TrustTier.parse(min_trust))
        except ValueError as e:
            raise UsageError(str(e)) from e
    return svc.Filters(min_trust=tier, tags=tuple(tags), source=source, agent=agent)


def _hit_json(h: svc.Hit) -> dict[str, Any]:
    return h.to_dict()


def register(group: click.Group) -> None:
    """Add the ``search`` command to ``group``."""

    @group.command("search")
    @click.argument("query", required=False)
    @click.option("--limit", "-k", type=click.IntRange(1, 1000), default=10, show_default=True)
    @click.option("--queries", "queries_file", metavar="FILE.jsonl", help='Batch: lines {"id", "query"}.')
    @click.option(
        "--any-of",
        "any_of",
        multiple=True,
        metavar="QUERY",
        help="Also rank for this query and fuse the rankings (repeatable): skills any of the queries finds.",
    )
    @click.option(
        "--all-of",
        "all_of",
        multiple=True,
        metavar="QUERY",
        help="Also rank for this query and fuse the rankings (repeatable): only skills every query finds.",
    )
    @click.option("--mode", type=click.Choice(["hybrid", "lexical", "semantic"]), default="hybrid")
    @click.option("--min-trust", metavar="TIER", help="Only skills at or above this trust tier (name or 0-4).")
    @click.option("--tag", "tags", multiple=True, help="Only skills with this tag (repeatable: all must match).")
    @click.option("--source", help="Only skills whose provenance URI contains this text.")
    @click.option("--agent", help="Only skills compatible with this agent (skills declaring none pass).")
    @click.option("--reindex", is_flag=True, help="Rebuild the search index from the registry first.")
    @registry_option
    @json_option
    @pass_app
    @handle_errors
    def search_cmd(
        app: AppContext,
        query: str | None,
        limit: int,
        queries_file: str | None,
        any_of: Sequence[str],
        all_of: Sequence[str],
        mode: str,
        min_trust: str | None,
        tags: Sequence[str],
        source: str | None,
        agent: str | None,
        reindex: bool,
        as_json: bool,
    ) -> None:
        """Search the registry's skills for QUERY (keywords or a whole task description).

        With --queries FILE.jsonl, runs every line's query and prints one JSON line per query, in input
        order: {"id", "results": [{"name", "ref", "score", "snippet", "why", ...}]}.
        With --any-of / --all-of (repeatable), QUERY (optional) and those queries are ranked separately and
        fused into one list: {"queries", "require", "results"}; each hit's why.query_ranks gives its rank per
        query.
        """
        if any_of and all_of:
            raise UsageError("give --any-of or --all-of, not both")
        multi = [*([query] if query is not None else []), *any_of, *all_of] if any_of or all_of else None
        if multi is not None and queries_file is not None:
            raise UsageError("--any-of/--all-of cannot be combined with --queries")
        if multi is None and (query is None) == (queries_file is None):
            raise UsageError("give either QUERY or --queries FILE.jsonl")
        filters = _filters(min_trust, tags, source, agent)
        batch = _read_queries(queries_file) if queries_file else None
        store = app.store()
        err = console(stderr=True)
        if reindex:
            status = svc.reindex(store)
            if not as_json:
                err.print(f"reindexed {status.documents} skills into {escape(status.path)}")
        else:
            with err.status("updating search index...", spinner="dots") if not as_json else nullcontext():
                svc.open_index(store)
        if batch is not None:
            for qid, hits in svc.search_batch(store, batch, limit, filters, mode=mode):
                emit_json({"id": qid, "results": [_hit_json(h) for h in hits]})
            return
        if multi is not None:
            require = "all" if all_of else "any"
            hits = svc.search_multi(store, multi, limit, filters, mode=mode, require=require)
            if as_json:
                emit_json({"queries": multi, "require": require, "results": [_hit_json(h) for h in hits]})
                return
        else:
            assert query is not None
            hits = svc.search(store, query, limit, filters, mode=mode)
            if as_json:
                emit_json({"query": query, "results": [_hit_json(h) for h in hits]})
                return
        out = console()
        if not hits:
            out.print("no matching skills")
        for i, h in enumerate(hits, 1):
            matched = ", ".join(f"{f}: {' '.join(ts)}" for f, ts in h.why.get("matched", {}).items())
            out.print(f"[bold]{i:>2}. {escape(h.ref)}[/bold]  [dim]{h.score:.4f}[/dim]")
            if h.snippet:
                out.print(f"    {escape(h.snippet)}")
            if matched:
                out.print(f"    [dim]matched {escape(matched)}[/dim]")
            if h.duplicates:
                out.print(f"    [dim]{len(h.duplicates)} near-duplicate(s): {escape(', '.join(h.duplicates))}[/dim]")
