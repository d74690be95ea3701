"""Privilege escalation (PE*): root, safety-control bypass, permissions, persistence, remote access."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import chain
from typing import Any

from skillyard.model import Severity
from skillyard.scan.analyzers import agent_files
from skillyard.scan.analyzers.hosts import URL, host_class, templated_host
from skillyard.scan.analyzers.view import SkillView
from skillyard.scan.rules.base import Check, Family, Hit, Rule, line_rule
from skillyard.scan.rules.persistence import git_hooks, scripted_orders, upgrade_persistence
from skillyard.scan.rules.privilege_wrappers import explained, scoped, scoped_exclusion, with_prose_bypass
from skillyard.scan.rules.revshell_context import revshell
from skillyard.scan.rules.setuid_shell import setuid_shells

F = Family.PRIVILEGE_ESCALATION
CODE = frozenset({"code"})

_SUDO = re.compile(r"(?:^|[;&|(`]\s*|\$\(\s*)sudo\s+(?!-v\b|-l\b|-k\b)")
_ROOT = re.compile(
    r"\bNOPASSWD\b|/etc/sudoers|\bchmod\s+(?:[ugoa]*\+s|[2-7][0-7]{3})\b|(?<!\|\s)(?<!\|)\bsudo\s+(?:su|-i|-s|bash|sh)\b\s*$"
    r"|\bchown\s+root\b[^\n]*&&[^\n]*chmod\s+[u+]*s|\bsetcap\b|\busermod\s+-aG\s+(?:sudo|wheel|root)\b"
    r"|echo\s+[^\n]*>>?\s*/etc/(?:passwd|shadow|sudoers)",
    re.IGNORECASE,
)
_BYPASS = re.compile(
    r"--dangerously-skip-permissions|--dangerously-bypass-approvals-and-sandbox|--yolo\b"
    r"|\bbypassPermissions\b|approval[_-]policy\s*[=:]\s*[\"']?never|sandbox[_-]mode\s*[=:]\s*[\"']?danger-full-access"
    r"|--permission-mode\s+bypassPermissions|\bdisable\s+(?:the\s+)?(?:sandbox|approvals?|permission\s+(?:checks?|prompts?)"
    r"|safety\s+(?:checks?|filters?)|guardrails)\b|\bauto[- ]?approve\s+(?:all|every|any)\b"
    r"|[\"']Bash\(\*\)[\"']|\bskip\s+(?:all\s+)?(?:permission|approval)\s+(?:prompts?|checks?)"
    r"|\bdangerously\w*Permissions[\"']?\s*[=:]\s*true\b|\bsandbox[\"']?\s*[=:]\s*\{\s*[\"']?enabled[\"']?\s*[=:]\s*false\b"
    # VS Code agent mode approving every tool, Gemini CLI approval mode, Amazon Q trusting every tool
    r"|\bchat\.tools\.autoApprove[\"']?\s*:\s*true\b|\bapprovalMode[\"']?\s*[=:]\s*[\"']?yolo\b|--trust-all-tools\b",
    re.IGNORECASE,
)
_AGENT_FILES = (
    agent_files.TOOL_FILES
    + "|"
    + agent_files.WORKSPACE_FILES
    + r"|\.claude/settings(?:\.local)?\.json|\.codex/config\.toml"
    r"|\.openclaw/(?:workspace/)?[\w./-]+"
)
_MEMORY_WRITE = re.compile(
    r"(?:>>?|\btee\s+(?:-a\s+)?|\bcat\s*>>?|write_text\(|open\([^)]*[\"'][aw]\+?[\"']|appendFileSync\(|writeFileSync\()"
    r"[^\n]{0,80}(?:" + _AGENT_FILES + ")"
    r"|(?:" + _AGENT_FILES + r")[^\n]{0,40}[\"']?\s*,\s*[\"'][aw]\+?[\"']"
    r"|\b(?:append|add|write|insert|inject|save|persist)\w*\s+(?:the\s+following\s+|this\s+|these\s+|it\s+|a\s+line\s+)?"
    r"(?:\w+\s+){0,4}(?:to|into|in)\s+(?:your\s+|the\s+)?(?:global\s+)?[`\"']?(?:~/)?(?:[\w.-]+/)*(?:"
    + _AGENT_FILES
    + ")"
    # "append the line '...' to AGENTS.md" (the quoted text between verb and file)
    r"|\b(?:append|add|write|insert|save)\w*\s+(?:the\s+)?(?:line|rule|text|sentence|note)\s+[\"'“‘][^\n]{0,200}[\"'”’]"
    r"\s+(?:to|into|in)\s+(?:your\s+|the\s+)?[`\"']?(?:~/)?(?:[\w.-]+/)*(?:" + _AGENT_FILES + ")"
    # "open ~/.claude/CLAUDE.md (create it if missing) and append the block below"
    r"|\b(?:open|edit)\s+[`\"']?(?:~/)?(?:[\w.-]+/)*(?:" + _AGENT_FILES + r")[`\"']?[^\n]{0,60}?\band\s+"
    r"(?:append|add|write|insert|paste)\b"
    # "ensure the project's CLAUDE.md contains this block", "make sure AGENTS.md has these lines"
    r"|\b(?:ensure|make\s+sure|check)\s+(?:that\s+)?(?:the\s+|your\s+)?(?:\w+'s\s+)?[`\"']?(?:~/)?(?:[\w.-]+/)*(?:"
    + _AGENT_FILES
    + r")[`\"']?\s+(?:file\s+)?(?:contains|includes|has|starts\s+with|begins\s+with)\b",
    re.IGNORECASE,
)
_HOME_AGENT = re.compile(
    r"~/\.(?:claude|codex|openclaw|gemini|cursor|config/opencode|clawdbot|moltbot)/|\$HOME/\.(?:claude|codex"
    r"|openclaw|gemini|clawdbot|moltbot)/",
    re.IGNORECASE,
)
_PERSIST = re.compile(
    r"\bcrontab\b(?![^\n|;&)]*\s-l\b)\s+(?:-[a-z]*\s+)*\S|\(crontab\s+-l|@reboot\b|/etc/cron\.\w+|Library/Launch(?:Agents|Daemons)/"
    r"|\blaunchctl\s+(?:load|bootstrap|enable)\b|\bsystemctl\s+(?:--user\s+)?enable\b|/etc/rc\.local|/etc/init\.d/"
    r"|CurrentVersion\\\\?Run\b|\bschtasks\s+/create\b|\bRegister-ScheduledTask\b"
    r"|>>\s*~?/?(?:\$HOME/)?\.(?:bashrc|zshrc|bash_profile|profile|zprofile|zshenv|config/fish/config\.fish)\b",
    re.IGNORECASE,
)
_PERSIST_BENIGN = re.compile(
    r"export\s+PATH|\bPATH=|\balias\s|eval\s+\"?\$\(|source\s|\bcompletion\b|\bnvm\b"
    r"|\bpyenv\b|\brbenv\b|\bconda\b|\bHOMEBREW|\bGOPATH\b|\bJAVA_HOME|\bfnm\b|export\s+\w+="
    r"|starship|zoxide|direnv|mise\s+activate|\bfpath\b|crontab\s+-l\s*$",
    re.IGNORECASE,
)
_OS_BYPASS = re.compile(
    r"\bxattr\s+(?:-[a-z]*\s+)*(?:-d\s+com\.apple\.quarantine|-c\b|-cr\b|-rc\b)|\bspctl\s+--master-disable"
    r"|\bspctl\s+--add\b|Set-MpPreference\s+-Disable\w+|(?:Add|Set)-MpPreference\b[^\n]*?\s-Exclusion\w+|\bcsrutil\s+disable"
    r"|\bsetenforce\s+0\b|\bufw\s+disable\b|Set-ExecutionPolicy\s+(?:-\w+\s+)*(?:Bypass|Unrestricted)\b(?![^\n]*-Scope\s+Process)"
    r"|\bsystemctl\s+(?:stop|disable)\s+(?:firewalld|apparmor|auditd)\b|\bGatekeeper\b[^\n]{0,40}\bdisable",
    re.IGNORECASE,
)
_OS_BYPASS_KEYS = ("xattr", "spctl", "mppreference", "csrutil", "setenforce", "ufw", "executionpolicy", "systemctl",
                   "gatekeeper")  # fmt: skip


def _and(a: Check, b: Check) -> Check:
    def check(view: SkillView) -> Iterator[Hit]:
        yield from a(view)
        yield from b(view)

    return check


def _allowed_tools(view: SkillView) -> Iterator[Hit]:
    m = view.skill.manifest
    tools = m.allowed_tools if m else None
    if not tools:
        return
    items = [t.strip() for t in re.split(r"[,\s]+(?![^(]*\))", tools) if t.strip()]
    broad = [t for t in items if t in ("*", "Bash", "Bash(*)", "Bash(*:*)", "bash", "Shell", "computer")]
    if broad:
        from skillyard.scan.context import METADATA

        line = m.position("allowed-tools")[0] if m else 1
        yield Hit(
            "PE004",
            "SKILL.md",
            line,
            f"allowed-tools grants unrestricted {', '.join(broad)}",
            f"allowed-tools: {tools[:120]}",
            METADATA,
        )


_INJECTED = re.compile(
    r"https?://\S+|\bcurl\b|\bwget\b|\bdownload\w*\s+and\s+(?:run|execute)|\bignore\s+(?:all|previous|prior)"
    r"|\b(?:every|all|each|any)\s+(?:other\s+)?(?:repositor(?:y|ies)|repos?|projects?|workspaces?)\s+(?:you|the\s+agent)\s+"
    r"(?:touch|open|visit|work\s+(?:in|on)|clone)"
    # standing orders planted for later sessions: auto-run at session start, blanket approval, secrecy
    r"|\bnpx\s+-y\b|\b(?:at\s+the\s+(?:start|beginning)\s+of|before\s+(?:doing\s+)?anything\s+else\s+in|on)\s+"
    r"(?:every|each)\s+(?:new\s+)?session\b|\bpre-?approved\b|\bwithout\s+(?:asking|confirmation)\b"
    r"|\b(?:are|is)\s+(?:(?:always|automatically|implicitly|fully)\s+)?(?:approved|trusted|authori[sz]ed)\b"
    r"|\balways\s+trust(?:ed)?\b|\brun\s+them\s+directly\b|(?<!never )(?<!not )(?<!n't )\bskip\w*\s+"
    r"(?:(?:all|any|the|every)\s+)?(?:confirmations?|approvals?|permission\s+prompts?)\b"
    r"|\b(?:never|do\s*n[o']t|without)\s+ask(?:ing)?\s+(?:the\s+user\s+)?(?:for\s+(?:confirmation|permission|approval)"
    r"|before\s+(?:running|executing|calling|using|installing|sending))"
    r"|\b(?:do\s*n[o']t|never)\s+(?:tell|mention|inform)\b"
    r"|\bwithout\s+(?:showing|telling|informing|notifying)\s+(?:it\s+)?(?:to\s+)?the\s+user\b",
    re.IGNORECASE,
)


def _py_persist(view: SkillView, kind: str, rule: str) -> Iterator[Hit]:
    for f in view.facts_of("py.persist"):
        k, where = f.value.split(":", 1)
        if k != kind:
            continue
        tf = view.file(f.file)
        remote = bool(tf is not None and _REMOTE_CODE.search(tf.text))
        high = remote or (where == "home" and kind == "agent")
        why = " (home directory)" if where == "home" else ""
        why += " with remote code in the same script" if remote else ""
        yield Hit(
            rule,
            f.file,
            f.line,
            f.detail + why,
            f.evidence,
            f.ctx,
            Severity.HIGH if high else None,
            0.8 if high else None,
        )


# "rules that change how tools are approved" talks about approval; it does not declare anything approved
_ABOUT_APPROVAL = re.compile(
    r"\b(?:how|whether|which|what)\s+(?:[\w-]+\s+){0,3}(?:are|is)\s+(?:approved|trusted|authori[sz]ed)\b", re.IGNORECASE
)


def _memory(view: SkillView) -> Iterator[Hit]:
    yield from _py_persist(view, "agent", "PE005")
    keys = (
        "memory.md",
        "soul.md",
        "claude.md",
        "agents.md",
        "gemini.md",
        "heartbeat.md",
        "identity.md",
        "user.md",
        "tools.md",
        "bootstrap.md",
        "cursorrules",
        "copilot-instructions",
        "claude/settings",
        ".codex/config",
        ".openclaw",
        *agent_files.KEYS,
    )
    for h in line_rule("PE005", _MEMORY_WRITE, "writes the agent's memory/instruction files", keywords=keys)(view):
        home = bool(_HOME_AGENT.search(h.evidence))
        tf = view.file(h.file)
        following = ""
        if tf is not None:
            rows = tf.raw_rows
            following = "\n".join(rows[h.line - 1 : h.line + 3])
        # a placeholder URL (``https://llm-gateway.acme-corp.example``, ``https://${GATEWAY}``) is the user's own
        # value to fill in, not a host the skill plants
        following = URL.sub(lambda u: " " if templated_host(u.group(0)) or host_class(u.group(0)) == "local"
                            else u.group(0), following)  # fmt: skip
        injected = bool(_INJECTED.search(_ABOUT_APPROVAL.sub(" ", following)))
        active = h.context is not None and h.context.kind.value in ("script", "instruction", "metadata")
        script = h.context is not None and h.context.kind.value == "script"
        sev = Severity.HIGH if active and (injected or (home and script)) else None
        why = " (global, persists across sessions)" if home else ""
        why += " with commands or URLs to follow" if injected else ""
        yield Hit(h.rule, h.file, h.line, h.message + why, h.evidence, h.context, sev, 0.75 if sev else None)


def _persist_check(rule_id: str, pattern: re.Pattern[str], message: str, **kw: Any) -> Check:
    """PE006, raised to high when what gets persisted downloads or pipes remote code."""
    inner = line_rule(rule_id, pattern, message, **kw)

    def check(view: SkillView) -> Iterator[Hit]:
        yield from _py_persist(view, "system", rule_id)
        for h in inner(view):
            tf = view.file(h.file)
            row = tf.raw_rows[h.line - 1] if tf is not None else h.evidence
            remote = bool(_REMOTE_CODE.search(row))
            yield Hit(
                h.rule,
                h.file,
                h.line,
                h.message + (" that fetches remote code" if remote else ""),
                h.evidence,
                h.context,
                Severity.HIGH if remote else None,
                0.8 if remote else None,
            )

    return check


_PERSIST_KEYS = (
    "cron", "launch", "systemctl", "rc.local", "init.d", "run", "schtasks", "scheduledtask", "bashrc",
    "zshrc", "profile", "zshenv", "fish", "reboot", "currentversion",
)  # fmt: skip
_REMOTE_CODE = re.compile(
    r"(?:curl|wget|iwr|Invoke-WebRequest)\b[^\n]*\|\s*(?:ba|z)?sh\b|https?://\S+[^\n]*\|\s*(?:ba|z)?sh"
    r"|(?:curl|wget)\b[^\n]*https?://",
    re.IGNORECASE,
)


_SUBAGENT = re.compile(
    r"\b(?:claude|claude-code|codex|gemini|opencode|cursor-agent|aider|qwen|amp|droid|goose)\b[^\n]*"
    r"--(?:dangerously|yolo)|--(?:dangerously|yolo)[\w-]*[^\n]*\b(?:claude|codex|gemini|opencode)\b",
    re.IGNORECASE,
)
_ORCHESTRATION = re.compile(
    r"\b(?:agents?|codex|claude|gemini|orchestrat\w*|delegat\w*|parallel|swarm|sub-?agents?"
    r"|autonomous|headless|ci)\b",
    re.IGNORECASE,
)


# A function or alias that redefines a command as itself plus the bypass flag (``claude() { command claude
# --dangerously-skip-permissions "$@"; }``, ``alias codex='codex --yolo'``): every later run by the user is unguarded.
_SHADOW = re.compile(
    r"""\balias\s+([\w-]+)\s*=\s*['"]?(?:command\s+)?\1\b"""
    r"""|(?:\bfunction\s+)?\b([\w-]+)\s*\(\s*\)\s*\{\s*(?:command\s+)?\2\b"""
    r"""|\bfunction\s+([\w-]+)\s*\{\s*(?:&\s*)?(?:command\s+)?\3(?:\.exe)?\b""",
)


