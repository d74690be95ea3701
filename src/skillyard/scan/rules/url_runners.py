"""SC036: an interpreter told to run code straight from a URL (blind10 deno-fresh-starter, laravel-quickstart).

``curl … | sh`` is the pattern every scanner knows. The same download-and-run is one command for runtimes that
execute a URL themselves or evaluate what they fetch: ``deno run -A https://host/x/init.ts`` (with every permission),
``deno install``/``deno eval`` of a URL, ``php -r "eval(file_get_contents('https://…'))"`` (also ``include``/
``require`` of a URL), ``python -c "exec(urlopen('https://…').read())"``, ``ruby -e "eval(URI.open('https://…').read)"``,
``node -e`` evaluating what ``https.get``/``fetch`` returns.
Found in any shell snippet the skill runs - bundled scripts, fenced blocks the agent is told to run, and the
task-runner manifests (``deno.json`` tasks, ``composer.json`` scripts that Composer runs on every install).
Official hosts (deno.land, jsr.io, the vendors' installer hosts) are not reported; GitHub-hosted code is medium.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from skillyard.model import Severity
from skillyard.scan.analyzers.hosts import code_host_severity, host_class, host_of
from skillyard.scan.analyzers.view import SkillView
from skillyard.scan.rules.base import Family, Hit, Rule, snippet

_URL = r"['\"]?(https?://[^\s'\"`)]+)"
_RUNNERS = re.compile(
    r"\bdeno\s+(?:run|install|eval|x)\b[^|;&\n]*?\s"
    + _URL
    + r"|\bphp\s+-r\s+.*?\b(?:eval|include(?:_once)?|require(?:_once)?|assert)\s*\(?\s*@?(?:file_get_contents\s*\(\s*)?"
    + _URL
    + r"|\b(?:python\d?(?:\.\d+)?|ruby|perl)\s+-[ce]\s+.*?\b(?:exec|eval)\s*\(.*?(?:urlopen|URI\.open|open-uri|get"
    r"|LWP::Simple)\b.*?"
    + _URL
    # node/bun -e: a fetch whose body is evaluated (``https.get(url, r => … eval(d))``, ``eval(await (await
    # fetch(url)).text())``, ``new Function(...)``, ``vm.runInThisContext``)
    + r"|\b(?:node|nodejs|bun)\s+(?:-e|--eval|-p|--print)\s+.*?(?:\b(?:https?\.get|https?\.request|fetch|got"
    r"|axios(?:\.get)?)|\)\s*\.\s*(?:get|request))\s*\(\s*"
    + _URL
    + r".*?\b(?:eval|Function|runInThisContext|runInNewContext)\s*\("
    + r"|\b(?:node|nodejs|bun)\s+(?:-e|--eval|-p|--print)\s+.*?\b(?:eval|Function|runInThisContext)\s*\(.{0,40}?"
    r"\b(?:fetch|axios(?:\.get)?|got)\s*\(\s*" + _URL,
    re.IGNORECASE,
)


def _url_runners(view: SkillView) -> Iterator[Hit]:
    for sn in view.snippets:
        if sn.lang != "shell" or not (
            "://" in sn.text and any(k in sn.text for k in ("deno", "php", "-c", "-e", "-p"))
        ):
            continue
        for m in _RUNNERS.finditer(sn.text):
            url = next(g for g in m.groups() if g is not None)
            sev = code_host_severity(url)
            if sev is None:
                continue
            line = sn.line + sn.text.count("\n", 0, m.start())
            yield Hit(
                "SC036",
                sn.file,
                line,
                f"{m.group(0).split()[0]} runs code fetched from {host_of(url)} ({host_class(url)} host)",
                snippet(sn.text, m.start(), m.end()),
                sn.ctx,
                sev,
            )


RULES = [
    Rule(
        "SC036",
        "Interpreter runs code from a URL",
        Family.SUPPLY_CHAIN,
        Severity.HIGH,
        0.8,
        "deno run <url>, php -r eval(file_get_contents(<url>)), python -c exec(urlopen(<url>)) and the like download "
        "and execute code in one step, like curl | sh: whoever controls the host controls the user's machine.",
        "Vendor the code into the skill, or pin it to an official registry (jsr.io, deno.land) at a fixed version.",
        _url_runners,
        mitre="T1059",
    ),
]
