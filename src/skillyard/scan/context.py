"""Context weighting: where a string sits decides how much it means.

The same ``curl ... | bash`` is an order when it sits in a fenced shell block of SKILL.md that the agent is told
to run, a behaviour when it is in a bundled script, and merely a quotation when a security skill lists it under
"patterns to detect". Each analysed line gets a :class:`Context` whose ``weight`` multiplies the rule's
confidence; :mod:`skillyard.scan.risk` turns weighted findings into the skill-level verdict.

Weights (documented in docs/scanner.md, overridable through ``ScanOptions.context_weights``):

=================  ======  =====================================================================
kind               weight  meaning
=================  ======  =====================================================================
instruction        1.0     SKILL.md prose or code the agent reads as instructions
script             1.0     bundled code (scripts/, *.py, *.sh, *.js ...) - it runs when used
metadata           1.0     frontmatter / vendor install metadata
reference          0.6     references/, docs, other markdown loaded on demand
documentation      0.25    prose that documents an attack (security skill quoting a pattern)
test               0.2     tests/ and fixtures/ - data, not behaviour
=================  ======  =====================================================================
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from skillyard.scan.analyzers import agent_files
from skillyard.scan.analyzers.langs import SHELL_RC_NAMES


class ContextKind(StrEnum):
    """Where a line sits, from the agent's point of view."""

    INSTRUCTION = "instruction"
    SCRIPT = "script"
    METADATA = "metadata"
    REFERENCE = "reference"
    DOCUMENTATION = "documentation"
    TEST = "test"


DEFAULT_WEIGHTS: dict[str, float] = {
    ContextKind.INSTRUCTION: 1.0,
    ContextKind.SCRIPT: 1.0,
    ContextKind.METADATA: 1.0,
    ContextKind.REFERENCE: 0.6,
    ContextKind.DOCUMENTATION: 0.25,
    ContextKind.TEST: 0.2,
}


@dataclass(frozen=True, slots=True)
class Context:
    """The context of one line: its kind and why it was classified so (for explanations)."""

    kind: ContextKind
    reason: str = ""


INSTRUCTION = Context(ContextKind.INSTRUCTION)
SCRIPT = Context(ContextKind.SCRIPT)
METADATA = Context(ContextKind.METADATA)
REFERENCE = Context(ContextKind.REFERENCE)
TEST = Context(ContextKind.TEST)

_TEST_PARTS = re.compile(r"(^|/)(tests?|__tests__|fixtures?|testdata|samples?)(/|$)|(^|/)test_[^/]*$|_test\.")
# spec/ holds RSpec/Jasmine tests (spec/foo_spec.rb), but a JSON/YAML document there is an API specification the
# agent reads (spec/openapi.json), not a test
_SPEC_DIR = re.compile(r"(^|/)spec(/|$)")
_SPEC_DATA = (".json", ".yaml", ".yml")
_DOC_DIRS = re.compile(r"(^|/)(references?|docs?|resources?|examples?|assets?|templates?|knowledge)(/|$)")

# Words in a heading (or in the lines right around a match) that say "this text describes a threat".
DOC_HEADING = re.compile(
    r"\b(detect\w*|detection|indicators?|ioc|red[- ]flags?|warning signs?|examples? of (?:an? )?(?:malicious|attack)"
    r"|malicious|attacks?|threats?|vulnerab\w*|anti-?patterns?|bad (?:patterns?|examples?|practices?)"
    r"|what to (?:look|watch) for|patterns?|signatures?|risky|dangerous|suspicious|don'?t|never|avoid"
    r"|forbidden|prohibited|blocked|blocklist|denylist|mitigat\w*|exploit\w*|injection|payloads?"
    r"|common mistakes|pitfalls|security (?:checks?|review|audit|rules?|issues?|risks?)|checklist|findings?"
    r"|wrong|incorrect|unsafe|insecure|vulnerable|do not)\b",
    re.IGNORECASE,
)
DOC_NEAR = re.compile(
    r"\b(malicious|attacker|adversar\w*|detects?|detection|flag(?:s|ged)?|scann\w+|example of|e\.g\.|such as"
    r"|look(?:s|ing)? for|patterns?|red flags?|indicators?|vulnerab\w*|exploit\w*|never|don'?t|do not|avoid"
    r"|block(?:s|ed)?|reject\w*|warn\w*|dangerous|unsafe|insecure|suspicious|attack\w*|injection|threat\w*"
    r"|bad:|wrong:|❌|✗|⚠|grep|regex|signature|rule)\b|❌|⚠️|✗",
    re.IGNORECASE,
)
SETUP_HEADING = re.compile(
    r"\b(prerequisites?|requirements?|install\w*|setup|set up|getting started|quick ?start|before you (?:begin|start)"
    r"|dependencies|usage|how to use|workflow|steps?|run|configuration|initiali[sz]\w*)\b",
    re.IGNORECASE,
)
SECURITY_TOPIC = re.compile(
    r"\b(secur\w*|audit\w*|vulnerab\w*|threat\w*|malware|pentest\w*|penetration|red[- ]?team\w*|ctf|forensic\w*"
    r"|exploit\w*|attack\w*|injection|scanner|scanning|sast|dast|owasp|cve|hardening|incident|siem|detection"
    r"|phishing|compliance|soc ?2|guardrails?|sandbox\w*|safety|jailbreak\w*|adversarial)\b",
    re.IGNORECASE,
)


