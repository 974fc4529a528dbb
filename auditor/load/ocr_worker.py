"""The OCR worker process: `python -m auditor.load.ocr_worker`.

It loads the recogniser once (RapidOCR with the PP-OCR Chinese models shipped inside the
`rapidocr-onnxruntime` wheel: nothing is downloaded) and answers page images on stdin with the
words it read on stdout, until stdin closes. Frames are a 4-byte big-endian length and a body:
the request body is a PNG or JPEG image, the answer a JSON list of [x0, y0, x1, y1, text,
confidence] in the image's pixels, or {"error": "..."}.

Why a process: the recogniser cannot be interrupted inside a page, so the per-page timeout is
enforced by ending this process (auditor.load.ocr starts a new one for the next page), and the
main process never imports the OCR library.
"""

from __future__ import annotations

import json
import struct
import sys
from typing import BinaryIO


def read_frame(stream: BinaryIO) -> bytes | None:
    head = stream.read(4)
    if len(head) < 4:
        return None
    (size,) = struct.unpack(">I", head)
    body = stream.read(size)
    return body if len(body) == size else None


def write_frame(stream: BinaryIO, body: bytes) -> None:
    stream.write(struct.pack(">I", len(body)) + body)
    stream.flush()


def _extent(points: list) -> list[float]:
    xs = [float(p[0]) for p in points]
    ys = [float(p[1]) for p in points]
    return [min(xs), min(ys), max(xs), max(ys)]


def _words(result: list | None) -> list[list]:
    """One entry per run of text inside a detected box: a box is split where its word boxes
    (CJK characters, runs of digits) are more than a text height apart, so that two table cells
    the detector took as one box are told apart again; otherwise the box is kept as read."""
    out = []
    for item in result or []:
        box, text, score = item[0], str(item[1]), float(item[2])
        boxes, contents = (item[3], item[4]) if len(item) > 4 else (None, None)
        if not boxes or not contents or len(boxes) != len(contents):
            out.append([*_extent(box), text, score])
            continue
        words = [(_extent(points), str(content)) for points, content in zip(boxes, contents, strict=True)]
        height = _extent(box)[3] - _extent(box)[1]
        runs = [[words[0]]]
        for word in words[1:]:
            if word[0][0] - runs[-1][-1][0][2] > height:
                runs.append([word])
            else:
                runs[-1].append(word)
        if len(runs) == 1:
            out.append([*_extent(box), text, score])
            continue
        for run in runs:
            joined = ""
            for _extent_of, content in run:
                spaced = joined[-1:].isascii() and joined[-1:].isalpha() and content[:1].isascii() and content[:1].isalpha()
                joined = f"{joined} {content}" if spaced else joined + content
            out.append([min(w[0][0] for w in run), min(w[0][1] for w in run), max(w[0][2] for w in run),
                        max(w[0][3] for w in run), joined, score])  # the box's score: per-character ones are noisy
    return out


def main() -> int:
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # the library's own prints must not corrupt the frames
    try:
        from rapidocr_onnxruntime import RapidOCR

        engine = RapidOCR()
        engine.max_side_len = 6000  # a wide table page must not be shrunk below readable text
    except Exception as exc:  # noqa: BLE001 - reported to the parent as one line
        write_frame(stdout, json.dumps({"error": f"cannot start OCR ({type(exc).__name__}: {exc})"}).encode())
        return 1
    while (image := read_frame(stdin)) is not None:
        try:
            result, _ = engine(image, use_cls=False, return_word_box=True)  # pages are upright: the angle classifier only costs
            body = json.dumps(_words(result), ensure_ascii=False)
        except Exception as exc:  # noqa: BLE001
            body = json.dumps({"error": f"{type(exc).__name__}: {exc}"})
        write_frame(stdout, body.encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
