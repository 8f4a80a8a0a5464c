import uuid

import pytest

from search.embedded import EmbeddedBackend
from tests.support import elasticsearch_url


@pytest.fixture(params=["embedded", "elasticsearch"])
def engine(request, tmp_path):
    """Each search backend on its own, empty: the port's contract holds on both."""
    if request.param == "embedded":
        backend = EmbeddedBackend(tmp_path / "search.sqlite3")
        yield backend
        backend.close()
        return
    from search.elastic import ElasticBackend

    backend = ElasticBackend(elasticsearch_url(), index=f"siap-test-{uuid.uuid4().hex[:10]}")
    yield backend
    backend.drop()


def pytest_terminal_summary(terminalreporter):
    """The relevance figures (``test_relevance.py``) at the end of the run, whatever its outcome."""
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            for name, value in getattr(report, "user_properties", []):
                if name == "relevance" and report.when == "call":
                    terminalreporter.write_sep("-", "search relevance")
                    terminalreporter.write_line(value)