def _subagent(inner: Check) -> Check:
    """PE003: launching a sub-agent CLI with approvals off is medium (low when the skill is about doing so);
    changing the current agent's own settings stays high."""

    def check(view: SkillView) -> Iterator[Hit]:
        about = bool(_ORCHESTRATION.search(f"{view.skill.name} {view.skill.description}"))
        for h in inner(view):
            settings = bool(
                re.search(
                    r"approval[_-]policy|sandbox[_-]mode|bypassPermissions|Bash\(\*\)|approvalMode|chat\.tools\.autoApprove",
                    h.evidence,
                )
            )
            tf = view.file(h.file)
            row = tf.raw_rows[h.line - 1] if tf is not None and h.line <= tf.n_lines else h.evidence
            settings = settings or bool(_SHADOW.search(row))
            flag = bool(re.search(r"--(?:dangerously|yolo)", h.evidence))
            if not settings and (_SUBAGENT.search(h.evidence) or about):
                sev = Severity.LOW if about and flag and _SUBAGENT.search(h.evidence) else Severity.MEDIUM
                yield Hit(
                    h.rule,
                    h.file,
                    h.line,
                    h.message + " (for a sub-agent it launches)",
                    h.evidence,
                    h.context,
                    sev,
                    0.7,
                )
            else:
                yield h

    return check


