"""Benchmark: the real-world and hostile PDF corpus through upload check, text layer and stamp.

Run on demand (not part of the test suite)::

    make bench            # or: .venv/bin/python tests/bench/bench_corpus.py

Every file of ``tests/pdf_corpus`` goes through what a registered scan goes
through — the upload check, the text layer (pypdf, poppler's reader, OCR
within the document budget) and the stamp — on a throwaway SQLite database.
Prints the files per outcome, pages per second, the peak memory of each kind
of child process beside its limit, and the share of pages whose text came
from OCR. ``tests/test_pdf_corpus.py`` checks each file's outcome; this
measures what the pipeline costs.
"""

import collections
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.pop("DATABASE_URL", None)  # a throwaway SQLite database of its own, whatever the shell says
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="siap-bench-corpus-")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402

from documents.models import PageText, TextStatus  # noqa: E402
from documents.services import add_document  # noqa: E402
from documents.stamping import stamp_failure_messages, stamp_first_page  # noqa: E402
from documents.text import process_version  # noqa: E402
from documents.validation import PDF, UploadPolicy  # noqa: E402
from project.sandbox import peak_rss_bytes  # noqa: E402
from tests.bench.results import record  # noqa: E402
from tests.pdf_corpus.generated import GENERATORS  # noqa: E402

CORPUS = ROOT / "tests" / "pdf_corpus"
POLICY = UploadPolicy("bench_corpus", frozenset({PDF}), "PDF")
MIB = 1024 * 1024


def content_of(item):
    return (CORPUS / item["file"]).read_bytes() if item.get("file") else GENERATORS[item["generator"]]()


def outcome_of(version):
    """The file's outcome as the registrar sees it: its status, and whether OCR read any page."""
    if version.text_status in (TextStatus.DONE, TextStatus.PARTIAL) and version.pages.filter(
            source=PageText.Source.OCR).exists():
        return f"{version.get_text_status_display()} (OCR)"
    return version.get_text_status_display()


def run_one(item, owner, outcomes, stamps, mismatches, counts):
    """One file through upload check, text layer and stamp; its outcome counted."""
    upload = SimpleUploadedFile(f"{item['name']}.pdf", content_of(item))
    try:
        POLICY.check(upload)
    except ValidationError as refused:
        outcomes[f"ditolak: {refused.code}"] += 1
        if item["expected"] != "refused":
            mismatches.append(item["name"])
        return
    if item["expected"] == "refused":
        mismatches.append(item["name"])
    version = add_document(owner, role="bench", file=upload, media_type=PDF, user=owner, extract_text=False).current
    process_version(version)
    version.refresh_from_db()
    outcomes[outcome_of(version)] += 1
    counts["pages"] += version.pages.count()
    counts["ocr_pages"] += version.pages.filter(source=PageText.Source.OCR).count()
    stamped = stamp_first_page(version, lines=["DPRD KOTA BALIKPAPAN  No. Agenda 2026/0001"], note="Stempel")
    if stamped is None:
        version.refresh_from_db()
        stamps[f"not stamped ({item['name']}): " + " ".join(stamp_failure_messages(version))] += 1
    else:
        stamps["stamped"] += 1


def main():
    connection.creation.create_test_db(verbosity=0)
    owner = get_user_model().objects.create(username="bench-corpus")
    manifest = json.loads((CORPUS / "manifest.json").read_text())
    outcomes, stamps, counts, mismatches = collections.Counter(), collections.Counter(), collections.Counter(), []
    started = time.perf_counter()
    durations = {}
    for number, item in enumerate(manifest, start=1):
        print(f"\r{number}/{len(manifest)} {item['name'][:50]:<50}", end="", file=sys.stderr, flush=True)
        file_started = time.perf_counter()
        run_one(item, owner, outcomes, stamps, mismatches, counts)
        durations[item["name"]] = time.perf_counter() - file_started
    seconds = time.perf_counter() - started
    pages, ocr_pages = counts["pages"], counts["ocr_pages"]
    print(file=sys.stderr)

    print(f"PDF corpus: {len(manifest)} files, {pages} pages with text, {seconds:.1f} s")
    print("\nfiles per outcome:")
    for outcome, count in sorted(outcomes.items()):
        print(f"  {outcome:<32} {count:>3}")
    print("stamps:\n" + "\n".join(f"  {name}: {count}" for name, count in sorted(stamps.items())))
    print("slowest files:", ", ".join(f"{name} {seconds:.1f} s" for name, seconds in sorted(
        durations.items(), key=lambda pair: -pair[1])[:5]))
    print(f"\npages per second (whole pipeline, pages stored): {pages / seconds:.1f}")
    share = ocr_pages / pages if pages else 0
    print(f"pages whose text came from OCR: {ocr_pages} of {pages} ({share:.0%})")
    limits = {"documents.pdfworker": settings.SIAP_PDF_MEMORY_BYTES}
    print("\npeak memory per kind of child process (limit):")
    within = True
    for kind, peak in sorted(peak_rss_bytes.items()):
        limit = limits.get(kind, settings.SIAP_OCR_MEMORY_BYTES)
        within &= peak <= limit
        print(f"  {kind:<22} {peak / MIB:8.1f} MiB  ({limit / MIB:.0f} MiB)")
    if mismatches:
        print("\nfiles whose upload outcome differs from the manifest:", ", ".join(mismatches))

    record(
        "PDF corpus: outcomes",
        f"{len(manifest)} files: " + ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items())),
        "each file read, read by OCR or refused with a reason",
        not mismatches,
        f"upload outcome differs from the manifest: {', '.join(mismatches)}" if mismatches else "",
    )
    record(
        "PDF corpus: pages per second, OCR share, child memory",
        f"{pages / seconds:.1f} pages/s, {share:.0%} of pages by OCR, peak "
        + ", ".join(f"{kind.rsplit('.', 1)[-1]} {peak / MIB:.0f} MiB" for kind, peak in sorted(peak_rss_bytes.items())),
        "every child within its memory limit",
        within,
    )


if __name__ == "__main__":
    main()
