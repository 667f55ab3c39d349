"""The FastAPI application: /graphql, health and readiness probes, Prometheus metrics."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import logging
import os
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import httpx
import neo4j
from cross_web import HTTPException as ViewRefusal
from fastapi import Depends, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, Histogram
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Route
from starlette.types import ASGIApp, Receive, Send
from starlette.types import Scope as ASGIScope
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from registry.auth import AuthenticationError, TokenVerifier, bearer_token
from registry.caching import mark_cacheable
from registry.cors import CrossOrigin
from registry.database import apply_constraints, is_ready, open_database
from registry.explorer import Explorer
from registry.limits import GuardRequests, Refusal, decode_request_json, holds_more_values, refusal_body
from registry.metrics import PARENT_SERVES_METRICS_VARIABLE, exposition, serve_metrics
from registry.request_log import LogRequests
from registry.settings import Settings, get_settings
from registry.storage import S3DocumentStore
from resolvers.context import RequestContext
from resolvers.db import Database
from resolvers.documents import sweep_unreferenced
from resolvers.errors import StorageUnavailable
from resolvers.visibility import Scope
from schema.errors import ErrorCode, coded
from schema.refusals import REQUEST_ID
from schema.request_record import current_record
from schema.root import build_schema

log = logging.getLogger("registry")

REQUEST_LATENCY = Histogram(
    "registry_http_request_duration_seconds",
    "Time to answer an HTTP request, by route and method.",
    ["route", "method"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


async def get_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


DatabaseDep = Annotated[Database, Depends(get_database)]


async def caller_scope(request: Request) -> Scope:
    """The caller's scope from their bearer token; anonymous without one (when settings allow)."""
    token = bearer_token(request.headers.get("Authorization"))
    if token is None:
        if not request.app.state.settings.anonymous_read_enabled:
            raise AuthenticationError("a bearer token is required")
        current_record().caller = "anonymous"
        return Scope.anonymous_caller()
    verifier: TokenVerifier = request.app.state.verifier
    caller = await verifier.verify(token)
    current_record().caller = f"{caller.subject}@{caller.issuer}"
    return caller.scope()


class NamedRoute(Route):
    """A route to a plain ASGI app that, like FastAPI's own routes, names itself in the scope (the
    request metrics are labelled by it)."""

    def matches(self, scope: ASGIScope) -> tuple[Match, ASGIScope]:
        match, child_scope = super().matches(scope)
        return match, {**child_scope, "route": self}


# Headers a cross-site form cannot send, so a multipart POST carrying one was preflighted (Apollo's
# CSRF prevention names the same two).
PREFLIGHT_HEADERS = ("apollo-require-preflight", "x-apollo-operation-name")

# The HTTP status of an answer without data, by its first error's code (the request was refused).
_REFUSAL_STATUS = {
    ErrorCode.UNAUTHENTICATED.value: 401,
    ErrorCode.FORBIDDEN.value: 403,
    ErrorCode.PAYLOAD_TOO_LARGE.value: 413,
    ErrorCode.SERVICE_UNAVAILABLE.value: 503,
    ErrorCode.DEADLINE_EXCEEDED.value: 504,
    ErrorCode.INTERNAL_SERVER_ERROR.value: 500,
}
# Whatever the data: an outage or a deadline is said in the status too (clients and proxies retry on it).
_FAILURE_STATUS = {ErrorCode.SERVICE_UNAVAILABLE.value: 503, ErrorCode.DEADLINE_EXCEEDED.value: 504}


def answer_status(response: dict[str, Any]) -> int:
    """200 for an answer; 4xx for a request refused before it ran (no data, an error without a path);
    503/504 when Neo4j was unavailable or the deadline passed."""
    errors = response.get("errors") or []
    codes = [(e.get("extensions") or {}).get("code") for e in errors]
    for code in codes:
        if code in _FAILURE_STATUS:
            return _FAILURE_STATUS[code]
    if errors and response.get("data") is None and not errors[0].get("path"):
        return _REFUSAL_STATUS.get(str(codes[0]), 400)
    return 200


