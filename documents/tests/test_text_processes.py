"""Reading text faster in ``documents.pdfworker``: several sandboxed processes, hex strings read whole."""

import io
import os
import signal
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings as django_settings
from pypdf import PdfReader, PdfWriter

from pypdf.generic import _data_structures as pypdf_objects
from pypdf.generic import _utils as pypdf_strings

from documents.pdfworker import read_hex_string
from documents.sandbox import run_pdf_worker
from documents.tests.test_text import tool_or_skip
from project.sandbox import CPU_VARIABLE, MEMORY_VARIABLE
from tests import hostile_pdfs

PAGES = 40
# With 4 processes, process k reads the pages k+1, k+5, …: page 10 is read by a forked process, not the first.
PROCESSES = 4
BOMB_PAGE = 10


def extract(tmp_path, content, processes, max_pages=5000):
    path = tmp_path / "berkas.pdf"
    path.write_bytes(content)
    return run_pdf_worker("extract", path, max_pages, processes)


def with_bomb_page(pages, bomb_page, inflated_bytes):
    """A text PDF whose page ``bomb_page`` is a decompression bomb of ``inflated_bytes``."""
    writer = PdfWriter(clone_from=io.BytesIO(hostile_pdfs.text_pdf(pages=pages - 1)))
    bomb = PdfReader(io.BytesIO(hostile_pdfs.decompression_bomb(inflated_bytes))).pages[0]
    writer.insert_page(bomb, bomb_page - 1)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_processes_read_the_same_text_in_page_order_as_one(tmp_path):
    content = hostile_pdfs.text_pdf(pages=PAGES)
    serial = extract(tmp_path, content, processes=1)
    parallel = extract(tmp_path, content, processes=PROCESSES)
    assert parallel == serial
    assert [f"halaman {number}" in text for number, text in enumerate(parallel["texts"], start=1)] == [True] * PAGES


def test_page_cap_holds_with_several_processes(tmp_path):
    answer = extract(tmp_path, hostile_pdfs.text_pdf(pages=PAGES), processes=PROCESSES, max_pages=25)
    assert answer["pages"] == PAGES and len(answer["texts"]) == 25
    assert answer["problems"] == []  # the parent records the pages left unread


def test_a_page_failing_in_a_forked_process_is_recorded_and_the_rest_is_read(tmp_path):
    answer = extract(tmp_path, with_bomb_page(PAGES, BOMB_PAGE, 256 * 1024 * 1024), processes=PROCESSES)
    assert answer["texts"][BOMB_PAGE - 1] is None
    assert any(problem.startswith(f"page {BOMB_PAGE}: LimitReachedError") for problem in answer["problems"])
    assert all(text for number, text in enumerate(answer["texts"], start=1) if number != BOMB_PAGE)


def test_memory_limit_applies_to_each_forked_process(tmp_path, settings):
    """At 100 MiB the bomb page runs out of memory in the forked process that reads it; the page is recorded."""
    settings.SIAP_PDF_MEMORY_BYTES = 100 * 1024 * 1024
    answer = extract(tmp_path, with_bomb_page(PAGES, BOMB_PAGE, 256 * 1024 * 1024), processes=PROCESSES)
    assert answer["texts"][BOMB_PAGE - 1] is None
    assert any(problem.startswith(f"page {BOMB_PAGE}: MemoryError") for problem in answer["problems"]), answer
    assert answer["texts"][BOMB_PAGE] and answer["texts"][BOMB_PAGE - 2]


# A reader whose page 6 (read by the second of two processes) misbehaves in the way given on the command line.
FAKE_READER = textwrap.dedent("""
    import os, signal, sys
    from documents import pdfworker
    from project.sandbox import limit_self

    class Page:
        def __init__(self, index):
            self.index = index

        def extract_text(self):
            if self.index == 5:
                if sys.argv[1] == "spin":
                    while True:
                        pass
                os.kill(os.getpid(), signal.SIGKILL)
            return f"halaman {self.index + 1}"

    class Reader:
        pages = [Page(index) for index in range(16)]

    limit_self()
    print(pdfworker._read_pages_in_parallel(Reader(), 16, 2))
""")


@pytest.mark.parametrize("behaviour, death", [("spin", signal.SIGXCPU), ("killed", signal.SIGKILL)],
                         ids=["out-of-cpu-time", "killed-out-of-memory"])
def test_a_forked_process_that_dies_ends_the_child_the_same_way(behaviour, death):
    """The parent of the child then reports "timeout" or "memory" for the file, as with one process.

    Only the forked process spins: its death by SIGXCPU after one second of
    CPU shows that it runs under the child's CPU limit.
    """
    completed = subprocess.run(
        [sys.executable, "-c", FAKE_READER, behaviour], capture_output=True, timeout=60,
        cwd=django_settings.BASE_DIR,
        # one second of CPU for the spinning reader; the killed one must not run out of CPU while importing first
        env={**os.environ, CPU_VARIABLE: "1" if behaviour == "spin" else "60", MEMORY_VARIABLE: str(512 * 1024 * 1024)},
    )
    assert completed.returncode == -death, completed.stderr
    assert completed.stdout == b""


HEX_STRINGS = [
    b"<>", b"<4142>", b"<414>", b"<41 42\n43\t44\x0c>rest", b"<\x00 41>x", b"<FEFF00410042>",
    b"<" + b"4a" * 2000 + b">tail", b"<41>>",
    # malformed: left to pypdf's own function
    b"<41G2>", b"<4142", b"<", b"<41)42>",
]


def read_with(reader, data, encoding):
    """What ``reader`` makes of ``data``: the object and where the stream was left, or the error."""
    stream = io.BytesIO(data)
    try:
        value = reader(stream, encoding)
    except Exception as error:  # noqa: BLE001 - the error is the outcome compared
        return type(error), str(error), stream.tell()
    return type(value), value, getattr(value, "original_bytes", None), stream.tell()


@pytest.mark.parametrize("encoding", [None, "charmap"])
@pytest.mark.parametrize("data", HEX_STRINGS)
def test_hex_strings_are_read_as_pypdf_reads_them(data, encoding):
    assert read_with(read_hex_string, data, encoding) == read_with(
        pypdf_strings.read_hex_string_from_stream, data, encoding
    )


def test_a_real_pdf_reads_the_same_with_hex_strings_read_whole(monkeypatch):
    """The Debian Reference writes every word as a hex string (Type0 fonts, xdvipdfmx)."""
    path = hostile_pdfs.DEBIAN_REFERENCE_ID
    tool_or_skip(os.path.exists(path), path)
    by_pypdf = [page.extract_text() for page in PdfReader(path).pages[:12]]
    monkeypatch.setattr(pypdf_objects, "read_hex_string_from_stream", read_hex_string)
    assert [page.extract_text() for page in PdfReader(path).pages[:12]] == by_pypdf


def test_a_child_leaves_no_core_file_whatever_limit_it_inherits():
    """A child killed at its limits must not write a core file of its address space (1 GiB) into the worker's folder."""
    import resource

    def allow_core_files():
        resource.setrlimit(resource.RLIMIT_CORE, (1024 * 1024, resource.getrlimit(resource.RLIMIT_CORE)[1]))

    script = "import resource; from project.sandbox import limit_self; limit_self(); print(resource.getrlimit(resource.RLIMIT_CORE))"
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                               cwd=django_settings.BASE_DIR, preexec_fn=allow_core_files)
    assert completed.stdout.strip() == "(0, 0)"
