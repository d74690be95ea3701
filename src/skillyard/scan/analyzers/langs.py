"""The language of a skill file: from its extension, its file name (rc files, ``.envrc``) or its shebang line."""

from __future__ import annotations

from pathlib import PurePosixPath

SHELL_LANGS = frozenset({"bash", "sh", "shell", "zsh", "console", "terminal", "shell-session", "ksh", "fish", ""})
PS_LANGS = frozenset({"powershell", "ps1", "pwsh", "ps", "cmd", "bat", "batch"})
_EXT_LANG = {
    ".py": "python",
    ".pyw": "python",
    ".sh": "shell",
    ".bash": "shell",
    ".zsh": "shell",
    ".ksh": "shell",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".ts": "javascript",
    ".tsx": "javascript",
    ".jsx": "javascript",
    ".ps1": "powershell",
    ".psm1": "powershell",
    ".bat": "powershell",
    ".cmd": "powershell",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdx": "markdown",
    ".mdc": "markdown",  # Cursor project rules (frontmatter + markdown, loaded into every session)
    ".rb": "ruby",
    ".pl": "perl",
    ".go": "go",
    ".rs": "rust",
    ".php": "php",
    ".json": "json",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".toml": "toml",
    ".txt": "text",
    ".cfg": "text",
    ".ini": "text",
    ".applescript": "applescript",
    ".nix": "nix",
    ".targets": "xml",
    ".props": "xml",
    ".csproj": "xml",
    # code run by a tool (an AutoHotkey script, a registry import, vim/Swift/CMake/Bazel/Xcode build files):
    # read as code, so what it does weighs like a bundled script rather than a reference text
    ".ahk": "autohotkey",
    ".ah2": "autohotkey",
    ".reg": "registry",
    ".vim": "vim",
    ".swift": "swift",
    ".cmake": "cmake",
    ".bzl": "starlark",
    ".pbxproj": "pbxproj",
    ".fish": "shell",  # fish: close enough to sh for the command-level checks (conf.d files run at every start)
    ".lua": "lua",  # Neovim configs run at every start
    ".el": "elisp",  # Emacs init files and .dir-locals.el
    # build files run by their tool (blind12): a build.zig, an Elixir mix.exs
    ".zig": "zig",
    ".ex": "elixir",
    ".exs": "elixir",
    ".gradle": "groovy",
    ".kts": "kotlin",
}
_NAME_LANG = {
    "vimrc": "vim",
    ".vimrc": "vim",
    "_vimrc": "vim",
    ".gvimrc": "vim",
    "vagrantfile": "ruby",
    "cmakelists.txt": "cmake",
    "tmux.conf": "tmux",
    ".tmux.conf": "tmux",
    "tiltfile": "starlark",  # run by ``tilt up``
    # agent rule files without an extension: markdown instructions the agent loads into every session
    ".cursorrules": "markdown",
    ".windsurfrules": "markdown",
    ".clinerules": "markdown",
    ".goosehints": "markdown",
    "justfile": "just",  # recipes are shell (also collected as snippets); the file is code, not a reference
    ".justfile": "just",
    "procfile": "procfile",
    # Ruby files a tool evaluates (bundle, rake, pod install, fastlane; blind12)
    "gemfile": "ruby",
    "rakefile": "ruby",
    "podfile": "ruby",
    "fastfile": "ruby",
    "guardfile": "ruby",
    "dangerfile": "ruby",
}

# dotfiles a shell sources on its own: rc/profile files on every shell start, ``.envrc`` whenever direnv enters the
# directory (after one ``direnv allow``). Their suffix is empty, so the extension table cannot see them.
SHELL_RC_NAMES = frozenset(
    {
        ".envrc",
        ".bashrc",
        ".bash_profile",
        ".bash_login",
        ".bash_aliases",
        ".profile",
        ".zshrc",
        ".zshenv",
        ".zprofile",
        ".zlogin",
    }
)


def detect_lang(path: str, text: str) -> str:
    """The language of a file from its extension, or its shebang line."""
    name = PurePosixPath(path).name.lower()
    if name in SHELL_RC_NAMES:
        return "shell"
    if name in _NAME_LANG:
        return _NAME_LANG[name]
    ext = PurePosixPath(path).suffix.lower()
    if ext in _EXT_LANG:
        return _EXT_LANG[ext]
    first = text[:200].split("\n", 1)[0]
    if first.startswith("#!"):
        for key, lang in (("python", "python"), ("node", "javascript"), ("sh", "shell"), ("pwsh", "powershell")):
            if key in first:
                return lang
    return "text"
