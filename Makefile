# SIAP — two commands: `make run` (demo on the embedded default) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PG_PORT ?= 55432
REDIS_PORT ?= 56379
export PG_PORT REDIS_PORT
TEST_ENV := DATABASE_URL=postgres://siap:siap@127.0.0.1:$(PG_PORT)/siap \
	BROKER_URL=redis://127.0.0.1:$(REDIS_PORT)/0 \
	SIAP_REQUIRE_TOOLS=1

RUNS ?= 20

.PHONY: install install-nemo run test prod-check browser-repeat api-schema services services-down es-up es-down messages bench

# --no-compile: pip would byte-compile every file of every package (25,000+ with NeMo and PyTorch, about a
# minute of CPU); Python compiles the modules it actually imports, on first use.
$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet --no-compile -r requirements.txt
	$(PY) manage.py install_whisper_model
	touch $@

# NeMo and PyTorch (several GB): for the tests and for hosts that run the NeMo engine.
$(VENV)/.nemo-installed: requirements-nemo.txt $(VENV)/.installed
	$(VENV)/bin/pip install --quiet --no-compile -r requirements-nemo.txt
	touch $@

# Browser libraries served as static files (pdf.js for the inline document viewer), pinned by package-lock.json;
# installed before the venv's first manage.py command, whose checks look for their folders.
NODE_STAMP := node_modules/.siap-installed
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js) is needed once, to install pdf.js: apt-get install nodejs npm"; exit 1; }
	npm ci --omit=dev --omit=optional --no-audit --no-fund
	touch $@

install: $(NODE_STAMP) $(VENV)/.installed

install-nemo: $(VENV)/.nemo-installed

## Install, migrate, load the demo and serve http://127.0.0.1:8000 (SQLite, folder queue: no servers).
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --if-empty
	$(PY) manage.py serve 127.0.0.1:8000

## Install, start PostgreSQL + Redis (Debian packages, private data dirs) and run the whole suite, in two test
## processes (much of it waits on browsers, workers and servers): each has its own test database and Redis database.
test: install install-nemo services
	$(TEST_ENV) $(PY) -m pytest -n 2 $(PYTEST_ARGS)

## The production topology on this machine (nginx with TLS, gunicorn, Celery default + asr workers, beat, PostgreSQL,
## Redis, Elasticsearch) from docker/siap.env and docker/compose.yml, a smoke journey over HTTPS, then all stopped.
prod-check: install services
	$(PY) -m tests.prod.check

## The browser journeys RUNS times in a row (default 20), stopping at the first failure: a flaky step shows here.
browser-repeat: install install-nemo services
	for run in $$(seq $(RUNS)); do \
		echo "== browser run $$run of $(RUNS)"; \
		$(TEST_ENV) $(PY) -m pytest -m browser -q -p no:cacheprovider || exit 1; \
	done

## Regenerate the committed OpenAPI schema after an API change (on PostgreSQL, as the test that compares it runs).
api-schema: install services
	$(TEST_ENV) DJANGO_SETTINGS_MODULE=project.settings $(PY) manage.py spectacular --file api/schema.yaml

services:
	tests/services/up.sh

services-down:
	tests/services/down.sh

## The Elasticsearch test node alone, on 127.0.0.1:9200, for working by hand.
es-up:
	tests/services/elasticsearch/run.sh start

es-down:
	tests/services/elasticsearch/run.sh stop

## Rebuild the translation catalogues after changing texts (needs gettext's msgfmt).
messages: install
	$(PY) manage.py makemessages -l en --ignore '.venv/*' --ignore 'tests/*' --ignore 'var/*' --ignore 'node_modules/*'
	$(PY) manage.py compilemessages --ignore '.venv/*' --ignore 'node_modules/*'

# Locust and its dependencies (gevent, Flask…) only for the load test; constrained by requirements.txt, so no pin moves.
$(VENV)/.bench-installed: requirements-bench.txt $(VENV)/.installed
	$(VENV)/bin/pip install --quiet --no-compile -r requirements-bench.txt -c requirements.txt
	touch $@

## Benchmarks (on demand; they print figures, they assert nothing); the load test starts the production topology.
## Each records its headline figures in var/bench/results.json; the summary prints them beside their goals.
bench: install install-nemo services $(VENV)/.bench-installed
	rm -f var/bench/results.json
	$(PY) tests/bench/bench_text.py
	$(PY) tests/bench/bench_corpus.py
	tests/services/elasticsearch/run.sh start
	$(PY) tests/bench/bench_search.py
	$(PY) tests/bench/bench_analysis.py
	$(PY) tests/bench/bench_pages.py
	$(PY) tests/bench/bench_asr.py
	$(PY) tests/bench/bench_load.py
	$(PY) tests/bench/summary.py
