"""The `registry` command: serve, load a federation file, export the schema, run a local Neo4j."""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIServer

from pydantic import SecretStr

from registry.settings import Settings, get_settings

PROJECT = Path(__file__).resolve().parent.parent
STATE = PROJECT / ".state"
SCHEMA_SDL = PROJECT / "schema" / "schema.graphql"
# Which home the last local Neo4j was started in, so `registry neo4j stop/status` find it.
LAST_NEO4J_HOME = STATE / "neo4j-home"


def _serve(args: argparse.Namespace) -> int:
    from uvicorn.config import LOGGING_CONFIG

    from registry.limits import LimitedHttpToolsProtocol
    from registry.request_log import json_log_config

    settings = get_settings()
    workers = getattr(args, "workers", 1)
    metrics_server = None
    if workers > 1 or os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        metrics_server = _share_metrics(settings, serve_port=workers > 1)
    # Every line as JSON (registry/request_log.py): the registry's own (one per request, a client's
    # error at INFO, an unexpected one at ERROR with its traceback) and uvicorn's.
    log_config = json_log_config(copy.deepcopy(LOGGING_CONFIG))
    # uvloop and httptools (uvicorn[standard]), the parser limiting request heads; no access log of
    # uvicorn's by default: the registry logs every request itself.
    try:
        _run_uvicorn(args, settings, workers, log_config, LimitedHttpToolsProtocol)
    finally:
        if metrics_server is not None:
            metrics_server.shutdown()
    return 0


def _share_metrics(settings: Settings, serve_port: bool) -> WSGIServer | None:
    """Multiprocess metrics: a folder every worker writes its figures into (in the environment before
    they start, cleared of an earlier run's files), summed by /metrics; with several workers the metrics
    port, if any, is served from this process (a port cannot be bound by every worker)."""
    from registry import metrics

    folder = os.environ.get(metrics.MULTIPROCESS_DIR_VARIABLE) or tempfile.mkdtemp(prefix="registry-metrics-")
    metrics.prepare_multiprocess_dir(Path(folder))
    if settings.metrics_port is None or not serve_port:
        return None
    os.environ[metrics.PARENT_SERVES_METRICS_VARIABLE] = "1"
    return metrics.serve_metrics(settings.metrics_port, settings.metrics_host)


def _run_uvicorn(
    args: argparse.Namespace, settings: Settings, workers: int, log_config: dict[str, Any], http: type
) -> None:
    import uvicorn

    uvicorn.run(
        "registry.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=workers,
        loop="uvloop",
        http=http,
        timeout_keep_alive=int(max(1, settings.keep_alive_timeout_s)),
        # On SIGTERM, requests in flight get their deadline to finish, no more.
        timeout_graceful_shutdown=int(settings.request_deadline_s) + 1,
        access_log=getattr(args, "access_log", False),
        log_level="info",
        log_config=log_config,
    )


async def _load(path: Path, settings: Settings) -> int:
    from registry.database import apply_constraints, open_database
    from registry.feeder import load_federation, read_federation

    federation = read_federation(path)
    database = open_database(settings)
    try:
        await database.driver.verify_connectivity()  # no Neo4j: say so now, not after the driver's 30 s of retries
        await apply_constraints(database)
        changes = await load_federation(database, federation)
    finally:
        await database.close()
    print(
        f"loaded {path}: created {sum(changes.created.values())}, updated {sum(changes.updated.values())}, "
        f"removed {sum(changes.removed.values())} nodes"
    )
    return 0


def _load_cmd(args: argparse.Namespace) -> int:
    import neo4j

    from registry.database import NO_NEO4J
    from registry.feeder import FederationFileError
    from resolvers.errors import Refusal

    settings = _connection_settings(args)
    try:
        return asyncio.run(_load(Path(args.file), settings))
    except (FederationFileError, Refusal) as error:
        print(f"registry load: {error}", file=sys.stderr)
        return 2
    except neo4j.exceptions.ServiceUnavailable:
        print(f"registry load: {NO_NEO4J.format(uri=settings.neo4j_uri)}", file=sys.stderr)
        return 3
    except (OSError, neo4j.exceptions.AuthError) as error:
        print(f"registry load: cannot write to Neo4j at {settings.neo4j_uri}: {error}", file=sys.stderr)
        return 3


def _connection_settings(args: argparse.Namespace) -> Settings:
    """The settings, with the Neo4j connection the command line names instead of NEO4J_URI & co."""
    update: dict[str, Any] = {}
    if getattr(args, "uri", None):
        update["neo4j_uri"] = args.uri
    if getattr(args, "user", None):
        update["neo4j_user"] = args.user
    if getattr(args, "database", None):
        update["neo4j_database"] = args.database
    if getattr(args, "password_file", None):
        update["neo4j_password"] = SecretStr(Path(args.password_file).read_text().strip())
    return get_settings().model_copy(update=update)


