"""Benchmark: the search port on 100,000 generated items, both backends, and raw Elasticsearch.

Run on demand (``make bench`` runs it after the text benchmark; it needs the
Elasticsearch test node: ``make es-up``)::

    .venv/bin/python tests/bench/bench_search.py [COUNT]

Prints bulk indexing rate and query latency p50/p95 for the Elasticsearch
backend, the embedded backend, and the same search sent straight to
Elasticsearch (the floor), so the port's overhead shows as a ratio.
"""

import datetime
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

import django  # noqa: E402

django.setup()

from search.elastic import ElasticBackend  # noqa: E402
from search.embedded import EmbeddedBackend  # noqa: E402
from search.port import SearchItem, SearchQuery  # noqa: E402

VOCABULARY = (
    "pembangunan membangun bangunan drainase jalan banjir sekolah pendidikan kesehatan anggaran pendapatan "
    "belanja daerah rapat paripurna komisi undangan permohonan audiensi laporan pemeriksaan kelurahan "
    "kecamatan warga masyarakat perbaikan penerangan taman pasar terminal pelabuhan air bersih sampah "
    "puskesmas rumah sakit guru siswa beasiswa bantuan sosial pokok pikiran reses aspirasi peraturan "
    "rancangan pembahasan persetujuan pengawasan evaluasi realisasi hibah koperasi usaha kecil pariwisata"
).split()
FILLER = "yang dan di untuk dengan pada dari ini itu akan telah sudah".split()
UNITS = ["Komisi I", "Komisi II", "Komisi III", "Komisi IV", "Banggar", "Bapemperda"]
QUERIES = ["drainase", "pembangunan jalan", "membangun sekolah", "anggaran pendapatan", "banjir kelurahan",
           '"rapat paripurna"', "puskesma*", "bantuan -sosial", "reses aspirasi warga", "realisasi hibah"]


def generate(count, seed=2026):
    rng = random.Random(seed)
    start = datetime.date(2020, 1, 1)
    for n in range(count):
        words = [rng.choice(VOCABULARY if rng.random() < 0.7 else FILLER) for _ in range(rng.randint(20, 60))]
        unit = rng.randrange(len(UNITS))
        yield SearchItem(
            id=f"bench:{n}", kind="letter", title=" ".join(words[:6]).capitalize(), body=" ".join(words),
            url=f"/surat/{n}/", date=start + datetime.timedelta(days=rng.randrange(2500)),
            principals=[f"unit:{unit}", "perm:letters.view_all_letters"],
            facets={"unit": [UNITS[unit]], "year": [str(2020 + n % 7)], "nature": ["biasa"], "status": ["archived"]},
        )


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def timed_queries(run, rounds=20):
    latencies = []
    for _ in range(rounds):
        for text in QUERIES:
            started = time.perf_counter()
            run(text)
            latencies.append((time.perf_counter() - started) * 1000)
    return statistics.median(latencies), percentile(latencies, 0.95)


def query(text):
    return SearchQuery(text=text, principals=["unit:2", "unit:3", "user:1"], per_page=20)


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    rows = []

    embedded = EmbeddedBackend(Path(tempfile.mkdtemp(prefix="siap-bench-")) / "search.sqlite3")
    started = time.perf_counter()
    embedded.rebuild(generate(count))
    seconds = time.perf_counter() - started
    p50, p95 = timed_queries(lambda text: embedded.search(query(text)))
    rows.append(("embedded (SQLite FTS5)", count / seconds, p50, p95))

    url = os.environ.get("SIAP_TEST_ELASTICSEARCH_URL", "http://127.0.0.1:9200")
    elastic = ElasticBackend(url, index=f"siap-bench-{uuid.uuid4().hex[:8]}")
    try:
        started = time.perf_counter()
        elastic.rebuild(generate(count))
        seconds = time.perf_counter() - started
        p50, p95 = timed_queries(lambda text: elastic.search(query(text)))
        rows.append(("Elasticsearch backend", count / seconds, p50, p95))

        bodies = {}

        def raw(text):
            if text not in bodies:  # the exact request the backend sends, built once
                captured = {}
                original = elastic.client.search

                def capture(**kwargs):
                    captured.update(kwargs)
                    return original(**kwargs)

                elastic.client.search = capture
                elastic.search(query(text))
                elastic.client.search = original
                bodies[text] = captured
            return elastic.client.search(**bodies[text])

        raw_p50, raw_p95 = timed_queries(raw)
        rows.append(("raw Elasticsearch (floor)", float("nan"), raw_p50, raw_p95))
    except Exception as exc:  # noqa: BLE001 - the embedded figures still stand
        print(f"Elasticsearch skipped: {exc}")
    finally:
        try:
            elastic.drop()
        except Exception:  # noqa: BLE001
            pass

    print(f"{count} items, {len(QUERIES)} queries x 20 rounds, caller sees 2 of 6 units")
    print(f"{'backend':28} {'index items/s':>14} {'p50 ms':>8} {'p95 ms':>8}")
    for name, rate, p50, p95 in rows:
        print(f"{name:28} {rate:14.0f} {p50:8.2f} {p95:8.2f}")
    if len(rows) == 3:
        print(f"port overhead over raw Elasticsearch: p50 x{rows[1][2] / rows[2][2]:.2f}, p95 x{rows[1][3] / rows[2][3]:.2f}")


if __name__ == "__main__":
    main()
