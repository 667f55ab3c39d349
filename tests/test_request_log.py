"""Operations: one JSON log line per request (request id, operation, caller as subject@issuer and never
the token, status, error codes, duration) and per-operation request and error-code metrics that add up
over every worker of `registry serve --workers N`."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client import REGISTRY

from registry.request_log import JsonLines
from resolvers.federation_file import FederationFile
from tests.conftest import PROJECT, Issuer, _free_port

NAMED = "query ProviderNames { providers(first: 2) { nodes { name } } }"


def _request_lines(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    formatter = JsonLines()
    return [
        json.loads(formatter.format(r))
        for r in caplog.records
        if r.name == "registry.requests" and r.getMessage() == "request"
    ]


async def test_a_request_is_one_json_line_naming_operation_caller_and_id(
    client: httpx.AsyncClient, issuer: Issuer, example_federation: FederationFile, caplog: pytest.LogCaptureFixture
) -> None:
    token = issuer.token("ml-infn", subject="alice")
    caplog.set_level(logging.INFO, logger="registry.requests")

    response = await client.post(
        "/graphql",
        json={"query": NAMED},
        headers={"Authorization": f"Bearer {token}", "X-Request-ID": "dashboard-7f3a"},
    )

    assert response.status_code == 200
    assert response.headers["x-request-id"] == "dashboard-7f3a"
    [line] = _request_lines(caplog)
    assert line["request_id"] == "dashboard-7f3a"
    assert line["operation"] == "ProviderNames"
    assert line["operation_type"] == "query"
    assert line["caller"] == f"alice@{issuer.url()}"
    assert line["status"] == 200
    assert line["codes"] == []
    assert line["duration_ms"] > 0
    assert line["method"] == "POST" and line["path"] == "/graphql"
    assert token not in caplog.text
    assert all(token not in JsonLines().format(r) for r in caplog.records)


async def test_a_refused_request_is_logged_with_its_code_and_a_new_id(
    client: httpx.AsyncClient, issuer: Issuer, caplog: pytest.LogCaptureFixture
) -> None:
    expired = issuer.token("ml-infn", expires_in=-600)
    caplog.set_level(logging.INFO, logger="registry.requests")

    response = await client.post(
        "/graphql", json={"query": NAMED}, headers={"Authorization": f"Bearer {expired}", "X-Request-ID": "bad id!"}
    )

    assert response.status_code == 401
    [line] = _request_lines(caplog)
    assert line["status"] == 401
    assert line["codes"] == ["UNAUTHENTICATED"]
    assert line["caller"] is None
    assert line["request_id"] == response.headers["x-request-id"] != "bad id!"
    assert expired not in caplog.text


async def test_requests_and_error_codes_are_counted_per_operation(
    client: httpx.AsyncClient, example_federation: FederationFile
) -> None:
    def sample(name: str, **labels: str) -> float:
        return REGISTRY.get_sample_value(name, labels) or 0.0

    requests_before = sample("registry_graphql_requests_total", operation="ProviderNames", type="query")
    invalid_before = sample("registry_graphql_errors_total", operation="Broken", code="GRAPHQL_VALIDATION_FAILED")
    unparsed_before = sample("registry_graphql_errors_total", operation="(none)", code="GRAPHQL_PARSE_FAILED")

    await client.post("/graphql", json={"query": NAMED})
    await client.post("/graphql", json={"query": NAMED})
    await client.post("/graphql", json={"query": "query Broken { providers { nodes { colour } } }"})
    await client.post("/graphql", json={"query": "query {"})

    assert sample("registry_graphql_requests_total", operation="ProviderNames", type="query") == requests_before + 2
    assert (
        sample("registry_graphql_errors_total", operation="Broken", code="GRAPHQL_VALIDATION_FAILED")
        == invalid_before + 1
    )
    assert (
        sample("registry_graphql_errors_total", operation="(none)", code="GRAPHQL_PARSE_FAILED") == unparsed_before + 1
    )
    assert "registry_graphql_requests_total" in (await client.get("/metrics")).text


def _metric(text: str, line_start: str) -> float:
    values = [float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(line_start)]
    assert len(values) == 1, (line_start, text)
    return values[0]


def _log(stderr: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stderr.read_text().splitlines() if line.startswith("{")]


def _lines_saying(stderr: Path, message: str) -> set[int]:
    """The processes that logged `message`."""
    return {line["pid"] for line in _log(stderr) if line.get("message") == message}


def _served_by(stderr: Path) -> set[int]:
    """The workers that logged a ProviderNames request."""
    return {line["pid"] for line in _log(stderr) if line.get("operation") == "ProviderNames"}


async def _ask_concurrently(url: str, count: int) -> int:
    async with httpx.AsyncClient(limits=httpx.Limits(max_keepalive_connections=0)) as http:
        answers = await asyncio.gather(*(http.post(url, json={"query": NAMED}) for _ in range(count)))
    assert all(a.status_code == 200 for a in answers), [a.text for a in answers if a.status_code != 200]
    return count


def test_metrics_add_up_over_several_workers(neo4j_uri: str, tmp_path: Path) -> None:
    port, metrics_port = _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "REGISTRY_", "PROMETHEUS_"))}
    env.update(
        NEO4J_URI=neo4j_uri,
        REGISTRY_ANONYMOUS_READ="true",
        REGISTRY_METRICS="true",
        REGISTRY_METRICS_PORT=str(metrics_port),
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"),
    )
    # a file an earlier run left: its figures must not be added in
    (tmp_path / "metrics").mkdir()
    (tmp_path / "metrics" / "counter_1.db").write_bytes(b"")
    stderr = tmp_path / "stderr.log"
    with stderr.open("wb") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "registry.cli", "serve", "--port", str(port), "--workers", "2"],
            cwd=PROJECT, env=env, stderr=log_file, start_new_session=True,
        )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            # Both workers up (uvicorn restarts one that is slow to answer its supervisor, as on a
            # loaded machine: wait for two that started their application).
            deadline = time.monotonic() + 240
            while len(_lines_saying(stderr, "Application startup complete.")) < 2:
                assert server.poll() is None, stderr.read_text()
                assert time.monotonic() < deadline, f"the workers did not come up: {stderr.read_text()}"
                time.sleep(0.5)
            # Concurrent connections, until both workers have answered some (the kernel hands each
            # connection to whichever worker accepts first).
            sent = 0
            while len(_served_by(stderr)) < 2 and sent < 600:
                sent += asyncio.run(_ask_concurrently(f"{base}/graphql", 20))
            counted = 'registry_graphql_requests_total{operation="ProviderNames",type="query"}'
            on_main_port = _metric(httpx.get(f"{base}/metrics").text, counted)
            on_metrics_port = _metric(httpx.get(f"http://127.0.0.1:{metrics_port}/metrics").text, counted)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
    served_by = _served_by(stderr)

    assert on_main_port == sent
    assert on_metrics_port == sent
    assert len(served_by) == 2, "both workers should have answered some of the requests"
