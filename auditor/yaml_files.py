"""The YAML data files auditor ships (catalogs, messages, report labels), parsed once per install.

A cold `auditor check` reads about ninety of them: importing PyYAML and parsing them with libyaml
costs ~25 ms of every run, for data that changes only when the project does. So the parsed data is
kept beside its source, in `__pycache__/NAME.<python tag>.yaml.marshal` (or under
PYTHONPYCACHEPREFIX), the way Python keeps bytecode: the cache records a digest of the source bytes, so an edited file is never read stale,
and a run with every cache fresh never imports yaml. Like bytecode, the cache is written only when
PYTHONDONTWRITEBYTECODE is unset, or explicitly (`python -m auditor.yaml_files DIR...`, which the
Makefile runs at install), and only for the files auditor ships; a read-only install simply
parses every time.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
from pathlib import Path
from typing import Any

# Only the data shipped with auditor is cached by default: a catalog a user points a run at is
# read as it is, and nothing is written beside it.
SHIPPED = tuple(Path(__file__).resolve().parents[1] / name for name in ("auditor", "checks", "reports"))
# Bump when the cache layout changes; marshal's own format version is part of the header too.
CACHE_VERSION = 1
_MAGIC = b"auditor-yaml" + bytes([CACHE_VERSION, marshal.version])
_DIGEST_SIZE = 16


def read_yaml_file(path: str | os.PathLike[str], *, write_cache: bool | None = None) -> Any:
    """The parsed contents of a YAML file (safe semantics, as `auditor.catalog.safe_yaml`).

    `write_cache`: None writes a fresh cache of a shipped file (under SHIPPED) unless
    PYTHONDONTWRITEBYTECODE is set; True writes one for any file, False never.
    """
    source_path = Path(path)
    source = source_path.read_bytes()
    header = _MAGIC + hashlib.blake2b(source, digest_size=_DIGEST_SIZE).digest()
    cache = cache_path(source_path)
    try:
        cached = cache.read_bytes()
    except OSError:
        cached = b""
    if cached.startswith(header):
        try:
            return marshal.loads(cached[len(header):])
        except (EOFError, ValueError, TypeError):
            pass  # a damaged cache file: parse the source and write it again
    from auditor.catalog import safe_yaml

    data = safe_yaml(source.decode("utf-8"))
    if write_cache is None:
        write_cache = not sys.dont_write_bytecode and _shipped(source_path)
    if write_cache:
        _write(cache, header, data)
    return data


def _shipped(source: Path) -> bool:
    resolved = source.resolve()
    return any(resolved.is_relative_to(root) for root in SHIPPED)


def cache_path(source: Path) -> Path:
    """Where the parsed `source` is kept: its folder's `__pycache__`, or under PYTHONPYCACHEPREFIX
    (mirroring the source's absolute path) when that is set, as Python places bytecode."""
    name = f"{source.stem}.{sys.implementation.cache_tag or 'python'}.yaml.marshal"
    if sys.pycache_prefix:
        folder = source.absolute().parent
        return Path(sys.pycache_prefix, *folder.parts[1:], name)
    return source.parent / "__pycache__" / name


def _write(cache: Path, header: bytes, data: Any) -> None:
    try:
        payload = marshal.dumps(data)
    except ValueError:
        return  # a type marshal cannot hold (a YAML date, say): that file is parsed every time
    temporary = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(header + payload)
        os.replace(temporary, cache)  # atomic: parallel workers never read half a file
    except OSError:
        with contextlib.suppress(OSError):  # the folder may be what could not be made
            temporary.unlink(missing_ok=True)


def warm(folders: list[Path]) -> int:
    """Write the cache of every YAML file under `folders`; returns how many files were read."""
    count = 0
    for folder in folders:
        for path in sorted(folder.rglob("*.yaml")):
            read_yaml_file(path, write_cache=True)
            count += 1
    return count


if __name__ == "__main__":
    warm([Path(arg) for arg in sys.argv[1:]])
