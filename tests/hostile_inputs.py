"""Hostile and odd inputs of issue 22, rebuilt as tiny generated files (shared by the tests and by
`benchmarks/robustness.py`). Each builder writes one file into a folder and returns its path.

No text here comes from a real disclosure: the words are the template's generic labels.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from auditor.load.cell_refs import column_letters

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '</Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?>'
             '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
             'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
             '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?>'
                  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                  'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')

# A small budget table: title, unit, header and two rows whose parts add up to the total.
TABLE = [
    ["示例局2024年部门支出总体情况表"],
    ["单位：万元"],
    ["项目", "合计", "基本支出", "项目支出"],
    ["行政运行", "1,000.00", "600.00", "400.00"],
    ["一般行政管理事务", "30.00", "10.00", "20.00"],
]
WRONG = "1,100.00"  # put in place of the first row's total: 600 + 400 is not 1,100 (a row-sum error)


def _cell_xml(ref: str, value: str) -> str:
    try:
        float(value)
        numeric = value.strip() != "" and value.lower() not in ("nan", "inf", "-inf")
    except ValueError:
        numeric = False
    if numeric:
        return f'<c r="{ref}"><v>{escape(value)}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def sheet_xml(cells: dict[tuple[int, int], str], dimension: str | None = None) -> str:
    """A worksheet of the given cells ((row, col) 0-based -> text; a number-like text is a number)."""
    rows: dict[int, list[tuple[int, str]]] = {}
    for (r, c), value in sorted(cells.items()):
        rows.setdefault(r, []).append((c, value))
    body = "".join(f'<row r="{r + 1}">' + "".join(_cell_xml(f"{column_letters(c + 1)}{r + 1}", v) for c, v in row)
                   + "</row>" for r, row in sorted(rows.items()))
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'{dim}<sheetData>{body}</sheetData></worksheet>')


def xlsx_bytes(sheet: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def table_cells(rows: list[list[str]] | None = None) -> dict[tuple[int, int], str]:
    return {(r, c): v for r, row in enumerate(rows or TABLE) for c, v in enumerate(row) if v}


def write_xlsx(folder: Path, name: str, cells: dict[tuple[int, int], str], dimension: str | None = None) -> Path:
    path = folder / name
    path.write_bytes(xlsx_bytes(sheet_xml(cells, dimension)))
    return path


def xlsx_far_corner(folder: Path) -> Path:
    """Row 1: cells A1 and XFD1048576 — a dense grid would be 17 billion cells."""
    return write_xlsx(folder, "corner.xlsx", {(0, 0): "某表", (1048575, 16383): "1"})


def xlsx_far_row(folder: Path) -> Path:
    """Row 1: a reference on row 99,999,999,999 (beyond any spreadsheet's rows)."""
    sheet = sheet_xml(table_cells()).replace("</sheetData>",
                                             '<row r="99999999999"><c r="A99999999999"><v>1</v></c></row>'
                                             "</sheetData>")
    path = folder / "far_row.xlsx"
    path.write_bytes(xlsx_bytes(sheet))
    return path


def xlsx_stray_column(folder: Path, rows: int = 150) -> Path:
    """Row 10: a table plus one stray cell in column XFD."""
    cells = table_cells(TABLE + [["其他支出", "3.00", "1.00", "2.00"]] * (rows - len(TABLE)))
    cells[(3, 16383)] = "1"  # beside the first data row
    return write_xlsx(folder, "stray.xlsx", cells)


def xlsx_forged_dimension(folder: Path) -> Path:
    """Row 10: the true table, but a <dimension> that claims the whole sheet."""
    return write_xlsx(folder, "forged.xlsx", table_cells(), dimension="A1:XFD1048576")


def xlsx_huge_number(folder: Path) -> Path:
    """Row 15: one cell of 1e999 (infinite as a float) in an otherwise good table."""
    cells = table_cells()
    cells[(4, 3)] = "1e999"
    return write_xlsx(folder, "huge_number.xlsx", cells)


def html_spans(folder: Path) -> Path:
    """Row 2: 20 cells each colspan=1000 rowspan=1000 (under 1 KB)."""
    cells = "".join('<td colspan="1000" rowspan="1000">1</td>' for _ in range(20))
    path = folder / "spans.html"
    path.write_text(f"<html><body><table><tr>{cells}</tr></table></body></html>", encoding="utf-8")
    return path


def html_long_paragraph(folder: Path, digits: int = 200_000) -> Path:
    """Row 4: one <p> of 200,000 digits."""
    path = folder / "long_p.html"
    path.write_text(f"<html><body><p>{'7' * digits}</p></body></html>", encoding="utf-8")
    return path


def html_deep_table(folder: Path, depth: int = 300) -> Path:
    """Row 11: 300 nested <div>s before a table whose total is wrong."""
    rows = "".join("<tr>" + "".join(f"<td>{escape(v)}</td>" for v in row) + "</tr>" for row in TABLE[2:])
    wrong = rows.replace(f"<td>{TABLE[3][1]}</td>", f"<td>{WRONG}</td>", 1)
    body = "<div>" * depth + "<p>说明</p>" + "</div>" * depth
    page = (f"<html><body><p>{TABLE[0][0]}</p><p>单位：万元</p>{body}<p>{TABLE[0][0]}</p><p>单位：万元</p>"
            f"<table>{wrong}</table></body></html>")
    path = folder / "deep.html"
    path.write_text(page, encoding="utf-8")
    return path


def text_long_digits(folder: Path, digits: int = 20_000) -> Path:
    """Row 5: one line of 20,000 digits."""
    path = folder / "digits.txt"
    path.write_text("项目绩效评价\n" + "9" * digits + "\n", encoding="utf-8")
    return path


def text_long_sentence(folder: Path, clauses: int = 2_800) -> Path:
    """Row 6: one sentence of 2,800 "比上年增长" clauses."""
    clause = "基本支出10.00万元，比上年增长5.00%，"
    path = folder / "sentence.txt"
    path.write_text("一、收支预算总体情况\n" + clause * clauses + "。\n", encoding="utf-8")
    return path


def text_many_totals(folder: Path, count: int = 49_000) -> Path:
    """Row 7: 合计 × 49,000 on one line."""
    path = folder / "totals.txt"
    path.write_text("合计" * count + "\n", encoding="utf-8")
    return path


def text_lost_cell_rows(folder: Path, rows: int = 1_000) -> Path:
    """Row 8: a table row that lost a cell, repeated 1,000 times."""
    body = "\n".join("\t".join(r) for r in TABLE[2:])
    lost = "\n".join(["其他支出\t3.00\t3.00"] * rows)  # 合计 3 = 3 + blank, or = blank + 3
    path = folder / "lost.txt"
    path.write_text(f"{TABLE[0][0]}\n单位：万元\n{body}\n{lost}\n", encoding="utf-8")
    return path


def csv_wide(folder: Path, columns: int = 10_000, rows: int = 150) -> Path:
    """Row 9: a CSV of 10,000 columns × 150 rows."""
    header = ",".join(["项目"] + [f"列{i}" for i in range(columns)])
    body = "\n".join(",".join([f"行{r}"] + ["1.00"] * columns) for r in range(rows))
    path = folder / "wide.csv"
    path.write_text(f"{header}\n{body}\n", encoding="utf-8")
    return path


def pdf_mediabox_cycle(folder: Path) -> Path:
    """Row 3: a one-page PDF whose MediaBox is a cycle of two indirect references."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox 4 0 R /Contents 6 0 R >>",
        b"5 0 R",
        b"4 0 R",
        b"<< /Length 0 >>\nstream\n\nendstream",
    ]
    return _write_pdf(folder / "cycle.pdf", objects)


def _write_pdf(path: Path, objects: list[bytes]) -> Path:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


def symlink_loop(folder: Path) -> Path:
    """Row 13: a corpus folder with a good text file and a link back to its own parent."""
    root = folder / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text(TABLE[0][0] + "\n单位：万元\n" + "\n".join("\t".join(r) for r in TABLE[2:]) + "\n",
                                encoding="utf-8")
    (root / "sub" / "loop").symlink_to(root, target_is_directory=True)
    (root / "ring1.txt").symlink_to(root / "ring2.txt")  # a ring of two file links
    (root / "ring2.txt").symlink_to(root / "ring1.txt")
    return root


# --------------------------------------------------------------------------- mutants (fuzz tests, benchmark)

# Each kind rebuilds one class of the fuzzer's findings inside an otherwise ordinary file.
TEXT_KINDS = ("flip", "truncate", "duplicate", "digits", "sentence", "totals", "lost_rows", "wide_row", "nul")
HTML_KINDS = ("flip", "truncate", "spans", "deep", "long_p", "unclosed", "duplicate")
XLSX_KINDS = ("far_cell", "far_row", "forged_dimension", "infinite", "bad_ref", "flip_member", "truncate", "stray_xfd")
PDF_KINDS = ("flip", "truncate", "mediabox_ring", "count", "duplicate", "no_eof")
KINDS = {"txt": TEXT_KINDS, "csv": TEXT_KINDS, "html": HTML_KINDS, "xlsx": XLSX_KINDS, "pdf": PDF_KINDS}


def _bytes_mutation(data: bytes, kind: str, rng: random.Random) -> bytes:
    if not data:
        return data
    if kind == "flip":
        out = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(len(out))
            out[i] ^= 1 << rng.randrange(8)
        return bytes(out)
    if kind == "truncate":
        return data[: rng.randrange(1, len(data))]
    if kind == "duplicate":
        i = rng.randrange(len(data))
        j = min(len(data), i + rng.randint(1, 400))
        return data[:j] + data[i:j] * rng.randint(2, 50) + data[j:]
    if kind == "nul":
        i = rng.randrange(len(data))
        return data[:i] + b"\x00" * rng.randint(1, 64) + data[i:]
    return data


def _insert_line(text: str, line: str, rng: random.Random) -> str:
    lines = text.split("\n")
    lines.insert(rng.randrange(len(lines) + 1), line)
    return "\n".join(lines)


def mutate_text(text: str, kind: str, rng: random.Random, delimiter: str = "\t") -> bytes:
    """A text (or CSV, with `delimiter`) mutant of kind `kind`."""
    if kind == "digits":
        text = _insert_line(text, "9" * rng.randint(1_000, 20_000), rng)
    elif kind == "sentence":
        text = _insert_line(text, "基本支出10.00万元，比上年增长5.00%，" * rng.randint(100, 2_800) + "。", rng)
    elif kind == "totals":
        text = _insert_line(text, "合计" * rng.randint(1_000, 49_000), rng)
    elif kind == "lost_rows":
        text = _insert_line(text, "\n".join([delimiter.join(["其他支出", "3.00", "3.00"])] * rng.randint(10, 1_000)), rng)
    elif kind == "wide_row":
        text = _insert_line(text, delimiter.join(["1.00"] * rng.randint(100, 3_000)), rng)
    else:
        return _bytes_mutation(text.encode("utf-8"), kind, rng)
    return text.encode("utf-8")


def mutate_html(page: str, kind: str, rng: random.Random) -> bytes:
    if kind == "spans":
        cells = "".join(f'<td colspan="{rng.randint(1, 5000)}" rowspan="{rng.randint(1, 5000)}">1</td>'
                        for _ in range(rng.randint(1, 40)))
        page = page.replace("<table>", f"<table><tr>{cells}</tr>", 1)
    elif kind == "deep":
        depth = rng.choice([100, 300, 1_000, 2_100, 5_000])
        page = page.replace("<body>", "<body>" + "<div>" * depth + "<p>说明</p>" + "</div>" * depth, 1)
    elif kind == "long_p":
        page = page.replace("<body>", f"<body><p>{'7' * rng.randint(1_000, 200_000)}</p>", 1)
    elif kind == "unclosed":
        page = page.replace("</td>", "").replace("</tr>", "")
    else:
        return _bytes_mutation(page.encode("utf-8"), kind, rng)
    return page.encode("utf-8")


def mutate_xlsx(data: bytes, kind: str, rng: random.Random) -> bytes:
    """An XLSX mutant: a worksheet's XML rewritten (far cells, forged dimension, 1e999, bad refs)
    or the container's bytes damaged."""
    if kind == "truncate":
        return _bytes_mutation(data, kind, rng)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    sheets = sorted(name for name in members if name.startswith("xl/worksheets/") and name.endswith(".xml"))
    if not sheets:
        return data
    name = rng.choice(sheets)
    xml = members[name].decode("utf-8", "replace")
    if kind == "far_cell":
        ref = rng.choice(["XFD1048576", "XFD1", "A1048576", "ZZZ999999"])
        xml = xml.replace("</sheetData>", f'<row r="{ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}">'
                                          f'<c r="{ref}"><v>1</v></c></row></sheetData>', 1)
    elif kind == "far_row":
        row = rng.choice(["99999999999", "1048577", "4294967296"])
        xml = xml.replace("</sheetData>", f'<row r="{row}"><c r="A{row}"><v>1</v></c></row></sheetData>', 1)
    elif kind == "forged_dimension":
        xml = re.sub(r"<dimension[^>]*/>", "", xml)
        xml = xml.replace("<sheetData", '<dimension ref="A1:XFD1048576"/><sheetData', 1)
    elif kind == "infinite":
        xml = re.sub(r"<v>[0-9.]+</v>", lambda m: rng.choice(["<v>1e999</v>", "<v>-1e999</v>", "<v>nan</v>", m.group(0)]),
                     xml)
    elif kind == "bad_ref":
        xml = re.sub(r'<c r="[A-Z]+\d+"', lambda m: rng.choice(['<c r="!!"', '<c', '<c r="A0"', m.group(0)]), xml)
    elif kind == "stray_xfd":
        xml = xml.replace("</row>", '<c r="XFD1"><v>1</v></c></row>', 1)
    elif kind == "flip_member":
        members[name] = _bytes_mutation(xml.encode("utf-8"), "flip", rng)
        xml = ""
    if xml:
        members[name] = xml.encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, body in members.items():
            archive.writestr(member, body)
    return buffer.getvalue()


def mutate_pdf(data: bytes, kind: str, rng: random.Random) -> bytes:
    if kind == "mediabox_ring":
        # one page's MediaBox becomes a reference into a ring of two objects appended at the end
        match = re.search(rb"/MediaBox\s*\[[^\]]*\]", data)
        if match is None:
            return data
        size = int(m.group(1)) if (m := re.search(rb"/Size (\d+)", data)) else 9000
        ring = f"{size} 0 obj\n{size + 1} 0 R\nendobj\n{size + 1} 0 obj\n{size} 0 R\nendobj\n".encode()
        data = data[:match.start()] + f"/MediaBox {size} 0 R".encode() + data[match.end():]
        return data.replace(b"%%EOF", ring + b"%%EOF") if rng.random() < 0.5 else data + ring
    if kind == "count":
        return re.sub(rb"/Count \d+", lambda _: f"/Count {rng.choice([0, 10**9, -1])}".encode(), data, count=1)
    if kind == "no_eof":
        return data.replace(b"%%EOF", b"")
    return _bytes_mutation(data, kind, rng)


def mutant(fmt: str, base: bytes, kind: str, rng: random.Random) -> bytes:
    """A mutant of `base` (a file of format `fmt`) of one of KINDS[fmt]."""
    if fmt in ("txt", "csv"):
        return mutate_text(base.decode("utf-8-sig"), kind, rng, delimiter="\t" if fmt == "txt" else ",")
    if fmt == "html":
        return mutate_html(base.decode("utf-8"), kind, rng)
    if fmt == "xlsx":
        return mutate_xlsx(base, kind, rng)
    return mutate_pdf(base, kind, rng)
