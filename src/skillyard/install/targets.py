"""Built-in agent targets. Paths as each agent documents them (see docs/install.md for the sources).

Third-party targets register through the ``skillyard.agent_targets`` entry-point group: an entry point
that resolves to an :class:`AgentTarget`.
"""

from __future__ import annotations

from importlib.metadata import entry_points

from skillyard.install.interface import AgentTarget, InstallError

BUILTIN_TARGETS: tuple[AgentTarget, ...] = (
    AgentTarget(
        "claude-code",
        "Claude Code",
        ".claude/skills",
        ".claude/skills",
        "https://code.claude.com/docs/en/skills",
    ),
    AgentTarget(
        "codex",
        "OpenAI Codex CLI",
        ".codex/skills",
        ".agents/skills",
        "https://developers.openai.com/codex/skills",
    ),
    AgentTarget("cursor", "Cursor", ".cursor/skills", ".cursor/skills", "https://cursor.com/docs/context/skills"),
    AgentTarget(
        "gemini-cli",
        "Gemini CLI",
        ".gemini/skills",
        ".gemini/skills",
        "https://geminicli.com/docs/cli/skills",
    ),
    AgentTarget(
        "opencode",
        "OpenCode",
        ".config/opencode/skills",
        ".opencode/skills",
        "https://opencode.ai/docs/skills",
    ),
    AgentTarget(
        "copilot",
        "GitHub Copilot",
        ".copilot/skills",
        ".github/skills",
        "https://docs.github.com/copilot/concepts/agents/about-agent-skills",
    ),
    AgentTarget("openclaw", "OpenClaw", ".openclaw/skills", "skills", "https://docs.openclaw.ai/tools/skills"),
    AgentTarget(
        "agents",
        "Shared .agents/skills (several agents)",
        ".agents/skills",
        ".agents/skills",
        "https://agentskills.io/client-implementation",
    ),
)


def all_targets() -> dict[str, AgentTarget]:
    """Built-in targets plus those registered by plugins (entry-point group ``skillyard.agent_targets``)."""
    found = {t.name: t for t in BUILTIN_TARGETS}
    for ep in entry_points(group="skillyard.agent_targets"):
        obj = ep.load()
        if isinstance(obj, AgentTarget):
            found[obj.name] = obj
    return found


def get_target(name: str) -> AgentTarget:
    targets = all_targets()
    if name not in targets:
        raise InstallError(f"unknown agent {name!r}; known agents: {', '.join(sorted(targets))}")
    return targets[name]
