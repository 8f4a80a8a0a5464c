"""Benchmark: text extraction speed and memory, pypdf vs pdftotext vs OCR.

Run on demand (not part of the test suite)::

    make bench            # or: .venv/bin/python tests/bench/bench_text.py

Prints pages per second for SIAP's pypdf extraction (in its sandboxed child,
as the worker runs it), for poppler's ``pdftotext`` on the same files as the
reference, and for OCR (pdftoppm + Tesseract ``ind``) on scanned pages, with
each child's peak memory. Hostile files show that memory stays bounded.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

import django  # noqa: E402

django.setup()

import subprocess  # noqa: E402

from django.conf import settings  # noqa: E402

from documents import ocr  # noqa: E402
from tests import hostile_pdfs  # noqa: E402


GNU_TIME = "/usr/bin/time"


def run_child(command):
    """(seconds, peak RSS in MiB, stdout) of one child process.

    The peak comes from GNU time (Debian package ``time``), which starts the
    program from a small process: measured from this (large) Python process,
    a child's peak would include the pages it shared before exec.
    """
    measured = os.path.exists(GNU_TIME)
    if measured:
        command = [GNU_TIME, "-f", "MAXRSS %M", *command]
    started = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, cwd=ROOT, check=False)
    seconds = time.perf_counter() - started
    peak = float("nan")
    if measured:
        lines = [line for line in completed.stderr.decode(errors="replace").splitlines() if line.startswith("MAXRSS ")]
        peak = int(lines[-1].split()[1]) / 1024 if lines else peak
    return seconds, peak, completed.stdout


def pypdf(path):
    return run_child([sys.executable, "-m", "documents.pdfworker", "extract", str(path), str(settings.SIAP_PDF_MAX_PAGES)])


def pdftotext(path):
    return run_child(["pdftotext", "-layout", str(path), "-"])


def ocr_pages(path, pages):
    started = time.perf_counter()
    text = "".join(ocr.ocr_pdf_page(path, page) for page in range(1, pages + 1))
    return time.perf_counter() - started, text


def main():
    folder = Path(tempfile.mkdtemp(prefix="siap-bench-"))
    files = []
    for name in (hostile_pdfs.DEBIAN_REFERENCE_ID, hostile_pdfs.DEBIAN_REFERENCE_EN):
        if os.path.exists(name):
            files.append((Path(name).name, Path(name), None))
    generated = {
        "generated-2000-pages.pdf": hostile_pdfs.many_pages(2000),
        "decompression-bomb-1GiB.pdf": hostile_pdfs.decompression_bomb(),
        "page-tree-loop.pdf": hostile_pdfs.page_tree_loop(),
        "truncated.pdf": hostile_pdfs.truncated(),
    }
    for name, content in generated.items():
        path = folder / name
        path.write_bytes(content)
        files.append((name, path, None))

    import json

    print(f"{'file':32} {'pages':>6} {'pypdf p/s':>10} {'pypdf MiB':>10} {'pdftotext p/s':>14} {'pdftotext MiB':>14}  status")
    for name, path, _ in files:
        seconds, peak, output = pypdf(path)
        try:
            answer = json.loads(output)
        except ValueError:
            answer = {"error": "no answer"}
        pages = answer.get("pages") or 0
        status = answer.get("error") or ("; ".join(answer.get("problems", []))[:40] or "ok")
        t_seconds, t_peak, _ = pdftotext(path)
        print(f"{name:32} {pages:6d} {pages / seconds:10.1f} {peak:10.1f} {pages / t_seconds if pages else 0:14.1f} "
              f"{t_peak:14.1f}  {status}")

    reason = ocr.unavailable_reason()
    if reason:
        print(f"OCR skipped: {reason}")
        return
    scanned = folder / "scanned-5-pages.pdf"
    from pypdf import PdfReader, PdfWriter
    import io

    writer = PdfWriter()
    for index in range(5):
        page_pdf = hostile_pdfs.scanned_letter([f"SURAT PINDAIAN HALAMAN {index + 1}", "Perihal: Permohonan audiensi",
                                                "tentang pembangunan drainase di Sepinggan"])
        writer.add_page(PdfReader(io.BytesIO(page_pdf)).pages[0])
    with open(scanned, "wb") as out:
        writer.write(out)
    seconds, text = ocr_pages(scanned, 5)
    t_seconds, _t_peak, t_out = pdftotext(scanned)
    print(f"\nOCR at {settings.SIAP_OCR_DPI} dpi, Tesseract '{settings.SIAP_OCR_LANGUAGE}', 5 scanned pages: "
          f"{5 / seconds:.2f} pages/s ({seconds / 5:.2f} s/page); "
          f"pdftotext on the same file: {5 / t_seconds:.1f} pages/s, {len(t_out.strip())} characters found "
          f"(a scan has no text layer); OCR found {len(text)} characters.")
    import resource

    print(f"Benchmark process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MiB "
          f"(PDF parsing happens in children, limit {settings.SIAP_PDF_MEMORY_BYTES / 2**20:.0f} MiB each)")


if __name__ == "__main__":
    main()
