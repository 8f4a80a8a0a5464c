"""`make prod-check`: start the production topology, run the smoke journey over HTTPS, stop everything.

    python -m tests.prod.check [--port-base 27000] [--keep-state]

Prints each service's start-up time and each step's duration; exits 0 when the journey passed, 1 otherwise.
"""

import argparse
import os
import signal
import sys
import tempfile
import time

import django


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port-base", type=int, default=int(os.environ.get("SIAP_PROD_PORT_BASE", "27000")))
    parser.add_argument("--keep-state", action="store_true", help="leave the state folder (logs, data) behind")
    options = parser.parse_args(argv)
    # the journey builds its scan with the demo's PDF code, which reads SIAP's settings (fonts), not its database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    django.setup()

    from .journey import Journey, StepFailed, run
    from .topology import Topology, TopologyError, missing_tools

    missing = missing_tools()
    if missing:
        print(f"prod-check needs: {', '.join(missing)} (tests/services/up.sh installs them)", file=sys.stderr)
        return 1
    # stopped from outside (Ctrl+C, a CI timeout): still stop every process the topology started
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    if options.keep_state:
        os.environ["SIAP_PROD_KEEP_STATE"] = "1"
    began = time.monotonic()
    topology = Topology(port_base=options.port_base)
    print(f"Starting the topology in {topology.state_dir} …", flush=True)
    try:
        with topology, tempfile.TemporaryDirectory() as workdir:
            for name, seconds in topology.timings.items():
                print(f"  {name:<22} {seconds:6.1f} s")
            print(f"Up: {topology.base_url} (gunicorn {topology.app_url}); the journey:", flush=True)
            journey = Journey(topology.base_url, verify=str(topology.certificate), workdir=workdir)
            run(journey, report=lambda line: print("  " + line, flush=True))
    except (StepFailed, TopologyError) as problem:
        print(f"prod-check FAILED: {problem}", file=sys.stderr)
        print(f"Logs: {topology.state_dir / 'logs'}" if options.keep_state else "(--keep-state keeps the logs)",
              file=sys.stderr)
        return 1
    print(f"prod-check passed in {time.monotonic() - began:.0f} s; everything it started is stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
