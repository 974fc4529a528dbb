"""The disclosure generator (datasets/generate.py) as a module, for the benchmark scripts.

The generator is a tool of the project, not a package the auditor imports, so the scripts load
it by path.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def load_generator() -> Any:
    """datasets/generate.py as a module (loaded once; later calls return the same module)."""
    name = "auditor_dataset_generator"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "datasets" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
