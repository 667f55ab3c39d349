"""The service's Prometheus metrics of GraphQL requests (per operation, per error code) and where
/metrics reads every metric from: this process, or — with `registry serve --workers N` — the files all
workers write (prometheus-client's multiprocess mode), so that the figures add up across workers."""

from __future__ import annotations

import os
import re
from pathlib import Path
from wsgiref.simple_server import WSGIServer

from prometheus_client import REGISTRY, CollectorRegistry, Counter, generate_latest, start_http_server
from prometheus_client.multiprocess import MultiProcessCollector

from schema.request_record import RequestRecord

# prometheus-client reads this variable when it is first imported: each worker must have it in its
# environment before that (the serving command sets it before it starts them).
MULTIPROCESS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
# Set by the serving command when its own process serves the metrics port for all workers.
PARENT_SERVES_METRICS_VARIABLE = "REGISTRY_PARENT_SERVES_METRICS"

GRAPHQL_REQUESTS = Counter(
    "registry_graphql_requests_total",
    "Requests to /graphql, by operation name and type (query, mutation; none when refused before parsing).",
    ["operation", "type"],
)
GRAPHQL_ERRORS = Counter(
    "registry_graphql_errors_total",
    "Requests to /graphql whose answer carries an error of this code (once per request and code), by operation.",
    ["operation", "code"],
)

# Operation names are the client's to choose: past this many distinct ones a process counts the rest
# under OTHER, so that a client inventing names cannot grow the series without bound.
OPERATION_LABELS_MAX = 200
UNNAMED = "(unnamed)"  # an operation without a name
UNPARSED = "(none)"  # refused before an operation was known (bad body, token, syntax)
OTHER = "(other)"
_OPERATION_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,63}")
_named: set[str] = set()


def operation_label(record: RequestRecord) -> str:
    if record.operation_type is None and record.operation is None:
        return UNPARSED
    name = record.operation
    if name is None:
        return UNNAMED
    if name in _named:
        return name
    if len(_named) >= OPERATION_LABELS_MAX or not _OPERATION_NAME.fullmatch(name):
        return OTHER
    _named.add(name)
    return name


def count_graphql_request(record: RequestRecord) -> None:
    operation = operation_label(record)
    GRAPHQL_REQUESTS.labels(operation, record.operation_type or "none").inc()
    for code in record.codes:
        GRAPHQL_ERRORS.labels(operation, code).inc()


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROCESS_DIR_VARIABLE) or None


def prepare_multiprocess_dir(path: Path) -> None:
    """The folder for the workers' metric files, with every file of an earlier run deleted (they would
    be added in); only this process's own files (`<kind>_<pid>.db`) are kept, as it may have opened them."""
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        if not stale.stem.endswith(f"_{os.getpid()}"):
            stale.unlink()
    os.environ[MULTIPROCESS_DIR_VARIABLE] = str(path)


def exposition_registry() -> CollectorRegistry:
    """What /metrics shows: every worker's metrics summed in multiprocess mode, else this process's."""
    if multiprocess_dir() is None:
        return REGISTRY
    merged = CollectorRegistry()
    MultiProcessCollector(merged)  # type: ignore[no-untyped-call]
    return merged


def exposition() -> bytes:
    return generate_latest(exposition_registry())


def serve_metrics(port: int, host: str) -> WSGIServer:
    """/metrics on a port of its own; returns the server (call `shutdown()` on it)."""
    server, _ = start_http_server(port, addr=host, registry=exposition_registry())
    return server
