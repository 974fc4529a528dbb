"""The parsed-YAML cache: the same data as parsing, never stale, never required, and a cold check
with a warm cache does not import PyYAML at all."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest

import auditor.catalog
import auditor.yaml_files
from auditor.catalog import safe_yaml
from auditor.yaml_files import cache_path, read_yaml_file, warm

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = [ROOT / "checks" / "catalog", ROOT / "checks" / "messages", ROOT / "reports" / "templates"]
TEXT = "rule: a.b\nlist: [1, 2.50, x]\nnested: {k: 中文, none: ~, flag: yes}\nshared: &a [1]\nagain: *a\n"


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(source: object) -> None:
        raise AssertionError("parsed although the cache was fresh")

    monkeypatch.setattr(auditor.catalog, "safe_yaml", refuse)


def test_a_fresh_cache_gives_the_parsed_data_without_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "data.yaml"
    source.write_text(TEXT, encoding="utf-8")
    parsed = read_yaml_file(source, write_cache=True)
    assert parsed == safe_yaml(TEXT)
    assert cache_path(source).is_file()
    _no_parsing(monkeypatch)
    assert read_yaml_file(source) == parsed
    assert list(read_yaml_file(source)["nested"]) == ["k", "none", "flag"]  # order kept


def test_an_edited_file_is_parsed_again(tmp_path: Path) -> None:
    source = tmp_path / "data.yaml"
    source.write_text("value: 1\n", encoding="utf-8")
    assert read_yaml_file(source, write_cache=True) == {"value": 1}
    stamp = source.stat()
    source.write_text("value: 2\n", encoding="utf-8")
    os.utime(source, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # same size and time: only the bytes differ
    assert read_yaml_file(source) == {"value": 2}


def test_a_damaged_cache_is_ignored_and_rewritten(tmp_path: Path) -> None:
    source = tmp_path / "data.yaml"
    source.write_text(TEXT, encoding="utf-8")
    read_yaml_file(source, write_cache=True)
    cache = cache_path(source)
    cache.write_bytes(cache.read_bytes()[:-3])
    assert read_yaml_file(source, write_cache=True) == safe_yaml(TEXT)
    assert read_yaml_file(source) == safe_yaml(TEXT)


@pytest.mark.parametrize("dont_write", [True, False])
def test_the_cache_is_written_as_bytecode_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dont_write: bool) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", dont_write)
    monkeypatch.setattr(auditor.yaml_files, "SHIPPED", (tmp_path,))
    source = tmp_path / "data.yaml"
    source.write_text(TEXT, encoding="utf-8")
    read_yaml_file(source)
    assert cache_path(source).is_file() is not dont_write


def test_a_pycache_prefix_holds_the_cache_as_it_holds_bytecode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    prefix = tmp_path / "prefix"
    monkeypatch.setattr(sys, "pycache_prefix", str(prefix))
    source = tmp_path / "src" / "data.yaml"
    source.parent.mkdir()
    source.write_text(TEXT, encoding="utf-8")
    read_yaml_file(source, write_cache=True)
    assert not (source.parent / "__pycache__").exists()
    [cache] = prefix.rglob("*.yaml.marshal")
    assert cache == cache_path(source) and cache.parent.name == "src"  # the source's path, under the prefix
    _no_parsing(monkeypatch)
    assert read_yaml_file(source) == safe_yaml(TEXT)


def test_nothing_is_written_beside_a_file_auditor_does_not_ship(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    source = tmp_path / "my_catalog.yaml"
    source.write_text(TEXT, encoding="utf-8")
    assert read_yaml_file(source) == safe_yaml(TEXT)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my_catalog.yaml"]


def test_data_marshal_cannot_hold_is_parsed_every_time(tmp_path: Path) -> None:
    source = tmp_path / "dated.yaml"
    source.write_text("published: 2024-03-01\n", encoding="utf-8")
    assert read_yaml_file(source, write_cache=True) == {"published": datetime.date(2024, 3, 1)}
    assert not cache_path(source).exists()


def test_an_unwritable_cache_folder_is_no_error(tmp_path: Path) -> None:
    source = tmp_path / "data.yaml"
    source.write_text(TEXT, encoding="utf-8")
    (tmp_path / "__pycache__").write_text("a file where the folder would go", encoding="utf-8")
    assert read_yaml_file(source, write_cache=True) == safe_yaml(TEXT)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["__pycache__", "data.yaml"]  # no temporary left
    assert (tmp_path / "__pycache__").is_file()


@pytest.mark.parametrize("folder", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_file_comes_back_from_its_cache_unchanged(folder: Path) -> None:
    import marshal

    for path in sorted(folder.rglob("*.yaml")):
        parsed = safe_yaml(path.read_text(encoding="utf-8"))
        assert marshal.loads(marshal.dumps(parsed)) == parsed, path.name


def test_a_cold_check_with_a_warm_cache_does_not_import_yaml() -> None:
    warm(SHIPPED)  # what `make install` does
    seed = ROOT / "datasets"
    sample = next(p for p in sorted(seed.rglob("*.txt")))
    code = ("import sys\nfrom auditor.cli import main\nsys.argv = ['auditor', 'check', sys.argv[1]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\nprint('yaml' in sys.modules, file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", code, str(sample)], capture_output=True, text=True,
                          cwd=ROOT, check=True, timeout=120)
    assert done.stderr.strip().splitlines()[-1] == "False"
