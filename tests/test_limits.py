"""Bad requests: every one a 4xx with a GraphQL-shaped body and a code, never a 500 or a trace, and
no Cypher run for any of them; limits on bodies, queries and headers; the production defaults."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import uvicorn

from registry.app import create_app
from registry.limits import LimitedHttpToolsProtocol
from registry.settings import Settings
from resolvers.federation_file import FederationFile
from tests.conftest import Issuer, _free_port, read_statements

SMALL = "{ providers { totalCount } }"


def assert_refused(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert "Traceback" not in response.text
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["message"]
    assert body["errors"][0]["extensions"]["code"] == code, body
    return dict(body["errors"][0])


JSON = {"Content-Type": "application/json"}
MALFORMED_BODIES: dict[str, tuple[bytes, dict[str, str]]] = {
    "a JSON string": (b'"hello"', JSON),
    "JSON null": (b"null", JSON),
    "a JSON number": (b"1", JSON),
    "a JSON list": (b"[]", JSON),
    "not JSON": (b"{query:", JSON),
    "empty": (b"", JSON),
    "query not a string": (b'{"query": 5}', JSON),
    "variables not an object": (json.dumps({"query": SMALL, "variables": [1]}).encode(), JSON),
    "variables nested 1,000 deep": (
        b'{"query": "query ($v: JSON) { providers { totalCount } }", "variables": {"v": '
        + b"[" * 1000
        + b"]" * 1000
        + b"}}",
        JSON,
    ),
    "JSON nested 100,000 deep": (b"[" * 100_000 + b"]" * 100_000, JSON),
    "a byte that is not UTF-8": (b'{"query": "{ providers { totalCount } }\xff"}', JSON),
    "charset latin-1": (json.dumps({"query": SMALL}).encode(), {"Content-Type": "application/json; charset=latin-1"}),
    "a lone surrogate in a variable": (
        b'{"query": "query ($n: String) { providers(where: {name: $n}) { totalCount } }", '
        b'"variables": {"n": "\\ud800"}}',
        JSON,
    ),
    "an unsupported content type": (b"query=x", {"Content-Type": "application/x-www-form-urlencoded"}),
}


@pytest.mark.parametrize("case", list(MALFORMED_BODIES))
async def test_malformed_bodies_get_a_400_and_run_nothing(client: httpx.AsyncClient, case: str) -> None:
    body, headers = MALFORMED_BODIES[case]
    before = read_statements()

    response = await client.post("/graphql", content=body, headers=headers)

    assert_refused(response, 400, "BAD_REQUEST")
    assert read_statements() == before


DOCUMENT_ERRORS = {
    "a parse error": ("{ providers { ", "GRAPHQL_PARSE_FAILED"),
    "an unknown field": ("{ providers { nodes { colour } } }", "GRAPHQL_VALIDATION_FAILED"),
    "too deep": ("{ providers { nodes { " + "regions { provider { " * 8 + "name" + " } }" * 8 + " } } }",
                 "GRAPHQL_VALIDATION_FAILED"),
    "too many aliases": ("{ " + " ".join(f"a{i}: providers {{ totalCount }}" for i in range(31)) + " }",
                         "GRAPHQL_VALIDATION_FAILED"),
    "too many tokens": ("{ providers { " + "totalCount " * 5000 + "} }", "GRAPHQL_PARSE_FAILED"),
    "two operations without operationName": ("query A { providers { totalCount } } query B { flavors { totalCount } }",
                                             "BAD_REQUEST"),
    "a variable of the wrong type": ("query ($n: Int) { flavors(first: $n) { totalCount } }", "BAD_USER_INPUT"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(DOCUMENT_ERRORS))
async def test_bad_documents_get_a_400_with_a_code_and_run_nothing(client: httpx.AsyncClient, case: str) -> None:
    query, code = DOCUMENT_ERRORS[case]
    variables = {"n": "many"} if "$n" in query else {}
    before = read_statements()

    response = await client.post("/graphql", json={"query": query, "variables": variables})

    assert_refused(response, 400, code)
    assert read_statements() == before


async def test_validation_errors_suggest_nothing_in_production(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ provider { nam } }"})

    assert "Did you mean" not in response.text


async def test_a_body_over_the_limit_is_refused_unread(client: httpx.AsyncClient, settings: Settings) -> None:
    padding = "x" * (settings.max_json_body_bytes + 1)
    before = read_statements()

    response = await client.post("/graphql", json={"query": SMALL, "variables": {"pad": padding}})

    assert_refused(response, 413, "PAYLOAD_TOO_LARGE")
    assert read_statements() == before


async def test_a_chunked_body_over_the_limit_is_refused(client: httpx.AsyncClient, settings: Settings) -> None:
    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"query": "{ providers { totalCount } }", "variables": {"pad": "'
        for _ in range(settings.max_json_body_bytes // 65536 + 1):
            yield b"x" * 65536
        yield b'"}}'

    response = await client.post("/graphql", content=chunks(), headers=JSON)

    assert_refused(response, 413, "PAYLOAD_TOO_LARGE")


async def test_a_multipart_body_has_its_own_limit(client: httpx.AsyncClient, settings: Settings) -> None:
    operations = json.dumps({"query": "mutation ($f: Upload!) { uploadSLADocument(slaId: \"x\", file: $f) { sha256 } }",
                             "variables": {"f": None}})  # fmt: skip
    big = b"%PDF" + b"x" * settings.multipart_body_limit

    response = await client.post(
        "/graphql",
        data={"operations": operations, "map": json.dumps({"0": ["variables.f"]})},
        files={"0": ("a.pdf", big, "application/pdf")},
        headers={"Apollo-Require-Preflight": "true"},
    )

    assert_refused(response, 413, "PAYLOAD_TOO_LARGE")
    assert len(big) < settings.max_json_body_bytes  # refused by the multipart limit, not the JSON one


async def test_a_query_over_the_length_limit_is_refused(client: httpx.AsyncClient, settings: Settings) -> None:
    query = "{ providers { totalCount } }" + " " * settings.max_query_chars

    response = await client.post("/graphql", json={"query": query})

    assert_refused(response, 413, "PAYLOAD_TOO_LARGE")


@pytest.fixture
async def few_values(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """An app whose readers may send at most 100 values in their variables."""
    app = create_app(settings.model_copy(update={"max_variable_values": 100}))
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        yield http


BY_IDS = "query ($w: ProviderFilter) { providers(where: $w) { totalCount } }"


def _ids(count: int, extra: int = 0) -> dict[str, Any]:
    """Variables holding `count` values: a filter object, its one field, a list of `count - 2` ids and
    `extra` unused variables."""
    return {"w": {"ids": [f"p{i}" for i in range(count - 2 - extra)]}, **{f"x{i}": i for i in range(extra)}}


async def test_readers_variables_may_hold_so_many_values(few_values: httpx.AsyncClient, issuer: Issuer) -> None:
    member = {"Authorization": f"Bearer {issuer.token('some/group')}"}
    for headers in ({}, member):  # anonymous, then signed in
        answered = await few_values.post("/graphql", json={"query": BY_IDS, "variables": _ids(100)}, headers=headers)
        assert answered.status_code == 200, answered.text
        assert answered.json()["data"] == {"providers": {"totalCount": 0}}
        for over in (_ids(101), _ids(101, extra=60), {"w": {"ids": [[[] for _ in range(60)]] * 2}}):
            before = read_statements()

            response = await few_values.post("/graphql", json={"query": BY_IDS, "variables": over}, headers=headers)

            error = assert_refused(response, 413, "PAYLOAD_TOO_LARGE")
            assert error["message"].startswith("variables: more than 100 values"), error
            assert read_statements() == before  # nothing coerced, nothing read


async def test_writers_variables_are_bounded_by_the_body_only(few_values: httpx.AsyncClient, issuer: Issuer) -> None:
    # A provider's bundle holds thousands of values; the feeder and administrators send it.
    for token in (issuer.token(writer=True), issuer.admin):
        response = await few_values.post(
            "/graphql", json={"query": BY_IDS, "variables": _ids(5_000)}, headers={"Authorization": f"Bearer {token}"}
        )

        assert response.status_code == 200, response.text
        assert response.json()["data"] == {"providers": {"totalCount": 0}}


async def test_a_multipart_request_without_a_preflight_header_runs_nothing(
    client: httpx.AsyncClient, issuer: Issuer, example_federation: FederationFile
) -> None:
    # A cross-site form can send this (a "simple" request): without the header, nothing runs.
    operations = json.dumps({"query": SMALL, "variables": {}})
    before = read_statements()

    response = await client.post(
        "/graphql",
        data={"operations": operations, "map": "{}"},
        files={"0": ("a.txt", b"x", "text/plain")},
        headers={"Authorization": f"Bearer {issuer.admin}"},
    )

    assert_refused(response, 400, "PREFLIGHT_REQUIRED")
    assert read_statements() == before


async def test_too_many_or_too_large_headers_are_refused(client: httpx.AsyncClient, settings: Settings) -> None:
    many = {f"x-h{i}": "1" for i in range(settings.max_header_count + 1)}
    large = {"x-big": "x" * (settings.max_header_bytes + 1)}
    for headers in (many, large):
        response = await client.post("/graphql", json={"query": SMALL}, headers=headers)
        assert_refused(response, 431, "BAD_REQUEST")


@pytest.fixture
async def production(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """An app with the production defaults (the suite's own settings turn a few things on)."""
    app = create_app(settings.model_copy(update={"introspection": "authenticated", "metrics": None}))
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        yield http


async def test_production_hides_metrics_and_the_openapi_document(production: httpx.AsyncClient) -> None:
    for path in ("/metrics", "/openapi.json", "/docs", "/redoc"):
        assert (await production.get(path)).status_code == 404, path


INTROSPECTION = "{ __schema { queryType { name } } }"


async def test_introspection_is_for_authenticated_callers_by_default(
    production: httpx.AsyncClient, issuer: Issuer
) -> None:
    anonymous = await production.post("/graphql", json={"query": INTROSPECTION})
    member = await production.post(
        "/graphql", json={"query": INTROSPECTION}, headers={"Authorization": f"Bearer {issuer.token('ml-infn')}"}
    )

    assert_refused(anonymous, 400, "GRAPHQL_VALIDATION_FAILED")
    assert member.json()["data"]["__schema"]["queryType"]["name"] == "Query"


@pytest.mark.parametrize("allowed", ["off", "anyone"])
async def test_introspection_can_be_switched_off_or_opened(settings: Settings, issuer: Issuer, allowed: str) -> None:
    app = create_app(settings.model_copy(update={"introspection": allowed}))
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        response = await http.post(
            "/graphql", json={"query": INTROSPECTION}, headers={"Authorization": f"Bearer {issuer.admin}"}
        )
        typename = await http.post("/graphql", json={"query": "{ __typename }"})  # not introspection

    if allowed == "off":
        assert_refused(response, 400, "GRAPHQL_VALIDATION_FAILED")
    else:
        assert response.json()["data"]["__schema"]
    assert typename.json()["data"] == {"__typename": "Query"}


async def test_metrics_can_be_served_on_a_separate_port(settings: Settings) -> None:
    port = _free_port()
    app = create_app(settings.model_copy(update={"metrics": False, "metrics_port": port}))
    async with app.router.lifespan_context(app), httpx.AsyncClient() as http:
        response = await http.get(f"http://127.0.0.1:{port}/metrics")

    assert response.status_code == 200
    assert "registry_cypher_statements_total" in response.text


async def test_client_errors_are_logged_at_info_in_one_line_unexpected_ones_at_error_with_the_request_id(
    client: httpx.AsyncClient, issuer: Issuer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    forbidden = "mutation { applyConstraints }"

    await client.post("/graphql", json={"query": forbidden}, headers={"Authorization": f"Bearer {issuer.token()}"})

    [record] = [r for r in caplog.records if r.name.startswith("registry") and "FORBIDDEN" in r.getMessage()]
    assert record.levelno == logging.INFO
    assert record.exc_info is None
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


class _Server:
    """uvicorn with the registry's HTTP protocol on a free port, in a thread, serving `app`."""

    def __init__(self, settings: Settings) -> None:
        async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                return
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"ok"})

        self.port = _free_port()
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, http=LimitedHttpToolsProtocol.configured(settings),
            log_level="warning", lifespan="off",
        )  # fmt: skip
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> _Server:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def _exchange(port: int, *chunks: bytes, pause_s: float = 0.0, read_timeout_s: float = 5.0) -> bytes:
    """Send the chunks (pausing between them), then read until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.settimeout(read_timeout_s)
        for chunk in chunks:
            connection.sendall(chunk)
            time.sleep(pause_s)
        received = b""
        while data := connection.recv(65536):
            received += data
        return received


def test_the_http_parser_closes_a_connection_whose_headers_come_too_slowly(settings: Settings) -> None:
    with _Server(settings.model_copy(update={"header_read_timeout_s": 0.5})) as server:
        started = time.monotonic()
        # slow-loris: a request line and one header, then silence
        answer = _exchange(server.port, b"POST /graphql HTTP/1.1\r\nHost: registry\r\n")
        waited = time.monotonic() - started

    assert answer.startswith(b"HTTP/1.1 408")
    assert json.loads(answer.partition(b"\r\n\r\n")[2])["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert waited < 3.0


def test_the_http_parser_refuses_oversized_heads_before_the_app_sees_them(settings: Settings) -> None:
    limits = {"max_header_bytes": 4096, "max_header_count": 20}
    with _Server(settings.model_copy(update=limits)) as server:
        normal = _exchange(server.port, b"GET / HTTP/1.1\r\nHost: r\r\nConnection: close\r\n\r\n")
        large = _exchange(server.port, b"GET / HTTP/1.1\r\nHost: r\r\nX-Big: " + b"x" * 5000 + b"\r\n\r\n")
        many = _exchange(
            server.port, b"GET / HTTP/1.1\r\n" + b"".join(b"X-H%d: 1\r\n" % i for i in range(21)) + b"\r\n"
        )

    assert normal.startswith(b"HTTP/1.1 200")
    for answer in (large, many):
        assert answer.startswith(b"HTTP/1.1 431"), answer[:100]
        assert b"connection: close" in answer.lower()