_DEP_MANIFESTS = frozenset(
    {
        "requirements.txt",
        "requirements-dev.txt",
        "package.json",
        "pyproject.toml",
        "setup.py",
        "setup.cfg",
        "pipfile",
        "gemfile",
        "cargo.toml",
        "go.mod",
        "environment.yml",
    }
)


def is_dependency_manifest(path: str) -> bool:
    """requirements.txt, package.json, pyproject.toml...: text files that decide what gets installed."""
    return path.lower().rsplit("/", 1)[-1] in _DEP_MANIFESTS


def file_role(path: str) -> str:
    """Role of a file inside a skill: ``skill_md``, ``test``, ``reference``, ``script`` or ``asset``."""
    low = path.lower()
    if path == "SKILL.md":
        return "skill_md"
    # code that runs whenever the project is tested or built: pytest imports conftest.py on every run, cargo
    # compiles and runs build.rs on every build (also from a template folder the skill copies)
    # and shell rc files / direnv's .envrc run whenever a shell starts or enters the directory
    name = low.rsplit("/", 1)[-1]
    if name in ("conftest.py", "build.rs") or name in SHELL_RC_NAMES:
        return "script"
    if _TEST_PARTS.search(low) or (_SPEC_DIR.search(low) and not low.endswith(_SPEC_DATA)):
        return "test"
    if is_dependency_manifest(low):
        return "script"
    if low.endswith((".md", ".markdown", ".txt", ".rst", ".mdx")):
        return "reference"
    if _DOC_DIRS.search(low) and not low.endswith((".sh", ".bash", ".ps1", ".py", ".js", ".ts", ".mjs")):
        return "reference"
    return "script"


def base_context(role: str) -> Context:
    """The default context of every line of a file with this role."""
    if role == "test":
        return TEST
    if role == "reference":
        return REFERENCE
    if role == "script":
        return SCRIPT
    return INSTRUCTION


def documentation(reason: str) -> Context:
    """A documentation context, with the reason it was recognised (heading or nearby words)."""
    return Context(ContextKind.DOCUMENTATION, reason)


# A data/config file is configuration that runs (script weight, not reference) when it is a CI workflow, or when
# SKILL.md tells the agent to put it in place: "Copy `templates/release.yml` to `.github/workflows/`", "Merge
# `assets/config.toml` into `~/.codex/config.toml`". A template the agent installs acts like a bundled script.
_GITHUB_CI = re.compile(r"^\s*runs-on\s*:", re.MULTILINE)
_COMPOSITE = re.compile(r"^\s*using\s*:\s*['\"]?composite\b", re.MULTILINE)  # a composite action.yml
_GITLAB_CI = re.compile(r"^\s*(?:-\s+)?(?:script|before_script)\s*:", re.MULTILINE)
_GITLAB_TOP = re.compile(r"^(?:stages|image|default|variables|pipelines|workflow)\s*:", re.MULTILINE)
_INSTALL_VERB = re.compile(
    r"\b(?:copy|cp|merge|install|append|place|put|move|mv|drop|add|apply|write|save|paste)\b", re.IGNORECASE
)
_INSTALL_DEST = re.compile(
    r"~/|\$HOME|\.github/|\.(?:vscode|cursor|claude|gemini|codex|zed|idea)/|%\w+%"
    r"|\b(?:into|to|in)\s+(?:the\s+)?(?:user'?s?\s+)?(?:(?:workspace|project|repo(?:sitory)?|global)\s+)?[`\"'~./]"
)


def installed_configs(skill_md: str, paths: Iterable[str]) -> frozenset[str]:
    """Data/config files (yaml/json/toml/ini...) and shell snippets of the skill that SKILL.md tells the agent to put
    in place."""
    low = skill_md.lower()
    out: set[str] = set()
    if not any(ext in low for ext in _INSTALLABLE_EXT):
        return frozenset()
    lines: list[tuple[str, str]] | None = None  # (line, lower-cased line), split once
    for path in paths:
        p = path.lower()
        if not p.endswith(_INSTALLABLE_EXT) or p not in low:
            continue
        if lines is None:
            lines = [(ln, ln.lower()) for ln in skill_md.splitlines()]
        for line, line_low in lines:
            i = line_low.find(p)
            if i >= 0 and _INSTALL_VERB.search(line[:i]) and _INSTALL_DEST.search(line[i + len(path) :]):
                out.add(path)
                break
    return frozenset(out)