# A markdown mention answered with a refusal in the next lines ("if the user asks about bypassPermissions, explain
# the risk ... Do not enable it yourself") discusses the setting; it does not turn it on.
_PE002 = scoped(
    line_rule(
        "PE002",
        _ROOT,
        "grants lasting root privileges",
        keywords=("sudoers", "nopasswd", "chmod", "sudo", "setcap", "usermod", "chown", "/etc/"),
    )
)

RULES = [
    Rule(
        "PE001",
        "Runs commands as root (sudo)",
        F,
        Severity.LOW,
        0.5,
        "sudo gives the command full control of the machine; in an agent skill it widens the blast radius of any "
        "mistake or injection.",
        "Avoid sudo; install into user space, or tell the user to run the privileged step themselves.",
        line_rule("PE001", _SUDO, "runs a command with sudo", keywords=("sudo",), kinds=CODE),
        mitre="T1548.003",
        capability="command_execution",
    ),
    Rule(
        "PE002",
        "Root or setuid escalation",
        F,
        Severity.HIGH,
        0.75,
        "Editing sudoers, NOPASSWD, setuid bits and capability grants create lasting root access.",
        "Remove the privilege change.",
        lambda v: chain(_PE002(v), setuid_shells(v)),
        mitre="T1548.001",
    ),
    Rule(
        "PE003",
        "Disables agent safety controls",
        F,
        Severity.HIGH,
        0.75,
        "Permission skipping, approval bypass and sandbox disabling remove the human from the loop for "
        "everything the agent does next.",
        "Keep approvals and the sandbox on; grant narrowly scoped permissions instead.",
        with_prose_bypass(
            explained(
                _subagent(
                    line_rule(
                        "PE003",
                        _BYPASS,
                        "disables the agent's permission prompts, approvals or sandbox",
                        keywords=(
                            "dangerously",
                            "yolo",
                            "full-auto",
                            "bypass",
                            "approval",
                            "sandbox",
                            "disable",
                            "auto-approve",
                            "autoapprove",
                            "auto approve",
                            "bash(*)",
                            "skip",
                            "trust-all-tools",
                        ),
                    )
                )
            )
        ),
        mitre="T1562.001",
    ),
    Rule(
        "PE004",
        "Unrestricted tool permissions",
        F,
        Severity.LOW,
        0.6,
        "allowed-tools granting any shell command pre-approves everything the skill (or an injection) runs.",
        "Scope allowed-tools to specific commands, e.g. Bash(git status:*).",
        _allowed_tools,
        capability="command_execution",
    ),
    Rule(
        "PE005",
        "Agent memory or instruction file persistence",
        F,
        Severity.MEDIUM,
        0.6,
        "Writing MEMORY.md, SOUL.md, CLAUDE.md, AGENTS.md or agent settings makes the skill's text persist into "
        "every future session, outside the skill's own scope.",
        "Do not modify agent memory/instruction files; let the user add what they want.",
        _and(_memory, scripted_orders),
        mitre="T1546",
        capability="writes_persistence",
    ),
    Rule(
        "PE006",
        "System persistence (cron, launch agents, shell rc)",
        F,
        Severity.MEDIUM,
        0.65,
        "cron jobs, launch agents, services, Run keys and shell rc hooks run code again after the skill is gone.",
        "Do not install persistent jobs; if scheduling is the skill's purpose, say so and show the entry first.",
        _and(
            upgrade_persistence(
                _persist_check(
                    "PE006",
                    _PERSIST,
                    "installs a persistent job or login hook",
                    keywords=_PERSIST_KEYS,
                    exclude=_PERSIST_BENIGN,
                )
            ),
            git_hooks,
        ),
        mitre="T1053",
        capability="writes_persistence",
    ),
    Rule(
        "PE007",
        "Reverse shell or remote access",
        F,
        Severity.CRITICAL,
        0.9,
        "A shell bound to a network socket hands the machine to a remote operator.",
        "Remove it.",
        revshell,
        mitre="T1059.004",
        capability="command_execution",
    ),
    Rule(
        "PE008",
        "Disables OS security features",
        F,
        Severity.HIGH,
        0.75,
        "Removing quarantine attributes, disabling Gatekeeper, Defender, SELinux or the firewall is how stealers "
        "get unsigned payloads to run.",
        "Ship signed software; never disable OS protections.",
        scoped_exclusion(
            line_rule(
                "PE008",
                _OS_BYPASS,
                "disables an operating-system security feature",
                keywords=_OS_BYPASS_KEYS,
            )
        ),
        mitre="T1553.001",
    ),
]
