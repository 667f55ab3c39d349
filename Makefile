# The two set-up commands of the README: `make run` and `make test`. Each installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
CODEGEN := .venv-codegen/.installed

.PHONY: run test install java chromium lint schema bench soak bench-feed client lock

$(INSTALLED): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python >= 3.11 is needed"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	@echo "==> installing the registry and its dependencies into $(VENV) (about 120 packages; a few minutes)"
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install --progress-bar off -e '.[dev]'
	@echo "==> $(VENV) is ready"
	touch $(INSTALLED)

# Java 17 and Maven run the local Neo4j (scripts/neo4j-embedded); installed from Debian if missing.
java:
	@if [ -z "$$NEO4J_URI" ] && ! { command -v java >/dev/null && command -v mvn >/dev/null; }; then \
		apt-get update -q && apt-get install -y -q openjdk-17-jdk-headless maven; fi

# The explorer's GraphiQL, explorer plugin and React, exactly as locked (npm ci), copied into
# registry/explorer_static/vendor/ (served from there: no CDN); again whenever the lock file changes.
EXPLORER_BUILT := registry/explorer_static/vendor/.built
$(EXPLORER_BUILT): explorer/package-lock.json explorer/copy-assets.mjs
	@command -v npm >/dev/null || { apt-get update -q && apt-get install -y -q nodejs npm; }
	@echo "explorer: npm ci (GraphiQL, its explorer plugin, React, as locked in explorer/package-lock.json)"
	cd explorer && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent
	touch $(EXPLORER_BUILT)

# Headless Chromium runs the explorer's browser test (tests/test_explorer.py); from Debian if missing.
chromium:
	@command -v chromium >/dev/null || { apt-get update -q && apt-get install -y -q chromium; }

install: $(INSTALLED) java $(EXPLORER_BUILT)

# Local Neo4j (unless NEO4J_URI is set) + examples/federation.yaml + http://127.0.0.1:8000/graphql
run: install
	$(BIN)/registry dev

# Lint, type-check, then the whole suite against its own Neo4j (or NEO4J_URI).
test: install chromium $(CODEGEN)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -q

# Ours vs the floor (hand-written Cypher) vs the peer (@neo4j/graphql on Node.js), same Neo4j, same data.
# QUICK=1: the infn scale only; BENCH_SCALES=egi,stress: only those; BENCH_SEED=n repeats a run's order. Prints a table, then one JSON line. See README, "Performance".
BENCH_INSTALLED := $(VENV)/.bench-installed
$(BENCH_INSTALLED): $(INSTALLED)
	$(BIN)/pip install -q -e '.[dev,bench]'
	touch $(BENCH_INSTALLED)

# The peer's npm packages exactly as locked (npm ci), again whenever the lock file changes.
PEER_INSTALLED := bench/peer/node_modules/.installed
$(PEER_INSTALLED): bench/peer/package-lock.json
	@command -v npm >/dev/null || { apt-get update -q && apt-get install -y -q nodejs npm; }
	cd bench/peer && npm ci --no-audit --no-fund --loglevel=error
	touch $(PEER_INSTALLED)

bench: install $(BENCH_INSTALLED) $(PEER_INSTALLED)
	$(BIN)/python -m bench.run

# The server under 16 clients, a writer and a breadth bomb a minute, for SOAK_MINUTES (default 30).
# Not part of `make test`. See README, "Limits and production settings".
soak: install $(BENCH_INSTALLED)
	$(BIN)/python -m bench.soak

# The feeder harvesting PROVIDERS (default 200) × 3 regions × (100 flavors, 200 images, 20 projects) from
# loopback clouds into its own Neo4j (or NEO4J_URI: it empties it). See README, "Feeding the registry".
bench-feed: install
	$(BIN)/python -m bench.feed

schema: install
	$(BIN)/registry export-schema

# requirements.lock: the service's dependencies pinned with their hashes, which the Docker image installs
# (--require-hashes); again whenever pyproject.toml's dependencies change (a test checks it matches).
lock: install
	$(BIN)/pip install -q pip-tools==7.6.2
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
		--output-file requirements.lock pyproject.toml

# ariadne-codegen, pinned, in a venv of its own: it needs graphql-core < 3.3, the service 3.3.
$(CODEGEN): examples/clients/codegen-requirements.txt
	$(PYTHON) -m venv .venv-codegen
	.venv-codegen/bin/pip install -q -r examples/clients/codegen-requirements.txt
	touch $(CODEGEN)

# The orchestrator's typed client, regenerated from the SDL (exported first) and examples/queries/.
client: schema $(CODEGEN)
	rm -rf examples/clients/orchestrator/registry_client
	cd examples/clients/orchestrator && ../../../.venv-codegen/bin/ariadne-codegen --config ariadne-codegen.toml
