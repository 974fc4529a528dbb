"""auditor: consistency auditor for published government budget and performance disclosures.

Python API (the same result the JSON report is made of)::

    from auditor import audit
    result = audit("budget.pdf")            # files or directories, like `auditor check`
    for finding in result.findings:
        print(finding["rank"], finding["rule"], finding["message"])
    html = result.render("html")

`audit` is loaded on first use, so `import auditor` (and `auditor --help`) stays fast.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["__version__", "audit"]


def __getattr__(name: str) -> Any:
    if name == "audit":
        # the module auditor.audit is callable: audit("budget.pdf") runs auditor.audit.audit
        import importlib

        return importlib.import_module("auditor.audit")
    raise AttributeError(f"module 'auditor' has no attribute {name!r}")
