"""MCP round-trip latency over stdio against a registry holding the shared corpus.

usage: python bench/mcp.py [--registry PATH] [--corpus-dir DIR] [--queries N]

Builds (or reuses) a registry with the 6,144-skill shared corpus through `skillyard add` (so the search
index is built the way users build it), starts `skillyard serve mcp` as a subprocess through the MCP SDK's
own stdio client, and prints: server start to first answer, search_skills and load_skill p50/p95 round
trips, and as a baseline the same search called in-process (no MCP, no JSON-RPC) in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# This file is named mcp.py, so Python puts bench/ first on sys.path and `import mcp` would find this very
# file instead of the MCP SDK: drop the script's folder from the path before importing the SDK.
sys.path = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))]


def build_registry(registry: Path, corpus_dir: Path | None) -> None:
    if registry.exists():
        return
    if corpus_dir is None:
        corpus_dir = Path(tempfile.mkdtemp(prefix="sy-corpus-"))
        subprocess.run(
            [
                sys.executable,
                str(SHARED / "tools/materialize.py"),
                str(SHARED / "corpus/skills.jsonl.gz"),
                str(corpus_dir),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "skillyard", "--registry", str(registry), "add", str(corpus_dir), "--json"],
        check=False,
        stdout=subprocess.DEVNULL,
    )
    print(f"registry built in {time.perf_counter() - t:.1f}s at {registry}")


def queries(n: int) -> list[str]:
    out: list[str] = []
    for line in (SHARED / "retrieval/dev.jsonl").read_text().splitlines():
        task = json.loads(line)
        out.extend(task["keyword_queries"])
        out.append(task["instruction"][:1500])
    return out[:n]


async def run(registry: Path, qs: list[str]) -> dict[str, float | list[float]]:
    from mcp import Client, StdioServerParameters

    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "skillyard", "serve", "mcp", "--registry", str(registry)],
        env=dict(os.environ),
    )
    t0 = time.perf_counter()
    async with Client(params) as client:
        first = await client.call_tool("search_skills", {"query": "warm up: csv", "limit": 5})
        start_to_first = time.perf_counter() - t0
        assert not first.is_error, first
        search_ms: list[float] = []
        names: list[str] = []
        for q in qs:
            t = time.perf_counter()
            r = await client.call_tool("search_skills", {"query": q, "limit": 5})
            search_ms.append((time.perf_counter() - t) * 1000)
            if r.structured_content and r.structured_content.get("result"):
                names.append(r.structured_content["result"][0]["name"])
        load_ms: list[float] = []
        for name in names[:100]:
            t = time.perf_counter()
            await client.call_tool("load_skill", {"name": name})
            load_ms.append((time.perf_counter() - t) * 1000)
    return {"start": start_to_first, "search": search_ms, "load": load_ms}


def inprocess(registry: Path, qs: list[str]) -> list[float]:
    from skillyard.registry import open_store
    from skillyard.services.search import search

    store = open_store(str(registry))
    search(store, "warm up", limit=5)
    out = []
    for q in qs:
        t = time.perf_counter()
        search(store, q, limit=5)
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--registry", type=Path, default=Path(tempfile.gettempdir()) / "skillyard-bench-mcp.db")
    ap.add_argument("--corpus-dir", type=Path, default=None)
    ap.add_argument("--queries", type=int, default=200)
    args = ap.parse_args()
    build_registry(args.registry, args.corpus_dir)
    qs = queries(args.queries)
    res = asyncio.run(run(args.registry, qs))
    base = inprocess(args.registry, qs)
    search_ms = res["search"]
    load_ms = res["load"]
    assert isinstance(search_ms, list) and isinstance(load_ms, list)
    print(f"queries: {len(qs)} (dev keyword queries and instructions, instructions cut at 1,500 chars)")
    print(f"server start to first answer: {float(res['start']):.2f} s   (target <= 2 s)")
    print(
        f"search_skills over MCP stdio: p50 {statistics.median(search_ms):.1f} ms  p95 {pct(search_ms, 95):.1f} ms"
        "   (targets 20 / 50 ms)"
    )
    print(f"load_skill over MCP stdio:    p50 {statistics.median(load_ms):.1f} ms  p95 {pct(load_ms, 95):.1f} ms")
    print(
        f"baseline, same search in-process: p50 {statistics.median(base):.1f} ms  p95 {pct(base, 95):.1f} ms"
        f"  -> MCP overhead p50 {statistics.median(search_ms) - statistics.median(base):.1f} ms"
    )


if __name__ == "__main__":
    main()
