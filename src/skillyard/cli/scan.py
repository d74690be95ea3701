"""``skillyard scan`` (paths, archives or registry names), ``skillyard scan graph`` and ``skillyard trust``.

Exit codes: 0 ok; 1 a skill reached ``--fail-on`` or an input could not be analysed; 2 usage/config error.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from skillyard.cli.common import (
    EXIT_FINDINGS,
    AppContext,
    console,
    emit_json,
    handle_errors,
    json_option,
    pass_app,
    registry_option,
)
from skillyard.errors import UsageError
from skillyard.formats import FORMATS, ScanReport, to_json, to_markdown, to_sarif, to_text
from skillyard.model import TrustTier
from skillyard.scan import baseline as baseline_mod
from skillyard.scan.graph import build_graph, to_dot, to_graphml
from skillyard.scan.policy import FAIL_ON_CHOICES, load_policy
from skillyard.services import scan as scan_service
from skillyard.services import trust as trust_service
from skillyard.services.core import parse_ref
from skillyard.services.scan_pool import auto_jobs


class DefaultGroup(click.Group):
    """A group whose first argument, when it is not a subcommand, goes to ``default_cmd``
    (so ``skillyard scan PATH`` and ``skillyard scan graph PATH`` both work)."""

    def __init__(self, *args: Any, default_cmd: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.default_cmd = default_cmd

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("-h", "--help")):
            args = [self.default_cmd, *args]
        return super().parse_args(ctx, args)


@contextmanager
def _progress(enabled: bool, label: str) -> Iterator[Callable[[str], None]]:
    if not enabled or not sys.stderr.isatty():
        yield lambda _d: None
        return
    cols = (SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed} skills"))
    with Progress(*cols, TimeElapsedColumn(), console=console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def step(desc: str) -> None:
            bar.update(task, advance=1, description=f"{label} {desc[-40:]}")

        yield step


def _collect(
    app: AppContext,
    targets: tuple[str, ...],
    all_skills: bool,
    policy_opts: Any,
    store_results: bool,
    quiet: bool,
    reuse_stored: bool = False,
    jobs: int = 1,
) -> scan_service.ScanRun:
    paths = [t for t in targets if scan_service.looks_like_path(t)]
    refs = [parse_ref(t) for t in targets if not scan_service.looks_like_path(t)]
    if not targets and not all_skills:
        raise UsageError("nothing to scan: give PATH or NAME arguments, or --all for the whole registry")
    run = scan_service.ScanRun()
    with _progress(not quiet, "scanning") as step:
        if paths:
            run = scan_service.scan_paths(paths, policy_opts, on_progress=step, jobs=jobs)
        if refs or all_skills:
            reg = scan_service.scan_registry(
                app.store(),
                refs,
                policy_opts,
                all_skills=all_skills,
                persist=store_results,
                reuse_stored=reuse_stored,
                on_progress=step,
                jobs=jobs,
            )
            run.results += reg.results
            run.skills.update(reg.skills)
            run.errors += reg.errors
            run.versions.update(reg.versions)
    return run


def _render(report: ScanReport, fmt: str, verbose: bool) -> str | None:
    if fmt == "json":
        return json.dumps(to_json(report), ensure_ascii=False)
    if fmt == "sarif":
        return json.dumps(to_sarif(report), ensure_ascii=False, indent=2)
    if fmt == "markdown":
        return to_markdown(report)
    return None


def _jobs(ctx: click.Context, param: click.Parameter, value: str) -> int:
    """``--jobs``: a positive number of worker processes, or ``auto`` (the CPUs this process may use)."""
    if value.strip().lower() == "auto":
        return auto_jobs()
    try:
        n = int(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a number of processes or 'auto'") from None
    if n < 1:
        raise click.BadParameter("must be at least 1")
    return n


jobs_option = click.option(
    "--jobs",
    "-j",
    metavar="N|auto",
    default="1",
    callback=_jobs,
    show_default=True,
    help="Scan skills in N worker processes ('auto': one per CPU). Same results, same order.",
)


@click.command("run")
@click.argument("targets", nargs=-1, metavar="[PATH|NAME[@VERSION]]...")
@click.option("--all", "all_skills", is_flag=True, help="Scan the latest version of every registry skill.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report to FILE.")
@click.option("--fail-on", type=click.Choice(FAIL_ON_CHOICES), help="Exit 1 when a skill's risk reaches this.")
@click.option("--policy", metavar="NAME|FILE", help="strict, balanced (default), permissive, or a YAML file.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False), help="Suppress findings in FILE.")
@click.option("--write-baseline", type=click.Path(dir_okay=False), help="Accept all current findings into FILE.")
@click.option("--no-store", is_flag=True, help="Do not record registry scan results and tiers.")
@click.option("--verbose", "-v", is_flag=True, help="Show informational findings and each suppression.")
@jobs_option
@json_option
@registry_option
@pass_app
@handle_errors
def scan_run(
    app: AppContext,
    targets: tuple[str, ...],
    all_skills: bool,
    fmt: str,
    output: str | None,
    fail_on: str | None,
    policy: str | None,
    baseline_path: str | None,
    write_baseline: str | None,
    no_store: bool,
    verbose: bool,
    jobs: int,
    as_json: bool,
) -> None:
    """Scan skill folders, trees or archives (PATH), or registry skills (NAME[@VERSION], --all).

    Registry results are stored per version (with risk and trust tier); inline waivers are honoured for
    paths only (registry content is third-party).
    """
    fmt = "json" if as_json else fmt
    pol = load_policy(policy)
    baseline = baseline_mod.load_baseline(baseline_path) if baseline_path else None
    quiet = fmt != "text" and not output
    run = _collect(app, targets, all_skills, pol.options, not no_store, quiet=quiet, jobs=jobs)
    report = scan_service.build_report(run, pol, baseline=baseline, fail_on=fail_on)
    if write_baseline:
        accepted = baseline_mod.apply_suppressions(
            run.results,
            skills=run.skills,
            honour_waivers=pol.inline_waivers,
            untrusted_paths=frozenset(run.versions),
        ).results
        n = baseline_mod.write_baseline(write_baseline, accepted)
        console(stderr=True).print(f"wrote baseline {write_baseline} ({n} entries)", markup=False)
    text = _render(report, fmt, verbose)
    if output:
        Path(output).write_text(text if text is not None else to_text(report, verbose=verbose).plain, "utf-8")
        if fmt == "text" or not as_json:
            s = report.summary()
            console(stderr=True).print(
                f"{s['skills']} skill(s), {s['findings']} finding(s), {s['do_not_install']} do-not-install; "
                f"report written to {output}",
                markup=False,
            )
    elif text is not None:
        sys.stdout.write(text + ("" if text.endswith("\n") else "\n"))
    else:
        console().print(to_text(report, verbose=verbose))
    if report.failed and not write_baseline:
        raise SystemExit(EXIT_FINDINGS)


@click.command("graph")
@click.argument("targets", nargs=-1, metavar="[PATH|NAME[@VERSION]]...")
@click.option("--all", "all_skills", is_flag=True, help="Use the latest version of every registry skill.")
@click.option("--format", "fmt", type=click.Choice(["json", "graphml", "dot", "text"]), default="text")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the graph to FILE.")
@click.option("--max-pairs", type=click.IntRange(1, 1_000_000), default=500, show_default=True)
@click.option("--policy", metavar="NAME|FILE", help="Scan policy (see `skillyard scan --help`).")
@json_option
@registry_option
@pass_app
@handle_errors
def scan_graph(
    app: AppContext,
    targets: tuple[str, ...],
    all_skills: bool,
    fmt: str,
    output: str | None,
    max_pairs: int,
    policy: str | None,
    as_json: bool,
) -> None:
    """Cross-skill risk graph: pairs/chains of skills that together read secrets or untrusted input and
    send data out or execute. Registry skills reuse their stored scans."""
    fmt = "json" if as_json else fmt
    pol = load_policy(policy)
    run = _collect(app, targets, all_skills, pol.options, True, quiet=fmt != "text", reuse_stored=True)
    rule_caps = scan_service.rule_capabilities()
    graph = build_graph(run.results, rule_caps, max_pairs=max_pairs)
    if fmt == "json":
        doc = graph.to_dict()
        doc["errors"] = [e.to_dict() for e in run.errors]
        text = json.dumps(doc, ensure_ascii=False, indent=None if as_json else 2)
    elif fmt == "graphml":
        text = to_graphml(graph)
    elif fmt == "dot":
        text = to_dot(graph)
    else:
        text = _graph_text(graph, run)
    if output:
        Path(output).write_text(text if text.endswith("\n") else text + "\n", "utf-8")
        console(stderr=True).print(f"{len(graph.pairs)} pair(s) written to {output}", markup=False)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _graph_text(graph: Any, run: scan_service.ScanRun) -> str:
    d = graph.to_dict()
    lines = [
        f"{d['skills_considered']} skill(s); {d['pairs_total']} dangerous pair(s)"
        + (f", strongest {d['pairs_reported']} shown" if d["truncated"] else ""),
    ]
    for kind, n in d["pair_totals"].items():
        lines.append(f"  {kind}: {n}")
    for p in d["pairs"][:50]:
        src = p["evidence"]["source"][:1]
        snk = p["evidence"]["sink"][:1]
        lines.append(f"{p['severity']:>8}  {p['source']} -> {p['sink']}  [{p['kind']}]")
        for side, ev in (("reads", src), ("sends", snk)):
            for e in ev:
                lines.append(f"            {side}: {e['rule']} {e['file']}:{e['line']} {e['message']}")
    if d["chains"]:
        lines.append(f"{len(d['chains'])} chain(s) of three skills, e.g.:")
        lines += [f"  {' -> '.join(c)}" for c in d["chains"][:10]]
    for e in run.errors:
        lines.append(f"not analysed: {e.path}: {e.reason}")
    return "\n".join(lines)


@click.command("review")
@click.argument("ref", metavar="NAME[@VERSION]")
@click.option("--tier", required=True, type=click.Choice([t.name.lower() for t in TrustTier]))
@click.option("--reviewer", required=True, help="Who takes responsibility for this decision.")
@click.option("--reason", required=True, help="Why this tier is right for this exact content.")
@json_option
@registry_option
@pass_app
@handle_errors
def trust_review(app: AppContext, ref: str, tier: str, reviewer: str, reason: str, as_json: bool) -> None:
    """Record a human review of NAME[@VERSION], bound to its exact digest (a new version is unreviewed)."""
    name, label = parse_ref(ref)
    review, decision = trust_service.record_review(app.store(), name, label, TrustTier.parse(tier), reviewer, reason)
    if as_json:
        emit_json({"review": review.to_dict(), **decision.to_dict()})
        return
    console().print(
        f"{review.name}@{review.label} ({review.digest[:19]}): tier {decision.tier.name.lower()} "
        f"- reviewed by {review.reviewer}",
        markup=False,
    )


@click.command("show")
@click.argument("ref", metavar="NAME[@VERSION]")
@click.option("--all-versions", is_flag=True, help="Show every version, newest first.")
@json_option
@registry_option
@pass_app
@handle_errors
def trust_show(app: AppContext, ref: str, all_versions: bool, as_json: bool) -> None:
    """Show the trust tier of a registry skill, how it was derived, and its reviews."""
    name, label = parse_ref(ref)
    views = trust_service.show(app.store(), name, label, all_versions=all_versions)
    if as_json:
        emit_json({"versions": [v.to_dict() for v in views]})
        return
    table = Table("version", "digest", "tier", "risk", "why", "reviews")
    for v in views:
        d = v.decision
        cells = (
            v.version.label,
            v.version.digest[:19],
            d.tier.name.lower(),
            d.risk.value if d.risk else "not scanned",
            "; ".join(d.reasons),
            str(len(v.history)),
        )
        table.add_row(*(Text(c) for c in cells))  # Text: names and reasons are never parsed as markup
    console().print(table)


def register(group: click.Group) -> None:
    """Add ``scan`` (run, graph) and ``trust`` (review, show) to the CLI."""
    scan = DefaultGroup(
        "scan",
        default_cmd="run",
        help="Scan skills for security risks: `skillyard scan [run] PATH|NAME...`, `skillyard scan graph ...`.",
    )
    scan.add_command(scan_run)
    scan.add_command(scan_graph)
    trust = DefaultGroup(
        "trust",
        default_cmd="review",
        help="Trust tiers: `skillyard trust NAME[@V] --tier T --reviewer WHO --reason WHY`, "
        "`skillyard trust show NAME`.",
    )
    trust.add_command(trust_review)
    trust.add_command(trust_show)
    group.add_command(scan)
    group.add_command(trust)
