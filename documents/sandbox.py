"""Run ``documents.pdfworker`` in a child process with memory and time limits."""

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass

from django.conf import settings


@dataclass
class SandboxFailure(Exception):
    reason: str  # "timeout", "memory" or "crash"
    detail: str = ""


def run_pdf_worker(mode, path, *args, timeout=None, memory_bytes=None):
    """The child's JSON answer; ``SandboxFailure`` when it ran out of time or memory or crashed."""
    timeout = timeout or settings.SIAP_PDF_TIMEOUT_SECONDS
    memory_bytes = memory_bytes or settings.SIAP_PDF_MEMORY_BYTES
    command = [sys.executable, "-m", "documents.pdfworker", mode, str(path), *map(str, args)]
    # The child limits itself before it opens the file (no preexec_fn: it is
    # unsafe in the threaded web server); the wall-clock timeout is ours.
    environment = {**os.environ, "SIAP_PDF_MEMORY_BYTES": str(memory_bytes), "SIAP_PDF_CPU_SECONDS": str(timeout)}
    try:
        completed = subprocess.run(
            command, capture_output=True, timeout=timeout, cwd=settings.BASE_DIR, env=environment, check=False
        )
    except subprocess.TimeoutExpired:
        raise SandboxFailure("timeout", f"more than {timeout} s")
    if completed.returncode != 0:
        stderr = completed.stderr.decode(errors="replace")[-500:]
        if completed.returncode == -signal.SIGXCPU:
            reason = "timeout"
        elif "MemoryError" in stderr or completed.returncode == -signal.SIGKILL:
            reason = "memory"
        else:
            reason = "crash"
        raise SandboxFailure(reason, stderr or f"exit code {completed.returncode}")
    try:
        return json.loads(completed.stdout)
    except ValueError:
        raise SandboxFailure("crash", completed.stdout[-300:].decode(errors="replace"))
