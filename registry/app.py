"""The FastAPI application: /graphql, health and readiness probes, Prometheus metrics."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

import httpx
import neo4j
from fastapi import Depends, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, Histogram, generate_latest
from starlette.routing import Match, Route
from starlette.types import ASGIApp, Receive, Send
from starlette.types import Scope as ASGIScope
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from registry.auth import AuthenticationError, TokenVerifier, bearer_token
from registry.database import apply_constraints, is_ready, open_database
from registry.settings import Settings, get_settings
from registry.storage import S3DocumentStore
from resolvers.context import RequestContext
from resolvers.db import Database
from resolvers.documents import sweep_unreferenced
from resolvers.errors import StorageUnavailable
from resolvers.visibility import Scope
from schema.errors import ErrorCode, coded
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
        return Scope.anonymous_caller()
    verifier: TokenVerifier = request.app.state.verifier
    return (await verifier.verify(token)).scope()


class NamedRoute(Route):
    """A route to a plain ASGI app that, like FastAPI's own routes, names itself in the scope (the
    request metrics are labelled by it)."""

    def matches(self, scope: ASGIScope) -> tuple[Match, ASGIScope]:
        match, child_scope = super().matches(scope)
        return match, {**child_scope, "route": self}


class GraphQLEndpoint(GraphQL[RequestContext, None]):
    """/graphql: Strawberry's ASGI app, its context made from the app's state and the caller's token.

    Not Strawberry's FastAPI router: that solves a graph of FastAPI dependencies for every request,
    about a quarter of the server's CPU for a small query (the dashboards' dropdown)."""

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> RequestContext:
        assert isinstance(request, Request)  # no subscriptions: websockets are refused before this
        state = request.app.state
        return RequestContext(
            database=state.database,
            scope=await caller_scope(request),
            documents=state.documents,
            document_max_bytes=state.settings.document_max_bytes,
        )


async def refuse_token(request: Request, error: Exception) -> JSONResponse:
    """401 with a GraphQL-shaped body: the reason, never the token."""
    reason = error.reason if isinstance(error, AuthenticationError) else "unauthenticated"
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
        try:
            yield
        finally:
            task.cancel()
            if sweeper is not None:
                sweeper.cancel()
                await app.state.documents.close()
            await issuer_http.aclose()
            await database.driver.close()

    app = FastAPI(title="Federation Registry", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.add_exception_handler(AuthenticationError, refuse_token)
    endpoint = GraphQLEndpoint(
        build_schema(max_depth=settings.max_query_depth, stored_scalar_shortcut=settings.stored_scalar_shortcut),
        graphql_ide="graphiql" if settings.graphiql_enabled else None,
        allow_queries_via_get=settings.graphiql_enabled,
        # SLA documents arrive as GraphQL multipart uploads; callers authenticate with a bearer header,
        # which a cross-site form cannot send.
        multipart_uploads_enabled=True,
        subscription_protocols=(),
    )
    app.router.routes.append(NamedRoute("/graphql", endpoint, methods=["GET", "POST"]))

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
        if await is_ready(database):
            return JSONResponse({"status": "ready"})
        return JSONResponse({"status": "neo4j unavailable"}, status_code=503)

    @app.get("/metrics")
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return app
