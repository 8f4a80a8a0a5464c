"""Run ``documents.pdfworker`` in a resource-limited child (see ``project.sandbox``)."""

from django.conf import settings

from project.sandbox import SandboxFailure, run_child

__all__ = ["SandboxFailure", "run_pdf_worker"]


def run_pdf_worker(mode, path, *args, timeout=None, memory_bytes=None):
    return run_child(
        "documents.pdfworker", mode, path, *args,
        timeout=timeout or settings.SIAP_PDF_TIMEOUT_SECONDS,
        memory_bytes=memory_bytes or settings.SIAP_PDF_MEMORY_BYTES,
    )
