"""The files coding agents read as standing instructions, named once for every rule that looks for them.

A skill that writes into one of these plants orders that this agent and every other agent opening the project obey
in later sessions. Rules used to carry their own copies of the list, and the copies drifted apart (one knew
``.windsurfrules``, another did not). Each site still decides its own boundaries and what a write looks like; this
module only says which names count.

- ``TOOL_FILES``: instruction files of the coding agents (Claude Code, Codex/AGENTS.md, Gemini CLI, Cursor, Windsurf,
  Cline, Roo, Kiro, Junie, Continue, Amazon Q, Copilot, Qwen Code, Crush, Warp, Goose, Aider's CONVENTIONS.md).
- ``WORKSPACE_FILES``: the OpenClaw-style workspace files an agent re-reads every session (memory, persona, user).
- ``KEYS``: lowercase literals, one of which every match of either pattern contains (a cheap prefilter).
"""

from __future__ import annotations

import re

# regex fragments without anchors: each site wraps them in its own boundaries
TOOL_FILES = (
    r"(?<![\w-])(?:CLAUDE|AGENTS|GEMINI|QWEN|CRUSH|WARP|CONVENTIONS)\.md|\.cursorrules|\.windsurfrules|\.clinerules|\.goosehints"
    r"|copilot-instructions\.md|\.github/instructions/[\w.-]+\.instructions\.md|\.cursor/rules/[\w.-]+"
    r"|\.windsurf/rules/[\w.-]+|\.roo/rules(?:-[\w-]+)?/[\w.-]+|\.kiro/steering/[\w.-]+|\.junie/guidelines\.md"
    r"|\.continue/rules/[\w.-]+|\.amazonq/rules/[\w.-]+|\.gemini/styleguide\.md"
)
WORKSPACE_FILES = r"(?<![\w-])(?:MEMORY|SOUL|HEARTBEAT|IDENTITY|USER|TOOLS|BOOTSTRAP)\.md"
ANY = re.compile(r"(?:" + TOOL_FILES + "|" + WORKSPACE_FILES + ")")
KEYS = (
    "claude.md", "agents.md", "gemini.md", "qwen.md", "crush.md", "warp.md", "conventions.md", ".cursorrules",
    ".windsurfrules", ".clinerules", ".goosehints", "copilot-instructions", ".instructions.md", ".cursor/rules/",
    ".windsurf/rules/", ".roo/rules", ".kiro/steering/", ".junie/guidelines", ".continue/rules/", ".amazonq/rules/",
    ".gemini/styleguide", "memory.md", "soul.md", "heartbeat.md", "identity.md", "user.md", "tools.md", "bootstrap.md",
)  # fmt: skip
TOOL_KEYS = KEYS[:21]