_CONFIG_EXT = (".yml", ".yaml", ".json", ".toml", ".ini", ".cfg", ".conf", ".plist", ".service", ".timer")
# shell snippets the agent appends to an rc file or profile ("Append `assets/aliases.sh` to ~/.zshrc") run too
_INSTALLABLE_EXT = (*_CONFIG_EXT, ".sh", ".bash", ".zsh", ".fish", ".ps1", ".psm1")


def is_ci_workflow(path: str, text: str) -> bool:
    """A GitHub Actions / GitLab CI style workflow, recognised by content wherever it sits."""
    if not path.lower().endswith((".yml", ".yaml")):
        return False
    if "steps:" in text and (_GITHUB_CI.search(text) or _COMPOSITE.search(text)):
        return True
    return "script:" in text and _GITLAB_CI.search(text) is not None and _GITLAB_TOP.search(text) is not None


# A markdown/text file of the skill that SKILL.md has the agent write into an agent instruction file ("write
# AGENTS.md from `assets/template.md`", "append `references/rules.md` to CLAUDE.md") is read as instructions: what it
# says becomes standing orders for this and other agents, so it is not a reference the agent merely consults.
_AGENT_FILES = re.compile(
    r"(?<![\w-])(?:AGENTS|CLAUDE|GEMINI|MEMORY|SOUL|COPILOT)\.md\b|\.cursorrules|\.windsurfrules|copilot-instructions"
    r"|\.cursor/rules|\.clinerules|\.claude/(?:agents|commands)/|\.github/(?:prompts|agents|chatmodes)/"
    r"|\.gemini/commands/|\.codex/prompts/|\.opencode/(?:agent|command)s?/|(?<![\w-])(?:"
    + agent_files.TOOL_FILES
    + ")",
    re.IGNORECASE,
)
AGENT_FILES = _AGENT_FILES  # for rules that read a rule file the tool files as a script
_AGENT_FILE_KEYS = (
    "agents.md", "claude.md", "gemini.md", "memory.md", "soul.md", "copilot.md", ".cursorrules", ".windsurfrules",
    "copilot-instructions", ".cursor/rules", ".clinerules", ".claude/agents", ".claude/commands", ".github/prompts",
    ".github/agents", ".github/chatmodes", ".gemini/commands", ".codex/prompts", ".opencode/agent", ".opencode/command",
    *agent_files.TOOL_KEYS,
)  # fmt: skip
_PLANT_VERB = re.compile(r"\b(?:write|copy|cp|append|create|install|save|paste|add|place|put|merge)\b", re.IGNORECASE)


def planted_instructions(skill_md: str, paths: Iterable[str]) -> frozenset[str]:
    """Markdown/text files of the skill that SKILL.md has the agent write into an agent instruction file."""
    low = skill_md.lower()
    if not any(k in low for k in _AGENT_FILE_KEYS):  # every match of _AGENT_FILES holds one (a C-level test first)
        return frozenset()
    out: set[str] = set()
    lines = [
        ln
        for ln in skill_md.splitlines()
        if any(k in ln.lower() for k in _AGENT_FILE_KEYS) and _AGENT_FILES.search(ln) and _PLANT_VERB.search(ln)
    ]
    for path in paths:
        if path == "SKILL.md" or not path.lower().endswith((".md", ".txt", ".mdc", "rules")):
            continue
        # the source path itself is blanked (not where it is the tail of the target: ``.claude/agents/x.md``)
        own = re.compile(r"(?<![\w/.-])" + re.escape(path))
        if any(path in ln and _AGENT_FILES.search(own.sub(" ", ln)) for ln in lines):
            out.add(path)
    return frozenset(out)


