"""The production topology (tests/prod/topology.py), started once for every test under tests/prod/.

These tests talk to the topology's own PostgreSQL, Redis and Elasticsearch through its processes and over HTTP,
never to the test database: none of them asks for pytest-django's ``db``.
"""

import os

import pytest

from .topology import Topology, missing_tools

# The beat every 2 seconds, lost jobs queued again after 5 seconds, an unacknowledged job handed to another worker
# after 10 (production: 60, 900, 7200): the fault tests (test_faults.py) see recovery within seconds, and set
# from the start these cost no restart of the worker and the beat.
FAST_RECOVERY = {
    "SIAP_TIMERS_INTERVAL_SECONDS": "2",
    "SIAP_JOB_RECOVERY_AFTER_SECONDS": "5",
    "BROKER_VISIBILITY_TIMEOUT": "10",
}


@pytest.fixture(scope="session")
def production_tools():
    """Skip (or, under SIAP_REQUIRE_TOOLS=1 as `make test` sets, fail) when a program the topology runs is missing."""
    missing = missing_tools()
    if missing:
        message = f"the production topology needs {', '.join(missing)} (tests/services/up.sh installs them)"
        if os.environ.get("SIAP_REQUIRE_TOOLS"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(autouse=True)
def _production_tools(production_tools):
    """Every test here needs the topology's programs, whether or not it starts the topology."""


def port_base_of_this_test_process():
    """``SIAP_PROD_PORT_BASE`` (27000) for the first test process, ten ports on for each next one (``pytest -n 2``):
    the tests here may be spread over both processes, and each then starts a topology of its own."""
    process_number = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    return int(os.environ.get("SIAP_PROD_PORT_BASE", "27000")) + 10 * process_number


@pytest.fixture(scope="session")
def production(production_tools):
    """A started Topology on ports 27000-27004 (SIAP_PROD_PORT_BASE moves them; 27010-27014 in a second test
    process), stopped after the last test;
    its SIAP processes run with FAST_RECOVERY.

    The ports lie below Linux's ephemeral range (32768-60999): while a fault test holds a service down, its
    clients retry connecting to it hundreds of times, and one of them can be given the service's own port as its
    source port and connect to itself (TCP simultaneous open), so the service cannot listen there when it starts
    again ("Address already in use").
    """
    with Topology(port_base=port_base_of_this_test_process(), env_overrides=FAST_RECOVERY) as topology:
        yield topology
