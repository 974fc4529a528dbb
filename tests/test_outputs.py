"""Where reports go: `-o` writes regular files only, never a device, FIFO or folder; `-o -` is
standard output; an unwritable folder is one line of error; XML outputs stay well-formed whatever
the file names hold. No test here ever writes to the real /dev/null."""

from __future__ import annotations

import json
import os
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import main
from tests.budget_text import budget

ERROR_TOTAL = {"T6_TOTAL": "1,450,000"}


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def doc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "auditor.toml").write_text("", encoding="utf-8")
    path = tmp_path / "dept.txt"
    path.write_text(budget(**ERROR_TOTAL), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return path


def _one_line_error(result: object) -> str:
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    err = result.stderr.strip()  # type: ignore[attr-defined]
    assert err.startswith("auditor: ") and "\n" not in err and "Traceback" not in err, err
    return err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("command", [["check", "dept.txt"], ["check", "dept.txt", "--format", "json"],
                                     ["baseline", "write", "dept.txt"], ["extract", "dept.txt"]])
def test_a_fifo_is_refused_and_left_as_it_is(doc: Path, command: list[str]) -> None:
    fifo = doc.parent / "pipe"
    os.mkfifo(fifo)
    before = os.stat(fifo)
    err = _one_line_error(run(*command, "-o", str(fifo)))
    assert "not a regular file" in err
    after = os.stat(fifo)
    assert stat.S_ISFIFO(after.st_mode) and (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)


def test_a_character_device_is_refused_and_left_as_it_is(doc: Path) -> None:
    node = doc.parent / "null-like"
    try:
        # the null device's numbers, but a node of our own in a temporary folder
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except (PermissionError, AttributeError, OSError) as exc:
        pytest.skip(f"cannot create a device node here: {exc}")
    before = os.stat(node)
    for fmt in ("text", "json", "html", "xlsx"):
        err = _one_line_error(run("check", "dept.txt", "--format", fmt, "-o", str(node)))
        assert "not a regular file" in err
    after = os.stat(node)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev and after.st_ino == before.st_ino
    # a symlink to the node is refused the same way, and stays a symlink
    link = doc.parent / "report.txt"
    link.symlink_to(node)
    _one_line_error(run("check", "dept.txt", "-o", str(link)))
    assert link.is_symlink() and stat.S_ISCHR(os.stat(link).st_mode)


def test_a_directory_is_refused(doc: Path) -> None:
    folder = doc.parent / "out"
    folder.mkdir()
    err = _one_line_error(run("check", "dept.txt", "-o", str(folder)))
    assert "directory" in err and folder.is_dir() and not any(folder.iterdir())


def test_dash_is_standard_output(doc: Path) -> None:
    result = run("check", "dept.txt", "--format", "json", "-o", "-")
    assert result.exit_code == 1 and json.loads(result.stdout)["findings"]
    assert not (doc.parent / "-").exists()


def test_a_regular_file_is_replaced_with_the_report(doc: Path) -> None:
    out = doc.parent / "reports" / "r.json"
    assert run("check", "dept.txt", "--format", "json", "-o", str(out)).exit_code == 1
    assert json.loads(out.read_text(encoding="utf-8"))["findings"]
    assert stat.S_IMODE(os.stat(out).st_mode) & 0o044  # readable like any file the user writes
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".auditor-")]


def test_an_unwritable_folder_is_one_line(doc: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import tempfile

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    err = _one_line_error(run("check", "dept.txt", "-o", "out/report.txt"))
    assert "Read-only file system" in err


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True,
                    reason="root can write into a read-only folder")
def test_a_read_only_folder_is_one_line(doc: Path) -> None:
    folder = doc.parent / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        err = _one_line_error(run("check", "dept.txt", "-o", str(folder / "r.txt")))
        assert "Permission denied" in err
    finally:
        folder.chmod(0o755)


def test_scan_output_must_be_a_writable_folder(doc: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = doc.parent / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(budget(), encoding="utf-8")
    plain = doc.parent / "plain.txt"
    plain.write_text("keep", encoding="utf-8")
    err = _one_line_error(run("scan", str(corpus), "-o", str(plain), "--quiet", "--jobs", "1"))
    assert "not a folder" in err and plain.read_text(encoding="utf-8") == "keep"
    if hasattr(os, "mkfifo"):
        fifo = doc.parent / "pipe"
        os.mkfifo(fifo)
        _one_line_error(run("scan", str(corpus), "-o", str(fifo), "--quiet", "--jobs", "1"))
        assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    import errno
    import tempfile

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    err = _one_line_error(run("scan", str(corpus), "-o", str(doc.parent / "out"), "--quiet", "--jobs", "1"))
    assert "Permission denied" in err


@pytest.mark.parametrize("fmt", ["junit", "sarif"])
def test_a_control_character_in_a_file_name_keeps_the_report_well_formed(doc: Path, fmt: str) -> None:
    odd = doc.parent / "dept\x01\x1b[31m.txt"
    odd.write_text(budget(**ERROR_TOTAL), encoding="utf-8")
    result = run("check", odd.name, "--format", fmt, "-o", "report.out")
    assert result.exit_code == 1, result.output
    raw = (doc.parent / "report.out").read_text(encoding="utf-8")
    assert "\x01" not in raw and "\x1b" not in raw
    if fmt == "junit":
        root = ET.fromstring(raw.encode("utf-8"))
        names = [s.get("name") for s in root.iter("testsuite")]
        assert names == ["dept[31m.txt"]
        assert all("\x01" not in (c.get("file") or "") + (c.get("classname") or "") for c in root.iter("testcase"))
        assert int(root.get("failures")) >= 1
    else:
        data = json.loads(raw)
        assert data["runs"][0]["results"]
