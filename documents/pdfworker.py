"""Read a PDF in a separate, resource-limited process.

Run as ``python -m documents.pdfworker probe PATH``, ``… extract PATH
MAX_PAGES [PROCESSES]`` or ``… stamp PATH OUT_PATH LINES_JSON``; it prints
one JSON object. PDFs come from outside: a decompression bomb, a page
tree loop or a 2,000-page file must cost this child its life at worst, never
the web server or the worker that started it (see ``documents.sandbox``).
No Django here: the child starts fast and touches no database.

``extract`` reads the pages of a long PDF in several processes: pypdf is
pure Python, so one process uses one core however many the machine has.
The extra processes are forked from this child after it has limited itself
and parsed the file, so each inherits the same memory and CPU limits and the
parsed cross-reference table and page tree instead of parsing them again.
"""

import json
import logging
import math
import os
import re
import signal
import sys
import traceback

from pypdf.generic import _data_structures as pypdf_objects
from pypdf.generic import _utils as pypdf_strings

from project.sandbox import PEAK_KEY, limit_self, resident_peak

MAX_PROBLEMS = 20
# Fewer pages than this per process and the fork costs more than it saves.
MIN_PAGES_PER_PROCESS = 8
# A hex string as pypdf accepts it: hex digits and PDF white space up to the closing ">".
HEX_STRING_BODY = re.compile(rb"[0-9a-fA-F\x00\t\n\f\r ]*>")
PDF_WHITESPACE = b"\x00\t\n\f\r "
HEX_STRING_CHUNK = 256


