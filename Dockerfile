# The registry as a container (see compose.yaml). Neo4j runs in its own official image there.

# The explorer's npm files, exactly as locked, copied where the registry serves them from.
FROM node:20-bookworm-slim AS explorer
WORKDIR /build
COPY explorer/package.json explorer/package-lock.json explorer/copy-assets.mjs ./explorer/
RUN cd explorer && npm ci --no-audit --no-fund --loglevel=error && npm run build

FROM python:3.11-slim

WORKDIR /app
# Every dependency exactly as locked (versions and hashes: `make lock` writes the file), in a layer of its
# own that changes only with the lock; then the registry itself, with nothing more resolved.
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY pyproject.toml README.md ./
COPY registry ./registry
COPY --from=explorer /build/registry/explorer_static/vendor ./registry/explorer_static/vendor
COPY resolvers ./resolvers
COPY schema ./schema
COPY examples ./examples
# (setuptools, the build backend, comes from the lock too: nothing is fetched unpinned)
RUN pip install --no-cache-dir --no-deps --no-build-isolation . && useradd --system registry
USER registry

ENV REGISTRY_ENVIRONMENT=production
EXPOSE 8000
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["registry", "serve", "--host", "0.0.0.0", "--port", "8000"]
