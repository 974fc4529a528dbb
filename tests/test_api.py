"""The Python API: `from auditor import audit; audit(path)` is the result the JSON report is made of."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from auditor.cli import main
from tests.budget_text import budget


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "auditor.toml").write_text("", encoding="utf-8")
    (tmp_path / "dept.txt").write_text(budget(T6_TOTAL="1,450,000"), encoding="utf-8")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 no")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AUDITOR_NO_TIMING", "1")
    return tmp_path


def test_audit_is_the_json_report(folder: Path) -> None:
    from auditor import audit

    result = audit("dept.txt", "broken.pdf")
    cli = CliRunner().invoke(main, ["check", "dept.txt", "broken.pdf", "--format", "json"])
    assert json.loads(cli.stdout) == json.loads(json.dumps(result))
    assert result.to_json() == cli.stdout
    assert result.summary["error"] == len(result.errors()) > 0
    docs = {d["path"]: d for d in result.documents}
    assert docs["broken.pdf"]["error"] and docs["broken.pdf"]["coverage"]["status"] == "not_audited"
    assert "<!DOCTYPE html>" in result.render("html") and isinstance(result.render("xlsx"), bytes)


def test_both_import_styles_and_options(folder: Path) -> None:
    import auditor
    from auditor.audit import audit as function

    assert auditor.audit("dept.txt", lang="en")["lang"] == "en"
    ids = [f["id"] for f in function("dept.txt").findings]
    (folder / "b.json").write_text(json.dumps({"ids": ids}), encoding="utf-8")
    quiet = function(str(folder / "dept.txt"), baseline="b.json")
    assert quiet.findings == [] and quiet.summary["suppressed"] == len(ids)
    with pytest.raises(TypeError):
        function()
    (folder / "auditor.toml").write_text('disable = ["total", "crosstable"]\n', encoding="utf-8")
    assert not [f for f in function("dept.txt").findings if f["rule"].startswith(("total.", "crosstable."))]
