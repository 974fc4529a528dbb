"""`auditor scan`: outputs, agreement with `auditor check`, resume, failures, CSV, Dask, crossdoc.

Corpora are small (≤ 30 documents) and built from the two samples in datasets/ by
datasets/scan_corpus.py; department 1 in 2024 has one planted break of each cross-document fact.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from auditor.cli import main
from auditor.scan import (
    CRASH_ENV,
    DOCUMENT_COLUMNS,
    FINDING_COLUMNS,
    HANG_ENV,
    HANG_PID_ENV,
    HOG_ENV,
    PARTS,
    ScanOptions,
    scan,
)
from datasets.scan_corpus import Plan, make_corpus

pytest.importorskip("pyarrow", reason="auditor scan needs pyarrow")

ROOT = Path(__file__).resolve().parents[1]
YEARS = [2023, 2024]
PLANTED = Plan(project={(1, 2024)}, carryover={(1, 2024)}, budget_final={(1, 2024)})


def rows(out: Path, name: str, drop: tuple[str, ...] = ("seconds",)) -> list[dict]:
    from auditor.scan import read_output

    table = read_output(str(out), name)
    return table.drop([c for c in drop if c in table.column_names]).to_pylist()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    make_corpus(root, 2, YEARS, PLANTED)  # 2 departments × 2 years × (budget, self-eval, final) = 12
    return root


@pytest.fixture(scope="module")
def scanned(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out") / "scan"
    result = CliRunner().invoke(main, ["scan", str(corpus), "-o", str(out), "--jobs", "2", "--quiet"])
    assert result.exit_code == 0, result.output
    return out


def test_outputs_and_columns(scanned: Path, corpus: Path) -> None:
    import pyarrow.parquet as pq

    assert {p.name for p in scanned.iterdir()} >= {"findings.parquet", "documents.parquet", "summary.md", PARTS}
    assert pq.read_schema(scanned / "findings.parquet").names == [name for name, _ in FINDING_COLUMNS]
    assert pq.read_schema(scanned / "documents.parquet").names == [name for name, _ in DOCUMENT_COLUMNS]
    docs = rows(scanned, "documents")
    assert [d["path"] for d in docs] == sorted(str(p) for p in corpus.rglob("*.txt"))
    assert {d["kind"] for d in docs} == {"budget", "self_eval", "final_accounts"}
    assert all(d["error"] is None and len(d["hash"]) == 32 for d in docs)
    findings = rows(scanned, "findings")
    assert findings == sorted(findings, key=lambda r: (r["path"], r["rank"]))
    for doc in docs:
        mine = [f for f in findings if f["path"] == doc["path"]]
        assert [f["rank"] for f in mine] == list(range(1, len(mine) + 1))
        assert doc["findings"] == len(mine)
        assert doc["errors"] == sum(f["severity"] == "error" for f in mine)
    budget = next(f for f in findings if f["rule"] == "total.row_sum")
    assert budget["line"] == 265 and budget["actual"] == "1,326,784" and budget["table"]
    assert json.loads(budget["evidence"])[0]["line"] == 265
    summary = (scanned / "summary.md").read_text(encoding="utf-8")
    assert "## Documents ranked by errors" in summary and "## Rules ranked by how often they fire" in summary
    assert "`total.column_sum`" in summary and "| 12 | 0 |" in summary


def test_same_findings_as_check(scanned: Path, corpus: Path) -> None:
    findings = [f for f in rows(scanned, "findings") if not f["rule"].startswith("crossdoc.")]
    keys = ("id", "rule", "severity", "rank", "score", "group", "expected", "actual", "message")
    for name in ("2024_budget.txt", "2024_self_eval.txt", "2024_final.txt"):
        path = str(corpus / "dept0000" / name)
        result = CliRunner().invoke(main, ["check", path, "--format", "json", "--fail-on", "never"])
        expected = json.loads(result.output)["findings"]
        got = [f for f in findings if f["path"] == path]
        assert [tuple(f[k] for k in keys) for f in got] == [tuple(e[k] for k in keys) for e in expected]
        assert [f["line"] for f in got] == [e["location"]["line"] for e in expected]


def test_crossdoc_rules_fire_on_the_planted_breaks_only(scanned: Path, corpus: Path) -> None:
    cross = [f for f in rows(scanned, "findings") if f["rule"].startswith("crossdoc.")]
    later = corpus / "dept0001"
    assert sorted((Path(f["path"]).relative_to(corpus).as_posix(), f["rule"]) for f in cross) == [
        ("dept0001/2024_budget.txt", "crossdoc.project_amount"),
        ("dept0001/2024_budget.txt", "crossdoc.project_amount"),
        ("dept0001/2024_budget.txt", "crossdoc.project_amount"),
        ("dept0001/2024_final.txt", "crossdoc.budget_final"),
        ("dept0001/2024_final.txt", "crossdoc.carryover"),
    ]
    carry = next(f for f in cross if f["rule"] == "crossdoc.carryover")
    evidence = json.loads(carry["evidence"])
    assert [e["path"] for e in evidence] == [str(later / "2024_final.txt"), str(later / "2023_final.txt")]
    assert carry["actual"] == "230,000" and carry["expected"] == "223,000" and carry["difference"] == "7,000 元"
    sangong = next(f for f in cross if f["rule"] == "crossdoc.budget_final")
    assert json.loads(sangong["evidence"])[1]["path"] == str(later / "2024_budget.txt")
    # cross-document findings come after the document's own, and count in documents
    budget = [f for f in rows(scanned, "findings") if f["path"] == str(later / "2024_budget.txt")]
    flags = [f["rule"].startswith("crossdoc.") for f in budget]
    own = flags.count(False)  # depends on the per-document suites; the order is what matters here
    assert own >= 1 and flags == [False] * own + [True] * 3
    doc = next(d for d in rows(scanned, "documents") if d["path"] == str(later / "2024_budget.txt"))
    assert doc["findings"] == own + 3
    assert doc["warnings"] == sum(1 for f in budget if f["severity"] == "warning")


def test_crossdoc_rules_are_listed_and_not_run_by_check() -> None:
    listed = CliRunner().invoke(main, ["rules"]).output
    for rule_id in ("crossdoc.carryover", "crossdoc.budget_final", "crossdoc.project_amount"):
        assert rule_id in listed
    result = CliRunner().invoke(main, ["check", str(ROOT / "datasets"), "--format", "json", "--fail-on", "never"])
    assert not [f for f in json.loads(result.output)["findings"] if f["rule"].startswith("crossdoc.")]


def test_resume_skips_documents_already_done(corpus: Path, tmp_path: Path) -> None:
    partial = tmp_path / "corpus"
    shutil.copytree(corpus / "dept0000", partial / "dept0000")
    out = tmp_path / "out"
    first = scan(str(partial), ScanOptions(out=str(out), jobs=2, batch=2), progress=False)
    assert (first.total, first.skipped) == (6, 0)
    parts_before = {p.name: p.stat().st_mtime_ns for p in (out / PARTS).iterdir()}
    # a kill between the two writes of a batch leaves an orphan findings part: it is dropped
    (out / PARTS / "000099-findings.parquet").write_bytes(b"partial")
    # ... and a kill during the consolidation leaves a merge run and the index behind
    (out / PARTS / ".merge-findings-0-000000.parquet").write_bytes(b"partial")
    (out / PARTS / "index.sqlite").write_bytes(b"stale")
    shutil.copytree(corpus / "dept0001", partial / "dept0001")
    second = scan(str(partial), ScanOptions(out=str(out), jobs=2, batch=2), progress=False)
    assert (second.total, second.skipped) == (12, 6)
    assert not (out / PARTS / "000099-findings.parquet").exists()
    assert not [p.name for p in (out / PARTS).iterdir() if not p.name[0].isdigit()]
    assert all((out / PARTS / n).stat().st_mtime_ns == t for n, t in parts_before.items())
    fresh = tmp_path / "fresh"
    scan(str(partial), ScanOptions(out=str(fresh), jobs=2), progress=False)
    assert rows(out, "findings") == rows(fresh, "findings")
    assert rows(out, "documents") == rows(fresh, "documents")
    # a changed document is audited again; the others are not
    target = partial / "dept0000" / "2024_budget.txt"
    target.write_text(target.read_text(encoding="utf-8").replace("减少减少", "减少"), encoding="utf-8")
    third = scan(str(partial), ScanOptions(out=str(out), jobs=2), progress=False)
    assert third.skipped == 11
    assert not [f for f in rows(out, "findings") if f["path"] == str(target) and f["rule"] == "text.repeated_word"]


def test_hanging_crashing_and_memory_hungry_documents_are_recorded(corpus: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    source = corpus / "dept0000" / "2024_final.txt"
    for name in ("a_ok", "b_hang", "c_crash", "d_hog", "e_ok"):
        shutil.copy(source, folder / f"{name}.txt")
    monkeypatch.setenv(HANG_ENV, "b_hang")
    monkeypatch.setenv(CRASH_ENV, "c_crash")
    monkeypatch.setenv(HOG_ENV, "d_hog")
    out = tmp_path / "out"
    stats = scan(str(folder), ScanOptions(out=str(out), jobs=2, timeout=2, memory_mb=512), progress=False)
    errors = {Path(d["path"]).stem: d["error"] for d in rows(out, "documents")}
    assert errors["a_ok"] is None and errors["e_ok"] is None
    assert "timed out after 2 s" in errors["b_hang"]
    assert "worker crashed (exit code 70)" in errors["c_crash"]
    assert "out of memory" in errors["d_hog"]
    assert stats.failed == 3 and stats.audited == 5
    assert "## Documents that could not be audited" in (out / "summary.md").read_text(encoding="utf-8")
    # a failed document is recorded, so a resumed scan does not try it again...
    for hook in (HANG_ENV, CRASH_ENV, HOG_ENV):
        monkeypatch.delenv(hook)
    assert scan(str(folder), ScanOptions(out=str(out), jobs=2), progress=False).skipped == 5
    # ... unless asked to: then only the three failed ones are audited again, and now succeed
    retried = scan(str(folder), ScanOptions(out=str(out), jobs=2, retry_failed=True), progress=False)
    assert (retried.skipped, retried.failed) == (2, 0)
    assert all(d["error"] is None for d in rows(out, "documents"))
    assert len(rows(out, "documents")) == 5


def test_many_parts_merge_in_stages_to_the_same_tables(scanned: Path, corpus: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import auditor.scan.consolidate as consolidate_module

    monkeypatch.setattr(consolidate_module, "MERGE_FAN_IN", 2)  # 12 one-document parts: three merge levels
    out = tmp_path / "staged"
    stats = scan(str(corpus), ScanOptions(out=str(out), jobs=2, batch=1), progress=False)
    assert stats.audited == 12
    assert len(list((out / PARTS).glob("*-docs.parquet"))) == 12
    assert rows(out, "findings") == rows(scanned, "findings")
    assert rows(out, "documents") == rows(scanned, "documents")
    assert (out / "summary.md").read_text(encoding="utf-8") == (scanned / "summary.md").read_text(encoding="utf-8")
    # the merge runs and the index are gone: OUT/.parts holds the parts only
    assert sorted({p.name.split("-", 1)[1] for p in (out / PARTS).iterdir()}) == ["docs.parquet",
                                                                                  "findings.parquet"]


def test_a_file_name_that_is_not_utf8_is_scanned(corpus: Path, tmp_path: Path) -> None:
    import os

    folder = tmp_path / "corpus"
    folder.mkdir()
    source = (corpus / "dept0000" / "2024_budget.txt").read_bytes()
    (folder / "ok.txt").write_bytes(source)
    with open(os.path.join(os.fsencode(folder), b"\xff\xfe.txt"), "wb") as handle:
        handle.write(source)
    out = tmp_path / "out"
    stats = scan(str(folder), ScanOptions(out=str(out), jobs=1), progress=False)
    assert (stats.audited, stats.failed) == (2, 0)
    paths = [d["path"] for d in rows(out, "documents")]
    assert paths == sorted(paths) and any(p.endswith("\\xff\\xfe.txt") for p in paths)
    found = {f["path"] for f in rows(out, "findings")}
    assert found == set(paths)
    # resuming finds it under the same printable name
    assert scan(str(folder), ScanOptions(out=str(out), jobs=1), progress=False).skipped == 2


def test_csv_format(scanned: Path, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "csv"
    result = CliRunner().invoke(main, ["scan", str(corpus), "-o", str(out), "--format", "csv", "--quiet"])
    assert result.exit_code == 0, result.output
    assert (out / "findings.csv").exists() and (out / "documents.csv").exists()
    header = (out / "findings.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.replace('"', "").split(",") == [name for name, _ in FINDING_COLUMNS]
    assert rows(out, "findings") == rows(scanned, "findings")
    assert rows(out, "documents") == rows(scanned, "documents")


def test_dask_engine_equals_local(scanned: Path, corpus: Path, tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    out = tmp_path / "dask"
    stats = scan(str(corpus), ScanOptions(out=str(out), jobs=2, engine="dask", batch=5), progress=False)
    assert stats.audited == 12
    assert (out / "findings.parquet").read_bytes() == (scanned / "findings.parquet").read_bytes()
    assert rows(out, "documents") == rows(scanned, "documents")


def hang_folder(corpus: Path, tmp_path: Path) -> Path:
    """Five copies of one document; b_hang hangs when HANG_ENV is "b_hang"."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("a_ok", "b_hang", "c_ok", "d_ok", "e_ok"):
        shutil.copy(corpus / "dept0000" / "2024_final.txt", folder / f"{name}.txt")
    return folder


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def assert_one_row_each(out: Path, folder: Path, hung: str) -> None:
    """Every document has exactly one row; all but b_hang audited cleanly, b_hang with `hung`."""
    docs = rows(out, "documents")
    assert Counter(d["path"] for d in docs) == Counter(str(p) for p in folder.iterdir())
    errors = {Path(d["path"]).stem: d["error"] for d in docs}
    assert errors.pop("b_hang") == hung
    assert set(errors.values()) == {None}


