"""Audit a corpus of thousands of documents: local process pool by default, Dask when asked.

    walk (sorted, streaming) ─▶ skip documents already in OUT with the same content hash
        ─▶ workers: audit_file + build_result per document (the same findings as `auditor check`)
        ─▶ parts: OUT/.parts/NNNNNN-findings.parquet then NNNNNN-docs.parquet, one pair per batch
        ─▶ post-pass: cross-document rules over the small per-document facts, one department
           at a time
        ─▶ consolidation: findings.parquet, documents.parquet (or .csv) and summary.md

A kill loses at most the documents in flight and the current batch: the parts written are
kept, and the next run continues from them. A part pair counts only once its docs file exists
(it is written last, atomically). A document that crashes its worker, hangs past `timeout` or
exhausts the worker's memory cap is recorded with its error; the worker is replaced.
`retry_failed` audits such documents again on the next run.

Memory is flat in the number of documents. The parent holds one batch of results; what it
knows per document (path, hash, part, facts) and the cross-document findings live in a SQLite
index under OUT/.parts, rebuilt from the parts at each run; the cross-document rules read one
department's facts at a time; the consolidation merges the sorted parts at most MERGE_FAN_IN
at a time (an external merge sort through temporary runs), each input holding one small row
group. Workers hold one document each.

pyarrow (and dask for `--engine dask`) are imported inside the functions that need them, so
importing this package stays light: the forkserver preloads it into every worker.

The package, one module a job:

    options      ScanOptions (what to do) and ScanStats (what was done)
    corpus       the walk: supported documents in sorted order, symbolic-link loops; content hashes
    document     one document audited in a worker: its rows and facts, error rows, the test hooks
    preloaded    imported by the forkserver: the rules and the catalog, loaded once for every worker
    workers      the local engine: a process pool with timeouts, memory caps and replacements
    dask_runner  the Dask engine: a cluster, bounded submission, worker restarts through the Nanny
    parts        the columns of the tables; writing and reading the Parquet parts
    index        the resume index (SQLite): what to publish, what to skip, the facts version
    consolidate  the cross-document rules, the merge of the parts into the outputs, summary.md
    progress     the status line on stderr
    run          `scan`: walk, skip, audit with an engine into parts, consolidate
"""

from auditor.scan.consolidate import read_output
from auditor.scan.corpus import walk
from auditor.scan.document import CRASH_ENV, HANG_ENV, HANG_PID_ENV, HOG_ENV
from auditor.scan.options import ScanOptions, ScanStats
from auditor.scan.parts import DOCUMENT_COLUMNS, FINDING_COLUMNS, PARTS
from auditor.scan.run import scan

__all__ = [
    "CRASH_ENV", "DOCUMENT_COLUMNS", "FINDING_COLUMNS", "HANG_ENV", "HANG_PID_ENV", "HOG_ENV", "PARTS",
    "ScanOptions", "ScanStats", "read_output", "scan", "walk",
]
