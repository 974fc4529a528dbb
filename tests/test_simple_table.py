"""The text table and display width the reports use, held to the libraries they replace (tabulate's
"simple" format, wcwidth), and the reports importing neither."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

from tabulate import tabulate
from wcwidth import wcswidth

from reports.display_width import display_width, widest_line
from reports.simple_table import simple_table

ROOT = Path(__file__).resolve().parents[1]
# what findings print: ASCII, CJK, full-width punctuation and the report's own marks
ALPHABET = [*"abcXYZ 0123456789.,%-+:/_", *"错误警告规则位置说明应为实为合计万元亿", *"，。、；：「」『』（）《》“”％",
            "└", "▶", "→", "≥", "≤", "≠", "×", "÷", "−", "①", "\u3000", "\n", "  "]


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.choice([0, 0, 1, 3, 8, 24])))


def test_the_table_is_laid_out_as_tabulate_lays_out_simple() -> None:
    rng = random.Random(20261203)
    for _ in range(1500):
        columns = rng.randint(1, 7)
        headers = [_text(rng).replace("\n", "").strip() or "列" for _ in range(columns)]
        # the report's rows: a rank (perhaps under its group lead), then any texts, wrapped or not
        rows = [[rng.choice(["", "  └ "]) + str(rng.randint(1, 300)), *(_text(rng) for _ in range(columns - 1))]
                for _ in range(rng.randint(0, 6))]
        assert simple_table(rows, headers) == tabulate(rows, headers=headers, tablefmt="simple",
                                                       disable_numparse=True), (headers, rows)


def test_a_wrapped_cell_takes_several_lines_and_lines_are_stripped() -> None:
    table = simple_table([["1", "第一行\n第二行", ""], ["  └ 2", "短", "x"]], ["排名", "说明", "值"])
    assert table.split("\n") == [
        "排名    说明    值",
        "------  ------  ----",
        "1       第一行",
        "        第二行",
        "└ 2     短      x",
    ]


def test_display_width_counts_as_wcwidth_for_what_reports_print() -> None:
    characters = [*ALPHABET, *(chr(c) for c in range(0x20, 0x7F)), *(chr(c) for c in range(0x3000, 0x3040)),
                  *(chr(c) for c in range(0x4E00, 0xA000, 7)), *(chr(c) for c in range(0xFF01, 0xFF5F)),
                  "\u200b", "\u200d", "\ufeff", "\u0301", "é", "e\u0301"]
    for text in characters:
        if "\n" not in text:
            assert display_width(text) == wcswidth(text), repr(text)
    assert display_width("一般公共预算 12.5%") == 18


def test_a_control_character_counts_one_column_per_character() -> None:
    # wcswidth gives -1 here; the reports have always counted such a text by its length
    assert wcswidth("a\tb") == -1 and display_width("a\tb") == 3
    assert widest_line("abc\n一二三四") == 8


def test_the_reports_do_not_import_tabulate_or_wcwidth() -> None:
    code = ("import sys\nimport reports.text_report, reports.xlsx_report\n"
            "print(sorted(m for m in ('tabulate', 'wcwidth') if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True,
                          timeout=60)
    assert done.stdout.strip() == "[]"