# Configs whose fields are shell run by the tool without a further step: a VS Code task run when the folder opens,
# a pre-commit 'local' hook (its entry runs on every commit), a dev container's lifecycle commands, a compose
# service's command, an MSBuild Exec task, launchd/systemd jobs, Kubernetes workload commands. (Makefiles stay
# reference text: their recipes are analysed as shell snippets, and a variable naming ~/.kube/config is not a read.)
_AUTO_TASK = re.compile(r"[\"']runOn[\"']\s*:\s*[\"']folderOpen", re.IGNORECASE)
_LOCAL_HOOK = re.compile(r"^\s*-?\s*repo\s*:\s*[\"']?local\b", re.MULTILINE)
# a compose service's ``command:``/``entrypoint:`` runs on ``docker compose up`` (with the service's mounts and
# privileges), an MSBuild ``<Exec Command=…>`` on ``dotnet build``
_COMPOSE = re.compile(r"^(?:docker-)?compose(?:\.[\w-]+)?\.ya?ml$")
_CONTAINER_CMD = re.compile(r"^\s+(?:-\s+)?(?:command|entrypoint)\s*:", re.MULTILINE)
_K8S_WORKLOAD = re.compile(r"^kind\s*:\s*[\"']?(?:Pod|Deployment|DaemonSet|StatefulSet|ReplicaSet|Job|CronJob)\b", re.M)
_LIFECYCLE = re.compile(r"[\"'](?:initialize|onCreate|updateContent|postCreate|postStart|postAttach)Command[\"']\s*:")


def runs_by_tool(path: str, text: str) -> bool:
    """A tool config whose commands run on their own (folder open, commit, container creation)."""
    low = path.lower()
    name = low.rsplit("/", 1)[-1]
    if name == "tasks.json":
        return "folderopen" in text.lower() and _AUTO_TASK.search(text) is not None
    if name in (".pre-commit-config.yaml", ".pre-commit-config.yml", ".pre-commit-hooks.yaml"):
        return "entry" in text and (name.endswith("hooks.yaml") or _LOCAL_HOOK.search(text) is not None)
    if name in ("devcontainer.json", ".devcontainer.json"):
        return "Command" in text and _LIFECYCLE.search(text) is not None
    if _COMPOSE.search(name):
        return _CONTAINER_CMD.search(text) is not None
    if name.endswith(".plist"):
        return "ProgramArguments" in text  # a launchd job: runs at load, at login or on its interval
    if name.endswith((".service", ".timer")):
        return "ExecStart" in text
    if _K8S_WORKLOAD.search(text) and _CONTAINER_CMD.search(text):
        return True  # a Pod/Deployment/DaemonSet/Job spec (or Helm template): its containers' commands run on apply
    if name.endswith(".xml") and "<Task" in text and "<Exec>" in text:
        return True  # a Windows Task Scheduler definition (``schtasks /Create /XML``): its action runs on its trigger
    if name.endswith((".targets", ".props", ".csproj", ".vbproj", ".fsproj")):
        return "<Exec" in text  # MSBuild runs an Exec task on every build (Directory.Build.targets: every project)
    if name == "pom.xml":
        return "<executable>" in text  # exec-maven-plugin: runs in the lifecycle phase it is bound to (blind12)
    return False


def runs_as_config(path: str, text: str, installed: frozenset[str]) -> bool:
    """This data file is configuration that runs: a CI workflow, a tool config whose commands run on their own, or a
    file SKILL.md has the agent install."""
    return path in installed or is_ci_workflow(path, text) or runs_by_tool(path, text)


# A data file, example or fixture that SKILL.md tells the agent to take as its instructions or binding settings
# ("use `system_prompt` from `assets/prompts.json` as your operating instructions", "the `[tool.agent]` table of
# `assets/pyproject.toml` holds settings for you; apply them", "read `examples/test_x.py` to learn the project
# conventions") is read as instructions wherever it sits: what it says is not a quotation the agent consults.
_AUTHORITY_KEYS = ("instruction", "settings for you", "apply them", "apply it", "follow", "convention",
                   "authoritative", "source of truth", "instrucci", "sigue")  # fmt: skip
_AUTHORITY = re.compile(
    r"\b(?:as\s+(?:your\s+)?(?:operating\s+|system\s+|standing\s+)?instructions|(?:operating|system)\s+instructions"
    r"|settings\s+for\s+you|instructions\s+for\s+you|apply\s+(?:them|it)\b|follow\s+(?:them|it|its|the\s+\w+\s+in)"
    r"|(?:learn|use|follow)\s+(?:the\s+)?(?:project(?:'s)?\s+)?conventions|authoritative|source\s+of\s+truth"
    r"|instrucciones|sigue\s+(?:sus|las))",
    re.IGNORECASE,
)


def authoritative_files(skill_md: str, paths: Iterable[str]) -> frozenset[str]:
    """Files of the skill (other than markdown and scripts that run) that SKILL.md tells the agent to take as its
    instructions or binding settings: the path and such a phrase on the same line."""
    low = skill_md.lower()
    if not any(k in low for k in _AUTHORITY_KEYS):
        return frozenset()
    lines = [ln for ln in skill_md.splitlines() if _AUTHORITY.search(ln)]
    out = {p for p in paths if p != "SKILL.md" and "/" in p and any(p in ln for ln in lines)}
    return frozenset(out)
