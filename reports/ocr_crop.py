"""The page crop of a finding read by OCR, for the HTML report: the cited cell as the scan shows
it, so a person can check the reading (location.ocr_crop, a small PNG data URI)."""

from __future__ import annotations

import html
import re
from typing import Any

_DATA_URI = re.compile(r"^data:image/png;base64,[A-Za-z0-9+/]+=*$")


def ocr_figure(location: dict[str, Any]) -> str:
    """A <figure> with the crop and the OCR confidence, or "" for a finding not read by OCR."""
    if not location.get("ocr"):
        return ""
    confidence = location.get("ocr_confidence")
    label = "OCR"  # the same in both report languages
    caption = f"{label} {confidence:.2f}" if isinstance(confidence, int | float) else label
    crop = str(location.get("ocr_crop") or "")
    image = (f'<img src="{crop}" alt="{html.escape(caption)}" style="max-width:100%;border:1px solid #ccc">'
             if _DATA_URI.match(crop) else "")
    return f'<figure class="ocr-crop">{image}<figcaption>{html.escape(caption)}</figcaption></figure>'