class GraphQLEndpoint(GraphQL[RequestContext, None]):
    """/graphql: Strawberry's ASGI app, its context made from the app's state and the caller's token,
    its refusals GraphQL-shaped JSON with a code and a 4xx status.

    Not Strawberry's FastAPI router: that solves a graph of FastAPI dependencies for every request,
    about a quarter of the server's CPU for a small query (the dashboards' dropdown)."""

    def __init__(self, *args: Any, settings: Settings, explorer: Explorer | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.settings = settings
        self.explorer = explorer

    async def render_graphql_ide(self, request: Request) -> Response:
        """A browser's GET: the explorer, from the service's own assets (Strawberry's page uses a CDN)."""
        assert self.explorer is not None  # rendered only when graphql_ide is set, i.e. with an explorer
        return self.explorer.page(request.scope.get("root_path", ""))

    async def __call__(self, scope: ASGIScope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # no subscriptions
            return
        try:
            response = await self.run(Request(scope=scope, receive=receive))
            if scope["method"] == "GET" and response.media_type == "application/json":
                mark_cacheable(response, self.settings.get_cache_max_age_s)
        except ViewRefusal as error:
            response = _refused(Refusal(error.status_code, ErrorCode.BAD_REQUEST, error.reason))
        except StarletteHTTPException as error:  # a malformed multipart body
            response = _refused(Refusal(error.status_code, ErrorCode.BAD_REQUEST, str(error.detail)))
        except Refusal as refusal:
            response = _refused(refusal)
        except AuthenticationError as error:  # raised by get_context; /graphql skips FastAPI's handlers
            response = await refuse_token(Request(scope), error)
        await response(scope, receive, send)

    def decode_json(self, data: str | bytes) -> object:
        return decode_request_json(data)

    async def parse_http_body(self, request: Any) -> Any:
        content_type = (request.content_type or "").lower()
        charset = re.search(r"charset\s*=\s*\"?([\w-]+)", content_type)
        if charset and charset.group(1) not in ("utf-8", "utf8"):
            raise Refusal(400, ErrorCode.BAD_REQUEST, "Only UTF-8 bodies are accepted.")
        if content_type.startswith("multipart/") and not any(request.headers.get(h) for h in PREFLIGHT_HEADERS):
            raise Refusal(
                400, ErrorCode.PREFLIGHT_REQUIRED,
                "A multipart request must carry an Apollo-Require-Preflight header (CSRF prevention).",
            )  # fmt: skip
        data = await super().parse_http_body(request)
        query = getattr(data, "query", None)
        if isinstance(query, str) and len(query) > self.settings.max_query_chars:
            raise Refusal(
                413, ErrorCode.PAYLOAD_TOO_LARGE, f"A query may be {self.settings.max_query_chars} characters long."
            )
        return data

    async def execute_operation(self, *args: Any, **kwargs: Any) -> Any:
        # graphql-core coerces every value of the variables (~7 µs each) before any resolver or permission
        # runs: 400,000 list items, well within the body limit, held the server for ~3 s. Readers never
        # need many; a writer's provider bundle may.
        context = kwargs.get("context")
        variables = getattr(kwargs.get("request_data"), "variables", None)
        limit = self.settings.max_variable_values
        if isinstance(context, RequestContext) and not context.scope.may_write and holds_more_values(variables, limit):
            raise Refusal(
                413, ErrorCode.PAYLOAD_TOO_LARGE,
                f"variables: more than {limit} values (list items and object fields, at any depth); only writers "
                "may send more.",
            )  # fmt: skip
        try:
            return await super().execute_operation(*args, **kwargs)
        except ViewRefusal as refusal:
            # Only GET limits the operation types (no subscriptions are served at all).
            cause = refusal.__cause__
            if isinstance(cause, InvalidOperationTypeError):
                mutation = cause.operation_type == OperationType.MUTATION
                what = "Mutations are" if mutation else "Queries are turned off and"
                message = f"{what} not answered over GET: send them with POST."
                raise Refusal(405, ErrorCode.BAD_REQUEST, message) from None
            raise

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        response = super().create_response(response_data, sub_response)
        if isinstance(response_data, dict):
            errors = response_data.get("errors") or ()
            current_record().note_codes((e.get("extensions") or {}).get("code") for e in errors)
            if response.status_code == 200:
                response.status_code = answer_status(response_data)
        return response

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> RequestContext:
        assert isinstance(request, Request)  # no subscriptions: websockets are refused before this
        state = request.app.state
        return RequestContext(
            database=state.database,
            scope=await caller_scope(request),
            documents=state.documents,
            document_max_bytes=state.settings.document_max_bytes,
            statement_subqueries_max=state.settings.max_statement_subqueries,
        )


def _refused(refusal: Refusal) -> Response:
    log.info("request %s refused: %s %s", REQUEST_ID.get(), refusal.code.value, refusal.message)
    current_record().note_codes([refusal.code.value])
    body = refusal_body(refusal.code, refusal.message)
    headers = {"Allow": "POST"} if refusal.status == 405 else None
    return Response(body, status_code=refusal.status, media_type="application/json", headers=headers)


async def refuse_token(request: Request, error: Exception) -> JSONResponse:
    """401 with a GraphQL-shaped body: the reason, never the token."""
    reason = error.reason if isinstance(error, AuthenticationError) else "unauthenticated"
    log.info("request %s refused: UNAUTHENTICATED %s", REQUEST_ID.get(), reason)
    current_record().note_codes([ErrorCode.UNAUTHENTICATED.value])
    return JSONResponse(
        {"data": None, "errors": [coded(ErrorCode.UNAUTHENTICATED, f"UNAUTHENTICATED: {reason}")]},
        status_code=401,
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )


async def _apply_constraints_when_reachable(database: Database, done: asyncio.Event) -> None:
    delay = 0.5
    while True:
        try:
            await apply_constraints(database)
        except (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired, OSError) as error:
            log.warning("Neo4j not reachable yet (%s); retrying in %.0fs", error, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30.0)
        else:
            done.set()
            return


async def _sweep_documents(database: Database, store: S3DocumentStore, interval_s: float) -> None:
    """Delete documents no SLA refers to (left by a crash between S3 and Neo4j), now and then."""
    while True:
        try:
            gone = await sweep_unreferenced(database, store, older_than=dt.timedelta(minutes=15))
            if gone:
                log.info("swept %d unreferenced SLA documents", gone)
        except (StorageUnavailable, neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError) as error:
            log.warning("document sweep failed: %s", error)
        await asyncio.sleep(interval_s)


class MeasureLatency:
    """Request latency per route, as plain ASGI middleware (Starlette's BaseHTTPMiddleware costs a
    task and a stream per request)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: ASGIScope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        try:
            await self.app(scope, receive, send)
        finally:
            # Label by the matched route's path template only (bounded cardinality).
            route = scope.get("route")
            label = getattr(route, "path", "unmatched") if route is not None else "unmatched"
            REQUEST_LATENCY.labels(label, scope["method"]).observe(time.perf_counter() - started)


# Python's cyclic collector ran every ~700 allocations and, in full, over every object of the process
# (~175,000 after start: the schema, its types, the modules): under 16 clients it took ~20 % of the
# server's CPU, some collections over 100 ms. What exists once the app has started lives as long as the
# process, so it is moved out of the collector's sight (`gc.freeze`), and young objects are collected
# every 10,000 allocations: a request's objects mostly die by reference counting before then.
YOUNG_COLLECTION_THRESHOLD = 10_000


def _settle_garbage_collector() -> None:
    gc.collect()  # what is garbage now is freed, not frozen
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, middle, old)


class RegistryApp(FastAPI):
    """FastAPI, with /graphql served past FastAPI's own layers.

    Every request to /graphql passes through the app's middlewares (the limits, the request log, CORS,
    the latency histogram) straight to the GraphQL endpoint, which answers its refusals itself (bad
    bodies, tokens, limits: `GraphQLEndpoint.__call__`; anything unexpected: `GuardRequests`). FastAPI's
    error pages, exception handlers, routing and telemetry, which it would add around it, cost ~0.16 ms
    of CPU per request (measured over HTTP at egi matchmaking). Every other route is FastAPI's as usual,
    and so is a /graphql request routing would refuse (another method: 405)."""

    graphql_route: NamedRoute | None = None
    _graphql_app: ASGIApp | None = None

    async def __call__(self, scope: ASGIScope, receive: Receive, send: Send) -> None:
        route = self.graphql_route
        if route is not None and scope["type"] == "http":
            match, child_scope = route.matches(scope)
            if match is Match.FULL:
                if self._graphql_app is None:
                    self._graphql_app = self._with_middlewares(route.app)
                scope.update(child_scope)
                scope["app"] = self
                scope["router"] = self.router
                await self._graphql_app(scope, receive, send)
                return
        await super().__call__(scope, receive, send)

    def _with_middlewares(self, app: ASGIApp) -> ASGIApp:
        """`app` inside the app's middlewares, stacked as Starlette stacks them (the last added outermost)."""
        for middleware in reversed(self.user_middleware):
            app = middleware.cls(app, *middleware.args, **middleware.kwargs)
        return app


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        database = open_database(settings)
        app.state.database = database
        app.state.settings = settings
        issuer_http = httpx.AsyncClient(timeout=httpx.Timeout(5.0), follow_redirects=False)
        app.state.verifier = TokenVerifier(settings, issuer_http)
        app.state.constraints_applied = asyncio.Event()
        # Neo4j may come up after the app (compose, Kubernetes): if it does not answer now, keep
        # trying in the background and report not-ready on /readyz meanwhile, rather than fail.
        task = asyncio.create_task(_apply_constraints_when_reachable(database, app.state.constraints_applied))
        app.state.documents = None
        sweeper = None
        if settings.documents_enabled:
            store = S3DocumentStore(settings)
            await store.open()
            app.state.documents = store
            sweeper = asyncio.create_task(_sweep_documents(database, store, settings.document_sweep_interval_s))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(app.state.constraints_applied.wait()), timeout=10.0)
        if settings.tune_garbage_collector:
            _settle_garbage_collector()
        metrics_server = None
        # With several workers, the serving command's own process serves the port (registry/cli.py).
        if settings.metrics_port is not None and not os.environ.get(PARENT_SERVES_METRICS_VARIABLE):
            metrics_server = serve_metrics(settings.metrics_port, settings.metrics_host)
        try:
            yield
        finally:
            if metrics_server is not None:
                metrics_server.shutdown()
                metrics_server.server_close()
            task.cancel()
            if sweeper is not None:
                sweeper.cancel()
                await app.state.documents.close()
            await issuer_http.aclose()
            await database.close()

    # No /docs, /redoc or /openapi.json: the API is GraphQL, and its schema is introspection's to tell.
    app = RegistryApp(title="Federation Registry", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.add_exception_handler(AuthenticationError, refuse_token)
    schema = build_schema(
        max_depth=settings.max_query_depth,
        max_aliases_count=settings.max_aliases,
        max_tokens=settings.max_tokens,
        cost_limit=settings.cost_limit,
        introspection=settings.introspection,
        field_suggestions=settings.field_suggestions_enabled,
        stored_scalar_shortcut=settings.stored_scalar_shortcut,
        compiled_reads=settings.compiled_reads,
        answers_from_rows=settings.answers_from_rows,
        write_deadline_s=settings.write_deadline_s,
        prepared_operations=settings.prepared_operations,
    )
    explorer = Explorer(settings, schema._schema) if settings.graphiql_enabled else None
    endpoint = GraphQLEndpoint(
        schema,
        settings=settings,
        explorer=explorer,
        graphql_ide="graphiql" if settings.graphiql_enabled else None,
        allow_queries_via_get=settings.get_queries,
        # SLA documents arrive as GraphQL multipart uploads: a "simple" cross-site request, so they must
        # carry a preflight-forcing header besides the bearer token (`parse_http_body`).
        multipart_uploads_enabled=True,
        subscription_protocols=(),
    )
    app.graphql_route = NamedRoute("/graphql", endpoint, methods=["GET", "POST"])
    app.router.routes.append(app.graphql_route)
    if explorer is not None:
        app.router.routes.extend(explorer.routes())

    app.add_middleware(GuardRequests, settings=settings)
    if settings.cors_origins:
        app.add_middleware(CrossOrigin, origins=settings.cors_origins, max_age_s=settings.cors_max_age_s)
    app.add_middleware(LogRequests)
    app.add_middleware(MeasureLatency)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        """The process is alive (says nothing of Neo4j)."""
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz(request: Request, database: DatabaseDep) -> JSONResponse:
        """Neo4j answers and its constraints are in place: the service can serve queries."""
        if not request.app.state.constraints_applied.is_set():
            return JSONResponse({"status": "constraints not applied yet"}, status_code=503)
        # A frozen Neo4j never answers: give up in time for the probe's own timeout.
        with contextlib.suppress(TimeoutError):
            if await asyncio.wait_for(is_ready(database), timeout=settings.readiness_timeout_s):
                return JSONResponse({"status": "ready"})
        return JSONResponse({"status": "neo4j unavailable"}, status_code=503)

    if settings.metrics_on_main_port:

        @app.get("/metrics")
        async def metrics() -> Response:
            return Response(exposition(), media_type=CONTENT_TYPE_LATEST)

    return app
