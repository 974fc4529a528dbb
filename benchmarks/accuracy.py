"""Accuracy of the auditor on generated disclosures with planted anomalies (a script, not a test).

    python benchmarks/accuracy.py [--count 300] [--seed 1] [--rows N] [--seeds DIR] [--keep DIR]

Generates `--count` documents with `datasets/generate.py` into a temporary folder, audits each one
in this process (`auditor.audit.audit_file` + `auditor.result.build_result`, so findings are
ranked and grouped as the CLI shows them) and matches findings to the labels:

* a finding **matches** a label when its rule family is the label's family and the label's line is
  the finding's line or one of its evidence lines; a finding that matches a label's `also` entry
  (a legitimate consequence of the same wrong value) is counted as a true positive too;
* **recall** per family = labels matched by at least one finding of that family; **exact** recall
  also asks for the labelled rule id; **precision** = findings that match a label or an `also`
  entry ÷ all findings of the family;
* **error-level**: the same over error findings only, against labels whose rule is an error rule;
* **culprit accuracy**: for each found label, whether the lead of the matching finding's group
  names the planted cell (its culprit cell lies on the labelled line: the culprit starts with the
  title of the table holding that line and its row label is printed on it; for prose, the lead's
  line is the labelled line);
* **suggested value accuracy**: of the found labels whose group lead suggests a value, how many
  suggest the labelled correct value.

Families whose rules are not registered (`auditor.engine.load_rules()`) are shown as "rules not
present". It also audits `../shared/seeds` when present and prints finding counts by rule.
Writes `benchmarks/results/accuracy.md`.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from _generator import load_generator  # noqa: E402 - benchmarks/ is on sys.path when run as a script

from auditor.audit import audit_file  # noqa: E402
from auditor.engine import load_rules  # noqa: E402
from auditor.result import build_result  # noqa: E402

DEFAULT_SEEDS = ROOT.parent / "shared" / "seeds"
RESULTS = ROOT / "benchmarks" / "results" / "accuracy.md"
FAMILIES = ["total", "crosstable", "narrative", "rate", "indicator", "score", "date", "text"]



def finding_lines(f: dict[str, Any]) -> set[int]:
    lines = {e["line"] for e in f.get("evidence", []) if e.get("line")}
    if f["location"].get("line"):
        lines.add(f["location"]["line"])
    return lines


def norm_value(text: str | None) -> str:
    return re.sub(r"[,\s%，万元]", "", text or "")


def table_title_above(lines: list[str], line: int) -> str | None:
    """The title of the table a line belongs to: the nearest title-like line above it."""
    for i in range(line - 2, -1, -1):
        s = lines[i].strip()
        if "\t" not in lines[i] and s.endswith("表") and len(s) < 60:
            return s
    return None


@dataclass
class DocScore:
    labels: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    text_lines: list[str]
    matched_labels: set[int] = field(default_factory=set)


@dataclass
class Tally:
    labels: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    exact: Counter[str] = field(default_factory=Counter)
    findings: Counter[str] = field(default_factory=Counter)
    true_pos: Counter[str] = field(default_factory=Counter)
    err_labels: int = 0
    err_found: int = 0
    err_findings: int = 0
    err_true: int = 0
    culprit_total: int = 0
    culprit_ok: int = 0
    culprit_misses: list[str] = field(default_factory=list)
    suggest_total: int = 0
    suggest_ok: int = 0
    false_alarms: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    by_kind: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))


def culprit_names_cell(lead: dict[str, Any], label: dict[str, Any], text_lines: list[str]) -> bool:
    line = label["line"]
    culprit = lead.get("culprit")
    if culprit:
        title = table_title_above(text_lines, line)
        if title and not culprit.replace(" ", "").startswith(title.replace(" ", "")):
            return False
        row = lead["location"].get("row")
        m = re.match(r"(.*?)「", culprit)
        row_label = (m.group(1)[len(title or ""):].strip() if m else row) or ""
        return bool(row_label) and row_label in text_lines[line - 1]
    return lead["location"].get("line") == line


def score_document(doc: DocScore, tally: Tally, name: str, present: set[str], error_rules: set[str]) -> None:
    by_group: dict[str, dict[str, Any]] = {}
    for f in doc.findings:
        if f.get("group_lead"):
            by_group[f["group"]] = f
    explained: set[int] = set()
    for label in doc.labels:
        fam = label["family"]
        tally.labels[fam] += 1
        tally.by_kind[label["kind"]]["labels"] += 1
        hits = [i for i, f in enumerate(doc.findings)
                if f["rule"].split(".")[0] == fam and label["line"] in finding_lines(f)]
        explained.update(hits)
        for extra in label.get("also", []):
            extra_fam = str(extra["rule"]).split(".")[0]
            explained.update(i for i, f in enumerate(doc.findings)
                             if f["rule"].split(".")[0] == extra_fam and extra["line"] in finding_lines(f))
        if label["rule"] in error_rules:
            tally.err_labels += 1
            if any(doc.findings[i]["severity"] == "error" for i in hits):
                tally.err_found += 1
        if not hits:
            if fam in present:
                tally.misses.append(f"{name}:{label['line']} {label['rule']} ({label['kind']}: "
                                    f"{label['printed']} for {label['correct']})")
            continue
        tally.found[fam] += 1
        tally.by_kind[label["kind"]]["found"] += 1
        if any(doc.findings[i]["rule"] == label["rule"] for i in hits):
            tally.exact[fam] += 1
        best = min(hits, key=lambda i: doc.findings[i]["rank"])
        lead = by_group.get(doc.findings[best]["group"], doc.findings[best])
        tally.culprit_total += 1
        if culprit_names_cell(lead, label, doc.text_lines):
            tally.culprit_ok += 1
        else:
            tally.culprit_misses.append(f"{name}:{label['line']} {label['kind']}: lead {lead['rule']} at line "
                                        f"{lead['location'].get('line')}, culprit {lead.get('culprit')!r}")
        if lead.get("suggestion"):
            tally.suggest_total += 1
            if norm_value(lead["suggestion"]) == norm_value(label["correct"]):
                tally.suggest_ok += 1
    for i, f in enumerate(doc.findings):
        fam = f["rule"].split(".")[0]
        tally.findings[fam] += 1
        if f["severity"] == "error":
            tally.err_findings += 1
        if i in explained:
            tally.true_pos[fam] += 1
            if f["severity"] == "error":
                tally.err_true += 1
        else:
            tally.false_alarms.append(f"{name}:{f['location'].get('line')} {f['rule']} [{f['severity']}] "
                                      f"{f['message'][:140]}")


def ratio(a: int, b: int) -> str:
    return f"{a / b:.1%} ({a}/{b})" if b else "—"


def audit_seeds(seeds: Path) -> Counter[str]:
    counts: Counter[str] = Counter()
    files = sorted(p for p in seeds.glob("*.txt"))
    results = [audit_file(str(p)) for p in files]
    for f in build_result(results)["findings"]:
        counts[f"{f['rule']} [{f['severity']}]"] += 1
    return counts


def run(count: int, seed: int, rows: int | None, seeds: Path, keep: Path | None) -> str:
    gen = load_generator()
    specs = load_rules()
    present = {s.family for s in specs.values()}
    error_rules = {s.id for s in specs.values() if s.severity == "error"}
    tally = Tally()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        out = keep or Path(tmp)
        files = gen.generate(out, seed, count, list(gen.KINDS), rows)
        generated = time.perf_counter() - started
        audit_started = time.perf_counter()
        n_clean = 0
        for path in files:
            labels = json.loads((path.parent / (path.stem + ".labels.json")).read_text(encoding="utf-8"))
            n_clean += not labels
            result = build_result([audit_file(str(path))])
            text_lines = path.read_text(encoding="utf-8").split("\n")
            score_document(DocScore(labels, result["findings"], text_lines), tally, path.name, present, error_rules)
        audit_seconds = time.perf_counter() - audit_started
    seed_counts = audit_seeds(seeds) if seeds.is_dir() else None

    out_lines = [
        "# Accuracy on generated disclosures",
        "",
        f"Command: `python benchmarks/accuracy.py --count {count} --seed {seed}"
        + (f" --rows {rows}" if rows else "") + "`  ",
        f"Date: {_dt.date.today().isoformat()}; {count} documents ({n_clean} clean, "
        f"{sum(tally.labels.values())} planted anomalies); generated in {generated:.1f} s, audited in "
        f"{audit_seconds:.1f} s ({count / audit_seconds:.1f} documents/s).",
        "",
        "A finding matches a label when its rule family is the label's and the labelled line is its line or one "
        "of its evidence lines; consequences listed under a label's `also` count as true positives. "
        "Exact = the labelled rule id itself fired there.",
        "",
        "| family | planted | recall | exact-rule recall | findings | precision |",
        "|---|---|---|---|---|---|",
    ]
    for fam in FAMILIES:
        if fam not in present:
            out_lines.append(f"| {fam} | {tally.labels[fam]} | rules not present | | {tally.findings[fam]} | |")
            continue
        out_lines.append(f"| {fam} | {tally.labels[fam]} | {ratio(tally.found[fam], tally.labels[fam])} | "
                         f"{ratio(tally.exact[fam], tally.labels[fam])} | {tally.findings[fam]} | "
                         f"{ratio(tally.true_pos[fam], tally.findings[fam])} |")
    others = sorted(set(tally.findings) - set(FAMILIES))
    for fam in others:
        out_lines.append(f"| {fam} | 0 | | | {tally.findings[fam]} | {ratio(tally.true_pos[fam], tally.findings[fam])} |")
    present_fams = [f for f in FAMILIES if f in present]
    lab = sum(tally.labels[f] for f in present_fams)
    fnd = sum(tally.found[f] for f in present_fams)
    allf = sum(tally.findings.values())
    tp = sum(tally.true_pos.values())
    out_lines += [
        f"| **overall (families with rules)** | {lab} | {ratio(fnd, lab)} | "
        f"{ratio(sum(tally.exact[f] for f in present_fams), lab)} | {allf} | {ratio(tp, allf)} |",
        "",
        f"* Error level: recall {ratio(tally.err_found, tally.err_labels)} (labels whose rule is an error rule, "
        f"found by an error finding); precision {ratio(tally.err_true, tally.err_findings)}.",
        f"* Culprit accuracy (group lead names the planted cell): {ratio(tally.culprit_ok, tally.culprit_total)}.",
        f"* Suggested value = the planted cell's correct value: {ratio(tally.suggest_ok, tally.suggest_total)} "
        f"of the found labels whose group lead suggests a value.",
        "",
        "## Recall by anomaly kind",
        "",
        "| kind | planted | found |",
        "|---|---|---|",
    ]
    for kind in sorted(tally.by_kind):
        c = tally.by_kind[kind]
        out_lines.append(f"| {kind} | {c['labels']} | {ratio(c['found'], c['labels'])} |")
    out_lines += ["", "## Findings that match no label (first 40)", ""]
    out_lines += [f"* {x}" for x in tally.false_alarms[:40]] or ["none"]
    out_lines += ["", "## Found, but the group lead does not name the planted cell (first 20)", ""]
    out_lines += [f"* {x}" for x in tally.culprit_misses[:20]] or ["none"]
    out_lines += ["", "## Planted anomalies not found, in families with rules (first 40)", ""]
    out_lines += [f"* {x}" for x in tally.misses[:40]] or ["none"]
    if seed_counts is not None:
        out_lines += ["", f"## Seeds (`{seeds}`): findings by rule", "", "| rule | findings |", "|---|---|"]
        out_lines += [f"| {rule} | {n} |" for rule, n in sorted(seed_counts.items())]
    return "\n".join(out_lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Precision and recall on generated disclosures.")
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    parser.add_argument("--keep", type=Path, default=None, help="write the generated documents here and keep them")
    parser.add_argument("--no-write", action="store_true", help="print only; do not update benchmarks/results")
    args = parser.parse_args(argv)
    report = run(args.count, args.seed, args.rows, args.seeds, args.keep)
    print(report)
    if not args.no_write:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
