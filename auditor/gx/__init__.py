"""Great Expectations integration (the optional `gx` extra, DESIGN §9).

For data-release teams that already gate their releases with Great Expectations (GX 1.x):

- `auditor.gx.suites` turns a standard table kind (a file of `checks/catalog/tables/`) into an
  expectation suite (required columns, code formats, non-negative amounts, unique code keys, the
  schema's row sums), exported by `auditor gx suite KIND -o suite.json`;
- `auditor.gx.expectations` holds the custom expectation those row sums need
  (`ExpectMulticolumnSumToEqualWithTolerance`); a team's own GX project imports it;
- `auditor.gx.frame` lays the tables auditor read out as one pandas DataFrame per table kind
  (pandas only, no GX);
- `auditor.gx.runner` validates those frames once per kind in an ephemeral context for
  `auditor check --gx`, turns failures into `schema.*` findings and optionally builds Data Docs.

Only the commands that need GX import it: `auditor --help` and `auditor check` without `--gx`
never do. Everything runs offline.
"""

from __future__ import annotations

import os

GX_REQUIREMENT = "great-expectations>=1.24,<2"
INSTALL_HINT = f"pip install 'disclosure-auditor[gx]' (or: pip install '{GX_REQUIREMENT}')"


class GXUnavailable(RuntimeError):
    """great_expectations is not installed (or not a 1.x release)."""


def require_gx():  # noqa: ANN201 - returns the great_expectations module
    """Import great_expectations, or raise GXUnavailable with the install hint."""
    # No usage statistics leave the machine: runs are offline and private by default.
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    try:
        import great_expectations as gx
    except ImportError as exc:
        raise GXUnavailable(f"great_expectations is not installed; {INSTALL_HINT}") from exc
    major = str(getattr(gx, "__version__", "0")).split(".", 1)[0]
    if major != "1":
        raise GXUnavailable(f"great_expectations {gx.__version__} found, 1.x needed; {INSTALL_HINT}")
    return gx
