"""auditor.collector: the collector runs less often during an audit, and the caller's setting
is restored afterwards."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from auditor import audit
from auditor.collector import FIRST_GENERATION_THRESHOLD, fewer_collections
from tests.harness import audit_path


@pytest.fixture
def default_thresholds():
    saved = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*saved)


def test_raised_inside_and_restored_after(default_thresholds) -> None:
    with fewer_collections():
        assert gc.get_threshold() == (FIRST_GENERATION_THRESHOLD, 10, 10)
        with fewer_collections():  # nested: still raised, and not restored by the inner exit
            assert gc.get_threshold()[0] == FIRST_GENERATION_THRESHOLD
        assert gc.get_threshold()[0] == FIRST_GENERATION_THRESHOLD
    assert gc.get_threshold() == (700, 10, 10)


def test_restored_when_the_body_raises(default_thresholds) -> None:
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("boom")
    assert gc.get_threshold() == (700, 10, 10)


def test_a_higher_setting_is_never_lowered() -> None:
    saved = gc.get_threshold()
    gc.set_threshold(200_000, 10, 10)
    try:
        with fewer_collections():
            assert gc.get_threshold()[0] == 200_000
        assert gc.get_threshold()[0] == 200_000
    finally:
        gc.set_threshold(*saved)


def test_audit_file_runs_with_fewer_collections(default_thresholds, tmp_path: Path, monkeypatch) -> None:
    seen: list[int] = []
    real = audit._audit_file

    def spy(path, selection):
        seen.append(gc.get_threshold()[0])
        return real(path, selection)

    monkeypatch.setattr(audit, "_audit_file", spy)
    doc = tmp_path / "d.txt"
    doc.write_text("2024年部门预算\n收入总计100万元。\n", encoding="utf-8")
    audit_path(doc)
    assert seen == [FIRST_GENERATION_THRESHOLD]
    assert gc.get_threshold()[0] == 700




def test_a_scan_worker_keeps_one_setting_between_documents(default_thresholds, monkeypatch) -> None:
    # A forkserver worker does not import the command line (which sets the threshold for its
    # process): restored after each document, the default would collect at once and traverse
    # the result just built. The worker runs its documents as one batch instead.
    from auditor.scan import workers

    seen: list[int] = []

    def audit_one(path, digest, lang, selection):
        seen.append(gc.get_threshold()[0])
        return {"path": path}

    class Pipe:
        def __init__(self, tasks):
            self.tasks, self.sent = list(tasks), []

        def recv(self):
            return self.tasks.pop(0)

        def send(self, out):
            self.sent.append(out)

    monkeypatch.setattr(workers, "audit_one", audit_one)
    pipe = Pipe([("a.txt", "1"), ("b.txt", "2"), None])
    workers._worker_main(pipe, 0, "zh", None, {})
    assert [out["path"] for out in pipe.sent] == ["a.txt", "b.txt"]
    assert seen == [FIRST_GENERATION_THRESHOLD, FIRST_GENERATION_THRESHOLD]
    assert gc.get_threshold()[0] == 700
