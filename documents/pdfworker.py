"""Read a PDF in a separate, resource-limited process.

Run as ``python -m documents.pdfworker probe PATH``, ``… extract PATH
MAX_PAGES`` or ``… stamp PATH OUT_PATH LINES_JSON``; it prints one JSON object. PDFs come from outside: a decompression bomb, a page
tree loop or a 2,000-page file must cost this child its life at worst, never
the web server or the worker that started it (see ``documents.sandbox``).
No Django here: the child starts fast and touches no database.
"""

import json
import logging
import sys

from project.sandbox import limit_self

MAX_PROBLEMS = 20


class _ProblemLog(logging.Handler):
    """Collects what pypdf warns about while it repairs a malformed file."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        message = record.getMessage()[:200]
        if message not in self.messages and len(self.messages) < MAX_PROBLEMS:
            self.messages.append(message)


def _open(path):
    from pypdf import PdfReader

    reader = PdfReader(path, strict=False)
    encrypted = reader.is_encrypted
    if encrypted:
        try:
            if not reader.decrypt(""):
                return reader, True, False
        except Exception:  # noqa: BLE001 - any failure to decrypt means: needs a password
            return reader, True, False
    return reader, encrypted, True


def probe(path):
    reader, encrypted, readable = _open(path)
    if not readable:
        return {"encrypted": True, "readable": False, "pages": None, "problems": []}
    return {"encrypted": encrypted, "readable": True, "pages": len(reader.pages), "problems": []}


def extract(path, max_pages):
    reader, encrypted, readable = _open(path)
    result = {"encrypted": encrypted, "readable": readable, "pages": None, "texts": [], "problems": []}
    if not readable:
        return result
    count = len(reader.pages)
    result["pages"] = count
    if count > max_pages:
        result["problems"].append(f"too_many_pages:{count}>{max_pages}")
        count = max_pages
    for index in range(count):
        try:
            text = reader.pages[index].extract_text() or ""
        except Exception as exc:  # noqa: BLE001 - record the page's problem, go on with the next
            result["problems"].append(f"page {index + 1}: {type(exc).__name__}: {str(exc)[:200]}")
            text = None
        result["texts"].append(text)
    return result


def stamp(path, out_path, lines):
    """Write a copy of the PDF with ``lines`` in a box at the top right of page 1."""
    import io

    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfgen import canvas

    reader, _encrypted, readable = _open(path)
    if not readable:
        return {"error": "encrypted"}
    writer = PdfWriter(clone_from=reader)
    page = writer.pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    overlay = io.BytesIO()
    sheet = canvas.Canvas(overlay, pagesize=(width, height))
    box_width, line_height = 250, 12
    box_height = line_height * len(lines) + 8
    left, bottom = width - box_width - 18, height - box_height - 18
    sheet.setFillColorRGB(1, 1, 1)
    sheet.setStrokeColorRGB(0.55, 0, 0)
    sheet.rect(left, bottom, box_width, box_height, fill=1, stroke=1)
    sheet.setFillColorRGB(0.55, 0, 0)
    sheet.setFont("Helvetica-Bold", 8.5)
    for index, line in enumerate(lines):
        sheet.drawString(left + 6, bottom + box_height - 6 - line_height * (index + 1) + 3, line)
    sheet.save()
    page.merge_page(PdfReader(overlay).pages[0])
    with open(out_path, "wb") as out:
        writer.write(out)
    return {"pages": len(writer.pages)}


def main(argv):
    limit_self()
    mode, path = argv[1], argv[2]
    problems = _ProblemLog()
    pypdf_log = logging.getLogger("pypdf")
    pypdf_log.addHandler(problems)
    pypdf_log.propagate = False
    try:
        if mode == "probe":
            output = probe(path)
        elif mode == "stamp":
            output = stamp(path, argv[3], json.loads(argv[4]))
        else:
            output = extract(path, int(argv[3]) if len(argv) > 3 else 5000)
    except RecursionError:
        output = {"error": "recursion: the page tree loops or nests too deep"}
    except MemoryError:
        output = {"error": "memory: the PDF needs more memory than allowed"}
    except Exception as exc:  # noqa: BLE001 - reported to the parent as the file's problem
        output = {"error": f"{type(exc).__name__}: {str(exc)[:300]}"}
    if problems.messages:
        output["problems"] = output.get("problems", []) + problems.messages
    json.dump(output, sys.stdout)


if __name__ == "__main__":
    main(sys.argv)