def _export_schema(args: argparse.Namespace) -> int:
    from schema.root import schema

    sdl = schema.as_str() + "\n"
    if args.output == "-":
        sys.stdout.write(sdl)
    else:
        Path(args.output).write_text(sdl)
    return 0


def _local_neo4j(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The local Neo4j the arguments name: an explicit --home/--bolt-port, else the home it was last
    started in and the port it was started with."""
    from registry.local_neo4j import LocalNeo4j

    home = args.home
    if home is None:
        recorded = LAST_NEO4J_HOME.read_text().strip() if LAST_NEO4J_HOME.exists() else ""
        home = recorded if args.command == "neo4j" and args.action != "start" and recorded else STATE / "neo4j"
    port = args.bolt_port
    if port is None and os.environ.get("NEO4J_PORT"):
        port = int(os.environ["NEO4J_PORT"])
    if port is None and args.command == "neo4j" and args.action != "start":
        return LocalNeo4j.at(Path(home))
    return LocalNeo4j(home=Path(home), port=port or 7687)


def _say(message: str) -> None:
    """Progress of `registry dev` and `registry neo4j start`, at once (stdout may be a pipe)."""
    print(f"registry: {message}", file=sys.stderr, flush=True)


def _start_neo4j(server) -> None:  # type: ignore[no-untyped-def]
    server.start(report=_say)
    LAST_NEO4J_HOME.parent.mkdir(parents=True, exist_ok=True)
    LAST_NEO4J_HOME.write_text(str(server.home))


def _neo4j(args: argparse.Namespace) -> int:
    server = _local_neo4j(args)
    if args.action == "start":
        _start_neo4j(server)
        print(f"neo4j running at {server.uri} (data in {server.home})")
    elif args.action == "stop":
        server.stop()
        print("neo4j stopped")
    else:
        print(f"neo4j {'running' if server.running_pid() else 'stopped'} ({server.uri})")
    return 0


def _dev_issuer(args: argparse.Namespace) -> int:
    import uvicorn

    from registry.dev_issuer import KeyStore, issuer_app, realm_groups
    from registry.feeder import read_federation

    # The login page offers the groups of the federation the registry serves.
    groups = realm_groups(read_federation(Path(args.federation))) if args.federation else None
    app = issuer_app(KeyStore(Path(args.state)), f"http://127.0.0.1:{args.port}", groups=groups)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")
    return 0


def _dev_token(args: argparse.Namespace) -> int:
    from registry.dev_issuer import KeyStore, mint

    keys = KeyStore(Path(args.state))
    base = f"http://127.0.0.1:{args.issuer_port}"
    groups = list(args.group or [])
    print(mint(keys, base, realm=args.realm, groups=groups, admin=args.admin, writer=args.writer,
               subject=args.subject, expires_in=args.expires_in))  # fmt: skip
    return 0


def _wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"nothing answers on 127.0.0.1:{port}")


def _dev(args: argparse.Namespace) -> int:
    """Local Neo4j (unless NEO4J_URI is set) + the example federation + the development issuer
    + the server with GraphiQL, trusting that issuer. SIGTERM and SIGINT stop every child it started."""
    from registry.dev_issuer import trusted_issuers

    # uvicorn restores the handlers it found and re-raises the signal it caught when it stops: with
    # the default SIGTERM handler the process would die there, before the `finally` below.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    server = None
    children: list[subprocess.Popen[bytes]] = []
    try:
        if "NEO4J_URI" not in os.environ:
            server = _local_neo4j(args)
            _start_neo4j(server)
            os.environ["NEO4J_URI"] = server.uri
        issuer_port = args.issuer_port
        _say(f"development token issuer on http://127.0.0.1:{issuer_port}")
        issuer_command = ["dev-issuer", "--port", str(issuer_port), "--state", args.state, "--federation", args.file]
        children.append(subprocess.Popen([sys.executable, "-m", "registry.cli", *issuer_command]))
        # SLA documents: an S3-protocol server on loopback (moto's; in-memory, so documents last as long as
        # it runs), unless an object store is configured already.
        if "REGISTRY_S3_ENDPOINT_URL" not in os.environ:
            _say(f"S3 server for SLA documents on http://127.0.0.1:{args.s3_port} (in memory)")
            children.append(
                subprocess.Popen(
                    [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(args.s3_port)],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            os.environ.update(
                REGISTRY_S3_ENDPOINT_URL=f"http://127.0.0.1:{args.s3_port}",
                REGISTRY_S3_ACCESS_KEY="dev",
                REGISTRY_S3_SECRET_KEY="dev-secret",
                REGISTRY_S3_CREATE_BUCKET="true",
            )
            _wait_for_port(args.s3_port)
        issuers = trusted_issuers(f"http://127.0.0.1:{issuer_port}")
        os.environ.setdefault("REGISTRY_ENVIRONMENT", "development")
        os.environ["REGISTRY_ISSUERS"] = json.dumps([i.model_dump() for i in issuers])
        get_settings.cache_clear()
        _say(f"loading {args.file} into {os.environ['NEO4J_URI']}")
        if _load_cmd(argparse.Namespace(file=args.file)) != 0:
            return 2
        token_command = ".venv/bin/registry dev-token --group ml-infn"
        if issuer_port != 8001:
            token_command += f" --issuer-port {issuer_port}"
        print(f"Explorer (GraphiQL; Log in at the top right): http://{args.host}:{args.port}/graphql", flush=True)
        print(f"A token:  {token_command}", flush=True)
        _say("starting the server; it is ready when uvicorn says 'Application startup complete'")
        return _serve(args)
    finally:
        # A second signal must not cut the clean-up short.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for child in children:
            child.terminate()
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        if server is not None:
            server.stop()


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="registry", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve /graphql, /healthz, /readyz, /metrics")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="worker processes (each with its own Neo4j pool)")
    serve.add_argument("--access-log", action="store_true", help="log every request")
    serve.set_defaults(run=_serve)

    load = commands.add_parser(
        "load", help="write a federation file into Neo4j (a transaction per provider, idempotent)"
    )
    load.add_argument("file")
    load.add_argument("--uri", help="the Neo4j server, e.g. bolt://db.example.org:7687 (default: $NEO4J_URI)")
    load.add_argument("--user", help="default: $NEO4J_USER, else neo4j")
    load.add_argument(
        "--password-file", help="a file holding the password (default: $NEO4J_PASSWORD; unset: no authentication)"
    )
    load.add_argument("--database", help="default: $NEO4J_DATABASE, else neo4j")
    load.set_defaults(run=_load_cmd)

    feed_parser = commands.add_parser(
        "feed", help="harvest the configured OpenStack and Kubernetes providers into the registry"
    )
    from registry.feeder import command as feed_command

    feed_command.add_arguments(feed_parser)
    feed_parser.set_defaults(run=feed_command.main)

    export = commands.add_parser("export-schema", help="print or write the GraphQL SDL")
    export.add_argument("output", nargs="?", default=str(SCHEMA_SDL), help="a path, or - for stdout")
    export.set_defaults(run=_export_schema)

    for name, helptext in (
        ("neo4j", "start/stop a local Neo4j 5.26 (no Docker needed)"),
        ("dev", "local Neo4j + example federation + server with GraphiQL"),
    ):
        sub = commands.add_parser(name, help=helptext)
        if name == "neo4j":
            sub.add_argument("action", choices=["start", "stop", "status"])
            sub.set_defaults(run=_neo4j)
        else:
            sub.add_argument("--file", default=str(PROJECT / "examples" / "federation.yaml"))
            sub.add_argument("--issuer-port", type=int, default=8001)
            sub.add_argument("--s3-port", type=int, default=9100, help="the local S3 server's port")
            sub.add_argument("--state", default=str(STATE / "dev-issuer"), help="the development issuer's keys")
            sub.add_argument("--host", default="127.0.0.1")
            sub.add_argument("--port", type=int, default=8000)
            sub.set_defaults(run=_dev)
        sub.add_argument("--home", default=None, help="data and pid folder (default: .state/neo4j; stop/status: "
                         "the last started)")  # fmt: skip
        sub.add_argument(
            "--bolt-port", type=int, default=None,
            help="default: $NEO4J_PORT, else 7687 (stop/status: the port it was started with)",
        )  # fmt: skip

    dev_issuer = commands.add_parser("dev-issuer", help="serve the development OIDC issuer (discovery + JWKS)")
    dev_issuer.add_argument("--port", type=int, default=8001)
    dev_issuer.add_argument("--state", default=str(STATE / "dev-issuer"), help="where its keys are kept")
    dev_issuer.add_argument("--federation", default=None, help="a federation file whose groups the login page offers")
    dev_issuer.set_defaults(run=_dev_issuer)

    token = commands.add_parser("dev-token", help="print a token of the development issuer")
    token.add_argument("--group", action="append", help="a user group the token lists (repeatable)")
    token.add_argument("--realm", choices=["infn", "egi"], default="infn", help="INFN IAM or EGI Check-in groups")
    token.add_argument("--admin", action="store_true", help="carry the administrator entitlement")
    token.add_argument("--writer", action="store_true", help="carry the writer (feeder) entitlement")
    token.add_argument("--subject", default="developer")
    token.add_argument("--expires-in", type=int, default=3600, help="seconds")
    token.add_argument("--issuer-port", type=int, default=8001)
    token.add_argument("--state", default=str(STATE / "dev-issuer"))
    token.set_defaults(run=_dev_token)

    args = parser.parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    raise SystemExit(main())
