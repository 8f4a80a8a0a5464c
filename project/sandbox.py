"""Run a parser of untrusted files in a child process with memory and time limits.

PDFs and recordings come from outside; a decompression bomb or a file that
sends a decoder into a loop must cost a child its life at worst, never the
web server or the worker that started it. The child module calls
``limit_self()`` before it opens the file and prints one JSON object.
"""

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass

from django.conf import settings

MEMORY_VARIABLE = "SIAP_SANDBOX_MEMORY_BYTES"
CPU_VARIABLE = "SIAP_SANDBOX_CPU_SECONDS"


@dataclass
class SandboxFailure(Exception):
    reason: str  # "timeout", "memory" or "crash"
    detail: str = ""


def run_child(module, mode, path, *args, timeout, memory_bytes):
    """The child's JSON answer; ``SandboxFailure`` when it ran out of time or memory or crashed."""
    command = [sys.executable, "-m", module, mode, str(path), *map(str, args)]
    # The child limits itself before it opens the file (no preexec_fn: it is
    # unsafe in the threaded web server); the wall-clock timeout is ours.
    environment = {**os.environ, MEMORY_VARIABLE: str(memory_bytes), CPU_VARIABLE: str(timeout)}
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


def limit_self():
    """In the child: cap this process's memory and CPU time before any parsing (no Django needed)."""
    import resource

    memory = int(os.environ.get(MEMORY_VARIABLE, 1024 * 1024 * 1024))
    cpu = int(os.environ.get(CPU_VARIABLE, 120))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    # A child killed at its limits (and the readers a PDF child forks) must not leave gigabyte core files behind.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
