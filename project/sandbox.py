"""Run a parser of untrusted files in a child process with memory and time limits.

PDFs and recordings come from outside; a decompression bomb or a file that
sends a decoder into a loop must cost a child its life at worst, never the
web server or the worker that started it. A Python child module
(``run_child``) calls ``limit_self()`` before it opens the file and prints
one JSON object; an outside program (``run_program``: the page renderer,
Tesseract) gets the same limits from ``prlimit`` and has what it prints read
only up to a cap.
"""

import json
import os
import selectors
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

from django.conf import settings

MEMORY_VARIABLE = "SIAP_SANDBOX_MEMORY_BYTES"
# A child may add its peak memory (``resident_peak``) to its answer under this key.
PEAK_KEY = "peak_rss_bytes"
CPU_VARIABLE = "SIAP_SANDBOX_CPU_SECONDS"


@dataclass
class SandboxFailure(Exception):
    reason: str  # "timeout", "memory", "crash" or "output" (a program printed or wrote more than allowed)
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
        answer = json.loads(completed.stdout)
    except ValueError:
        raise SandboxFailure("crash", completed.stdout[-300:].decode(errors="replace"))
    record_peak(module, answer.pop(PEAK_KEY, 0) if isinstance(answer, dict) else 0)
    return answer


def resident_peak(pid="self"):
    """The largest resident memory of a process since it started its program, in bytes (0 once it is gone).

    Read from ``VmHWM``, not ``getrusage``: a child started from a large
    process (a Django worker) inherits that process's peak in ``ru_maxrss``.
    """
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def limit_self():
    """In the child: cap this process's memory and CPU time before any parsing (no Django needed)."""
    import resource

    memory = int(os.environ.get(MEMORY_VARIABLE, 1024 * 1024 * 1024))
    cpu = int(os.environ.get(CPU_VARIABLE, 120))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    # A child killed at its limits (and the readers a PDF child forks) must not leave gigabyte core files behind.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


# What is kept of a program's error output for the log: its last part.
ERROR_TAIL_BYTES = 2000
OUT_OF_MEMORY = "Out of memory"
READ_CHUNK = 64 * 1024
PEAK_POLL_SECONDS = 0.02


def run_program(command, *, timeout, memory_bytes, max_output, file_bytes=None, input_path=None):
    """What ``command`` printed, run with SIAP's limits; ``SandboxFailure`` when it broke one.

    ``prlimit`` sets the address space, CPU time and the size of any file the
    program writes (``file_bytes``) before it starts, as ``limit_self`` does
    for the Python children; the wall clock is ours. Output is read as it
    comes and never beyond ``max_output`` bytes on either stream: a program
    that prints more (a crafted page can make the renderer print gigabytes of
    error text) is killed and the call fails with "output". Tesseract and the
    renderer are single programs but may start threads; they get one.
    """
    limits = ["prlimit", f"--as={memory_bytes}", f"--cpu={timeout}", "--core=0"]
    if file_bytes is not None:
        limits.append(f"--fsize={file_bytes}")
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1", "MALLOC_ARENA_MAX": "2"}
    with open(input_path or os.devnull, "rb") as stdin:
        process = subprocess.Popen(
            [*limits, "--", *command], stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=environment, start_new_session=True,
        )
    deadline = time.monotonic() + timeout
    try:
        output, errors, broken, peak = _read_capped(process, deadline=deadline, max_output=max_output)
        if broken is None:  # it closed its output: it is ending by itself
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                broken = "timeout"
    finally:
        if process.returncode is None:  # a limit was broken (or reading failed): it and what it started go
            _kill_group(process)
        process.stdout.close()
        process.stderr.close()
        returncode = process.wait()
    record_peak(os.path.basename(command[0]), peak)
    error_text = bytes(errors[-ERROR_TAIL_BYTES:]).decode(errors="replace")
    if broken:
        raise SandboxFailure(broken, error_text)
    if OUT_OF_MEMORY in error_text:  # poppler's renderers say so and still exit 0, with an empty page
        raise SandboxFailure("memory", error_text)
    if returncode != 0:
        raise SandboxFailure(_program_failure(returncode, error_text), error_text or f"exit code {returncode}")
    return bytes(output)


# The largest resident memory seen per kind of child ("pdftoppm", "documents.pdfworker", …), for the benchmarks.
peak_rss_bytes = {}


def record_peak(kind, rss_bytes):
    peak_rss_bytes[kind] = max(peak_rss_bytes.get(kind, 0), rss_bytes)


def _read_capped(process, *, deadline, max_output):
    """(stdout, stderr tail, None or the limit broken: "timeout"/"output", peak memory) until the program ends.

    The program's peak memory is its high-water mark, looked at whenever it
    prints and at least every ``PEAK_POLL_SECONDS``.
    """
    output, errors, error_bytes, peak = bytearray(), bytearray(), 0, 0
    streams = selectors.DefaultSelector()
    streams.register(process.stdout, selectors.EVENT_READ, "out")
    streams.register(process.stderr, selectors.EVENT_READ, "err")
    try:
        while streams.get_map():
            peak = max(peak, resident_peak(process.pid))
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return output, errors, "timeout", peak
            for key, _event in streams.select(timeout=min(remaining, PEAK_POLL_SECONDS)):
                chunk = os.read(key.fileobj.fileno(), READ_CHUNK)
                if not chunk:
                    streams.unregister(key.fileobj)
                elif key.data == "out":
                    output += chunk
                    if len(output) > max_output:
                        return output, errors, "output", peak
                else:
                    error_bytes += len(chunk)
                    errors = (errors + chunk)[-ERROR_TAIL_BYTES:]
                    if error_bytes > max_output:
                        return output, errors, "output", peak
        return output, errors, None, peak
    finally:
        streams.close()


def _kill_group(process):
    """The program and anything it started, gone (called only while it has not been waited for)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _program_failure(returncode, error_text):
    if returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return "timeout"
    if returncode == -signal.SIGXFSZ:
        return "output"
    lowered = error_text.lower()
    if returncode == -signal.SIGABRT or "memory" in lowered or "bad_alloc" in lowered or "cannot allocate" in lowered:
        return "memory"
    return "crash"