def test_dask_restarts_the_worker_of_a_hung_document(corpus: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    import auditor.scan.run as run_module  # where `scan` looks up its engine

    folder = hang_folder(corpus, tmp_path)
    pid_file = tmp_path / "hang.pid"
    monkeypatch.setenv(HANG_ENV, "b_hang")
    monkeypatch.setenv(HANG_PID_ENV, str(pid_file))
    # The proof that the hung thread ended: when its row is delivered the cluster still runs
    # (it closes only after the last row), yet the process the thread hung in is gone.
    seen: dict[str, list[int]] = {}
    run_dask = run_module.run_dask

    def run_and_check(tasks: Any, opts: ScanOptions, deliver: Any, tick: Any) -> None:
        def check(out: dict[str, Any]) -> None:
            if Path(out["doc"]["path"]).stem == "b_hang":
                pids = [int(line) for line in pid_file.read_text(encoding="utf-8").split()]
                seen["hung in"], seen["running"] = pids, [pid for pid in pids if running(pid)]
            deliver(out)

        run_dask(tasks, opts, check, tick)

    monkeypatch.setattr(run_module, "run_dask", run_and_check)
    out = tmp_path / "out"
    stats = scan(str(folder), ScanOptions(out=str(out), engine="dask", jobs=2, timeout=2), progress=False)
    assert_one_row_each(out, folder, "timed out after 2 s; worker restarted")
    assert stats.audited == 5 and stats.failed == 1
    assert seen["hung in"] and os.getpid() not in seen["hung in"]  # the hook ran, in a worker process
    assert seen["running"] == []


def test_dask_worker_without_a_nanny_is_left_running_and_said_so(corpus: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed", reason="the dask extra is not installed")
    from distributed import LocalCluster

    folder = hang_folder(corpus, tmp_path)
    monkeypatch.setenv(HANG_ENV, "b_hang")
    out = tmp_path / "out"
    # processes=False: the worker runs in this process, with no Nanny to restart it (the hung
    # thread sleeps on here until the test session ends)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp://", host="127.0.0.1",
                      dashboard_address=None) as cluster:
        stats = scan(str(folder), ScanOptions(out=str(out), engine="dask", scheduler=cluster.scheduler_address,
                                              timeout=2), progress=False)
    assert_one_row_each(out, folder, "timed out after 2 s; worker could not be restarted, the thread runs on")
    assert stats.audited == 5 and stats.failed == 1


def test_help_and_check_do_not_import_heavy_modules() -> None:
    script = (
        "import sys, json\n"
        "from click.testing import CliRunner\n"
        "from auditor.cli import main\n"
        "assert CliRunner().invoke(main, ['--help']).exit_code == 0\n"
        "assert CliRunner().invoke(main, ['scan', '--help']).exit_code == 0\n"
        "CliRunner().invoke(main, ['check', 'datasets', '--fail-on', 'never'])\n"
        "CliRunner().invoke(main, ['rules'])\n"
        "print(json.dumps(sorted(m for m in ('pyarrow', 'dask', 'distributed') if m in sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_results_with_facts_of_another_version_are_audited_again(corpus: Path, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp_path / "corpus"
    shutil.copytree(corpus / "dept0001", folder)
    out = tmp_path / "out"
    first = scan(str(folder), ScanOptions(out=str(out), jobs=1), progress=False)
    assert first.failed == 0 and first.crossdoc > 0
    # an older release wrote these parts: its facts carry another version number
    part = sorted((out / PARTS).glob("*-docs.parquet"))[0]
    table = pq.read_table(part)
    facts = [json.dumps({**json.loads(f), "v": 1}, ensure_ascii=False) for f in table.column("facts").to_pylist()]
    pq.write_table(table.set_column(table.schema.get_field_index("facts"), "facts", pa.array(facts)), part)
    again = scan(str(folder), ScanOptions(out=str(out), jobs=1), progress=False)
    assert again.skipped == 0 and again.crossdoc == first.crossdoc
    assert all(json.loads(d["facts"])["v"] != 1 for d in rows(out, "documents"))
    assert scan(str(folder), ScanOptions(out=str(out), jobs=1), progress=False).skipped == first.total


def test_workers_are_forked_with_the_rules_loaded() -> None:
    """The scan's forkserver preloads auditor.scan.preloaded, which loads the rule modules and the
    catalog once (checked in a fresh interpreter, where nothing else has loaded them)."""
    import subprocess
    import sys

    from auditor.scan.document import PRELOAD

    assert "auditor.scan.preloaded" in PRELOAD
    code = ("import auditor.engine as e, auditor.audit as a; assert not e._LOADED; "
            "import auditor.scan.preloaded; assert e._LOADED; "
            "import checks.text; print('ok')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.stdout.strip() == "ok", done.stderr