class _ProblemLog(logging.Handler):
    """Collects what pypdf warns about while it repairs a malformed file."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.add(record.getMessage()[:200])

    def add(self, message):
        if message not in self.messages and len(self.messages) < MAX_PROBLEMS:
            self.messages.append(message)


PROBLEMS = _ProblemLog()


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


def read_hex_string(stream, forced_encoding=None):
    """What pypdf's ``read_hex_string_from_stream`` returns, reading the ``<…>`` string whole.

    pypdf reads a hex string one byte at a time in Python. PDFs with Type0
    fonts (from TeX, Word, LibreOffice) show every word as one: on the Debian
    Reference that loop took about a sixth of the extraction time. A string
    that is not plainly well formed (a bad digit, no closing ``>``) is left
    to pypdf's own function, so its errors and repairs stay exactly as they are.
    """
    start = stream.tell()
    stream.read(1)  # the "<"
    body = bytearray()
    while True:
        chunk = stream.read(HEX_STRING_CHUNK)
        body += chunk
        if not chunk or b">" in chunk:
            break
    well_formed = HEX_STRING_BODY.match(body)
    if well_formed is None:
        stream.seek(start)
        return pypdf_strings.read_hex_string_from_stream(stream, forced_encoding)
    stream.seek(start + 1 + well_formed.end())
    digits = well_formed[0][:-1].translate(None, PDF_WHITESPACE)
    if len(digits) % 2:
        digits += b"0"  # as pypdf: a missing last digit is 0
    return pypdf_strings.create_string_object(bytes.fromhex(digits.decode("ascii")), forced_encoding)


def extract(path, max_pages, processes=1):
    # pypdf's object parser calls the reader of hex strings by this name: it now calls ours.
    pypdf_objects.read_hex_string_from_stream = read_hex_string
    reader, encrypted, readable = _open(path)
    result = {"encrypted": encrypted, "readable": readable, "pages": None, "texts": [], "problems": []}
    if not readable:
        return result
    count = len(reader.pages)
    result["pages"] = count
    count = min(count, max_pages)  # the parent records the pages left unread
    processes = max(1, min(processes, math.ceil(count / MIN_PAGES_PER_PROCESS)))
    texts, problems, readers_peak = _read_pages_in_parallel(reader, count, processes)
    result["texts"] = texts
    result["problems"] += problems
    result[PEAK_KEY] = readers_peak
    return result


def _read_pages(reader, indexes):
    """{index: text or None} and the problems of the pages at ``indexes``; a page that fails is None."""
    texts, problems = {}, []
    for index in indexes:
        try:
            page = reader.pages[index]
            texts[index] = "\n".join(filter(None, [page.extract_text(), *_form_values(page)]))
        except Exception as exc:  # noqa: BLE001 - record the page's problem, go on with the next
            problems.append(f"page {index + 1}: {type(exc).__name__}: {str(exc)[:200]}")
            texts[index] = None
    return texts, problems


def _form_values(page):
    """"Label: value" of each filled form field on the page (AcroForm widgets).

    A filled-in form keeps what was typed in its fields, not in the page's
    content, so ``extract_text`` does not see it; it is part of the letter.
    """
    values = []
    for reference in page.get("/Annots") or []:
        widget = reference.get_object()
        if not hasattr(widget, "get") or widget.get("/Subtype") != "/Widget":
            continue
        field = widget if "/V" in widget else widget.get("/Parent", {})
        field = field.get_object() if hasattr(field, "get_object") else field
        value = field.get("/V") if hasattr(field, "get") else None
        if isinstance(value, (list, tuple)):
            value = ", ".join(str(item) for item in value)
        value = str(value).strip() if value is not None else ""
        if not value or value.startswith("/"):  # empty, or a check box's state (/Yes, /Off)
            continue
        label = str(field.get("/TU") or field.get("/T") or widget.get("/TU") or widget.get("/T") or "").strip()
        values.append(f"{label}: {value}" if label else value)
    return values


def _read_pages_in_parallel(reader, count, processes):
    """The texts of pages 0…count-1 in page order, their problems and the forked readers' peak memory.

    The pages are read by ``processes`` processes: process k reads every
    ``processes``-th page from page k, so the heavy and the light parts of a
    document are shared out evenly; this process reads
    its own share, then collects the others'. A forked process that dies
    (out of memory, out of CPU time, crashed) ends this child the same way,
    so the parent sees the failure it would have seen with one process.
    """
    shares = [range(first, count, processes) for first in range(processes)]
    forked = [_fork_reader(reader, share) for share in shares[1:]]
    texts, problems = _read_pages(reader, shares[0])
    peak = 0
    for pid, pipe in forked:
        answer = _collect(pid, pipe)
        texts.update((int(index), text) for index, text in answer["texts"].items())
        problems += answer["problems"]
        peak = max(peak, answer["peak"])
        for message in answer["warnings"]:
            PROBLEMS.add(message)
    problems.sort(key=_page_number)
    return [texts[index] for index in range(count)], problems, peak


def _page_number(problem):
    return int(problem.split(":", 1)[0].removeprefix("page "))


def _fork_reader(reader, indexes):
    """Fork a process that reads the pages at ``indexes`` and writes its answer to a pipe; (pid, read end)."""
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid:
        os.close(write_end)
        return pid, read_end
    exit_code = 1
    try:
        os.close(read_end)
        _die_with_parent(parent)
        texts, problems = _read_pages(reader, indexes)
        answer = {"texts": texts, "problems": problems, "warnings": PROBLEMS.messages, "peak": resident_peak()}
        with os.fdopen(write_end, "w") as pipe:
            json.dump(answer, pipe)
        exit_code = 0
    except BaseException:  # noqa: BLE001 - a forked process must never return into its parent's code
        traceback.print_exc()
    finally:
        sys.stderr.flush()
        os._exit(exit_code)


def _die_with_parent(parent):
    """Have the kernel kill this forked process when the child it came from dies (timeout, memory).

    The parent process only waits for the child it started; without this, a
    forked reader would go on using CPU after the child was killed.
    """
    import ctypes

    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before prctl took effect
        os._exit(1)


def _collect(pid, pipe):
    """The answer of a forked reader; if it died, this child dies the same way."""
    with os.fdopen(pipe, "rb") as reading:
        data = reading.read()
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        os.kill(os.getpid(), os.WTERMSIG(status))
    if os.WEXITSTATUS(status) != 0:
        sys.stderr.flush()
        os._exit(os.WEXITSTATUS(status))
    return json.loads(data)


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
    pypdf_log = logging.getLogger("pypdf")
    pypdf_log.addHandler(PROBLEMS)
    pypdf_log.propagate = False
    try:
        if mode == "probe":
            output = probe(path)
        elif mode == "stamp":
            output = stamp(path, argv[3], json.loads(argv[4]))
        else:
            output = extract(path, *map(int, argv[3:5]))
    except RecursionError:
        output = {"error": "recursion: the page tree loops or nests too deep"}
    except MemoryError:
        output = {"error": "memory: the PDF needs more memory than allowed"}
    except Exception as exc:  # noqa: BLE001 - reported to the parent as the file's problem
        output = {"error": f"{type(exc).__name__}: {str(exc)[:300]}"}
    if PROBLEMS.messages:
        output["problems"] = output.get("problems", []) + PROBLEMS.messages
        output["repaired"] = True  # pypdf warned while reading: it repaired something on the way
    output[PEAK_KEY] = max(resident_peak(), output.get(PEAK_KEY, 0))  # the readers' peak, when it forked some
    json.dump(output, sys.stdout)


if __name__ == "__main__":
    main(sys.argv)
