"""One table for every benchmark of ``make bench``: each script records its headline figures here.

Every benchmark prints its own detail; the rows that have a goal (the
performance issue's table) are also written to ``var/bench/results.json`` so
that ``tests/bench/summary.py``, the last step of ``make bench``, prints them
together, each beside its goal and whether it was met — one run, one table.
A script run alone adds its rows to what the last run left, replacing rows of
the same name.
"""

import json
import os
import time
from pathlib import Path

RESULTS = Path(os.environ.get("SIAP_BENCH_RESULTS", Path(__file__).resolve().parents[2] / "var" / "bench" / "results.json"))


def record(row, figure, goal, met, note=""):
    """Keep one headline figure: ``row`` names the measure, ``figure`` and ``goal`` are short texts.

    ``met`` is a bool computed by the caller from the numbers it measured (not
    from the texts); ``note`` says by how much and why when the goal is missed.
    """
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    rows = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    rows[row] = {"figure": figure, "goal": goal, "met": bool(met), "note": note, "at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    RESULTS.write_text(json.dumps(rows, indent=1, ensure_ascii=False))


def load():
    return json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
