"""Guards run on a PDF's object graph before pdfplumber lays out any page.

* Reference cycles: pdfminer resolves an indirect reference by following it until it reaches a
  value (`resolve1`), so an object whose body is only a reference to another such object, in a
  ring (`4 0 obj 5 0 R`, `5 0 obj 4 0 R`), makes it loop for ever the moment a page's MediaBox
  or Resources point into the ring. Every object of the cross-reference table whose body is a
  bare reference is followed here with a visited set; a ring is one InputError. (Rings through
  dictionaries and arrays are harmless: pdfminer resolves those one level at a time; the page
  tree's own loops are refused by pdfminer.)
* Library noise: pdfminer logs about fonts and streams it repairs (a missing FontBBox in a font
  descriptor, …) through `logging`; with no handler configured Python prints those records to
  stderr. They describe the file, not the audit, so they are silenced for the process.
"""

from __future__ import annotations

import logging
from typing import Any

from auditor.load.errors import InputError

_MAX_CHAIN = 64  # a reference chain longer than this is not a real document's


def _silence_pdf_libraries() -> None:
    for name in ("pdfminer", "pdfplumber"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())
        logger.propagate = False


_silence_pdf_libraries()


def guard_pdf(path: str, pdf: Any) -> None:
    """Refuse a PDF (a pdfplumber PDF, before its pages are read) whose objects hold a ring of
    references; cheap: one look at each object the cross-reference table lists."""
    from pdfminer.pdftypes import PDFObjRef

    document = getattr(pdf, "doc", None)
    if document is None:
        return
    checked: set[int] = set()
    for xref in getattr(document, "xrefs", []):
        try:
            objids = list(xref.get_objids())
        except Exception:  # noqa: BLE001 - a broken xref is pdfminer's to report
            continue
        for objid in objids:
            if objid in checked:
                continue
            chain: list[int] = []
            current: Any = objid
            while True:
                if current in chain:
                    raise InputError(path, f"not a readable PDF: object {current} refers to itself through "
                                           f"a ring of {len(chain) - chain.index(current)} references (corrupt or forged)")
                if current in checked or len(chain) > _MAX_CHAIN:
                    break
                chain.append(current)
                try:
                    value = document.getobj(current)
                except Exception:  # noqa: BLE001 - a missing or broken object: pdfminer decides later
                    break
                if not isinstance(value, PDFObjRef):
                    break
                current = value.objid
            checked.update(chain)
