"""The README's examples are produced by the commands they show: the `$ …` block under "Example"
is the output of its command, and the Python API example runs and prints what its comment says.
`AUDITOR_UPDATE_README=1 pytest tests/test_readme.py` rewrites the example block."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def _section(text: str, title: str) -> str:
    start = text.index(f"## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end >= 0 else len(text)]


def _example_block() -> tuple[str, str, str]:
    """(the whole fenced block, the command line, the output shown)."""
    section = _section(README.read_text(encoding="utf-8"), "Example")
    block = re.search(r"```\n(\$ [^\n]+)\n(.*?)\n```", section, re.S)
    assert block, "the README Example section has no ``` block starting with '$ '"
    return block.group(0), block.group(1)[2:], block.group(2)


def _run(command: str, monkeypatch: pytest.MonkeyPatch) -> str:
    words = shlex.split(command)
    env = {}
    while "=" in words[0]:
        name, _, value = words.pop(0).partition("=")
        env[name] = value
    assert words[0] == "auditor"
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("AUDITOR_NO_TIMING", "1")
    result = CliRunner().invoke(main, words[1:], env=env)
    assert result.exit_code in (0, 1), result.output
    return "\n".join(line.rstrip() for line in result.stdout.rstrip("\n").split("\n"))


def test_the_readme_example_is_the_output_of_its_command(monkeypatch: pytest.MonkeyPatch) -> None:
    block, command, shown = _example_block()
    output = _run(command, monkeypatch)
    if os.environ.get("AUDITOR_UPDATE_README") == "1":
        text = README.read_text(encoding="utf-8")
        README.write_text(text.replace(block, f"```\n$ {command}\n{output}\n```"), encoding="utf-8")
        shown = output
    assert shown == output, "README example is stale: run AUDITOR_UPDATE_README=1 pytest tests/test_readme.py"
    # what the prose around it claims is in it
    assert "可能错误的数字" in output and "1,326,784" in output and "已检查" in output


def test_the_readme_python_example_runs_and_prints_what_it_says(monkeypatch: pytest.MonkeyPatch) -> None:
    section = _section(README.read_text(encoding="utf-8"), "Python API")
    code = re.search(r"```python\n(.*?)\n```", section, re.S)
    assert code and len(code.group(1).strip().split("\n")) <= 6
    monkeypatch.chdir(ROOT)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code.group(1), "README.md", "exec"), {})  # noqa: S102 - the README's own example
    lines = printed.getvalue().splitlines()
    claimed = re.search(r"print\(result\.summary\)\s*# (\{.*\})", code.group(1))
    assert claimed and lines[0] == claimed.group(1)
    assert len(lines) == 4 and all(re.match(r"^\d+ [a-z]+\.\w+ \d+ \S", line) for line in lines[1:])
