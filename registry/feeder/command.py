"""`registry feed`: the command that runs the feeder once or every DURATION, and its demo."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the clients load in ~1 s: only `registry feed` pays for them
    from rich.console import Console

    from registry.feeder.config import FeederConfig
    from registry.feeder.loopback_clouds import Clouds
    from registry.feeder.run import ProviderReport, Writer

from registry.settings import get_settings

log = logging.getLogger("registry.feeder")

PROJECT = Path(__file__).resolve().parent.parent.parent
DEMO = PROJECT / "examples" / "feeder"
DEMO_PORT = 18770  # the demo configuration's clouds are served here (examples/feeder/providers.yaml)
DEV_ISSUER_STATE = PROJECT / ".state" / "dev-issuer"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("config", nargs="?", help="a provider configuration file, or a folder of them")
    parser.add_argument("--dry-run", action="store_true", help="print what would change per provider; write nothing")
    parser.add_argument("--prune", action="store_true", help="remove stored providers no longer configured")
    parser.add_argument("--provider", action="append", metavar="NAME", help="only this provider (repeatable)")
    parser.add_argument("--concurrency", type=int, default=4, help="providers harvested at once (default 4)")
    parser.add_argument(
        "--writers", type=int, default=2, help="providers written at once, each in its own transaction (default 2)"
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="harvest in this many worker processes, the --concurrency harvests spread over them "
        "(default 1; 0: in threads of the writing process)",
    )
    parser.add_argument("--every", metavar="DURATION", help="keep running, harvesting every DURATION (e.g. 15m)")
    parser.add_argument("--metrics-port", type=int, default=9464, help="with --every: /metrics on this port")
    parser.add_argument("--registry", metavar="URL", help="send bundles to this registry's /graphql (else: Neo4j)")
    parser.add_argument("--token-url", help="the OAuth2 token endpoint for --registry (client credentials)")
    parser.add_argument("--client-id", default="registry-feeder", help="the feeder's OAuth2 client id")
    parser.add_argument("--client-secret-file", type=Path, help="file holding the client secret")
    parser.add_argument(
        "--client-secret-env", default="FEEDER_CLIENT_SECRET", help="variable holding the client secret (default)"
    )
    parser.add_argument("--report", type=Path, help="also write the per-provider outcome and changes as JSON here")
    parser.add_argument("--demo", action="store_true", help="harvest the example providers from loopback clouds")
    parser.add_argument("--schema", action="store_true", help="print the configuration's JSON Schema and exit")


def _client_secret(args: argparse.Namespace) -> str:
    from registry.feeder.config import ConfigError

    if args.client_secret_file is not None:
        return Path(args.client_secret_file).read_text().strip()
    if secret := os.environ.get(args.client_secret_env):
        return secret
    if args.demo:  # the development issuer's own record of the feeder's client (registry dev)
        from registry.dev_issuer import Clients

        return Clients(DEV_ISSUER_STATE).secret()
    raise ConfigError(f"no client secret: set {args.client_secret_env} or give --client-secret-file")


@contextlib.asynccontextmanager
async def _writer(args: argparse.Namespace) -> AsyncIterator[Writer]:
    from registry.feeder.config import ConfigError
    from registry.feeder.run import ClientCredentials, DirectWriter, RegistryWriter

    if args.registry:
        token_url = args.token_url
        if token_url is None and args.demo:
            from registry.dev_issuer import token_endpoint

            token_url = token_endpoint("http://127.0.0.1:8001")
        if token_url is None:
            raise ConfigError("--registry needs --token-url (the issuer's OAuth2 token endpoint)")
        writer = RegistryWriter(args.registry, ClientCredentials(token_url, args.client_id, _client_secret(args)))
        try:
            yield writer
        finally:
            await writer.close()
        return
    from registry.database import apply_constraints, open_database

    database = open_database(get_settings())
    try:
        await database.driver.verify_connectivity()  # no Neo4j: say so now, not after the driver's 30 s of retries
        await apply_constraints(database)
        yield DirectWriter(database)
    finally:
        await database.close()


def _demo_secrets(config: FeederConfig, clouds: Clouds) -> None:
    """The demo's credentials are references like any others: set the variables they name from the demo clouds."""
    from registry.feeder.config import ApplicationCredential, OpenStackProvider

    for provider in config.providers:
        if not isinstance(provider, OpenStackProvider):
            continue
        cloud = clouds.clouds.get(provider.name, {})
        known = cloud.get("users", {}).get("applicationCredentials", {})
        for project in provider.projects:
            credentials = project.credentials
            if isinstance(credentials, ApplicationCredential) and credentials.secret.env and credentials.id in known:
                os.environ.setdefault(credentials.secret.env, known[credentials.id]["secret"])
    for name, cloud in clouds.clouds.items():
        if "kubernetes" in cloud:
            os.environ.setdefault(f"{name.replace('-', '_')}_TOKEN", cloud["kubernetes"]["token"])


async def _run(args: argparse.Namespace, config: FeederConfig, console: Console) -> list[ProviderReport]:
    from rich.console import Console

    from registry.feeder.run import Display, feed, summary

    async with _writer(args) as writer:
        reports = await feed(
            config,
            writer,
            only=set(args.provider) if args.provider else None,
            concurrency=args.concurrency,
            writers=args.writers,
            processes=args.processes,
            dry_run=args.dry_run,
            prune=args.prune,
            display=Display(Console(stderr=True)),
        )
    console.print(summary(reports, dry_run=args.dry_run))
    return reports


def _failed(args: argparse.Namespace, reports: list[ProviderReport]) -> bool:
    """Whether a provider failed; the reports also go to --report as JSON."""
    from registry.feeder.run import report_json

    if args.report is not None:
        Path(args.report).write_text(json.dumps([report_json(r) for r in reports], indent=1) + "\n")
    return any(r.outcome in ("FAILED", "PARTIAL") for r in reports)


def _feed(args: argparse.Namespace, config: FeederConfig) -> int:
    from prometheus_client import start_http_server
    from rich.console import Console

    from registry.feeder.run import parse_duration

    console = Console(width=None if sys.stdout.isatty() else 200)  # a log file gets the whole table
    if args.every is None:
        return 1 if _failed(args, asyncio.run(_run(args, config, console))) else 0
    period = parse_duration(args.every).total_seconds()
    start_http_server(args.metrics_port, addr="127.0.0.1")
    log.info("harvesting every %s; metrics on http://127.0.0.1:%d/metrics", args.every, args.metrics_port)
    failed = False
    try:
        while True:
            started = time.monotonic()
            failed = _failed(args, asyncio.run(_run(args, config, console)))
            time.sleep(max(0.0, period - (time.monotonic() - started)))
    except KeyboardInterrupt:
        return 1 if failed else 0


def main(args: argparse.Namespace) -> int:
    import neo4j

    from registry.database import NO_NEO4J
    from registry.feeder.config import ConfigError, dump_schema, read_config
    from registry.feeder.loopback_clouds import Clouds, LoopbackClouds
    from registry.feeder.run import configure_logging

    configure_logging()
    if args.schema:
        sys.stdout.write(dump_schema())
        return 0
    if args.concurrency < 1 or args.writers < 1 or args.processes < 0:
        print("registry feed: --concurrency and --writers must be at least 1, --processes 0 or more", file=sys.stderr)
        return 2
    try:
        if args.demo:
            config = read_config(Path(args.config) if args.config else DEMO / "providers.yaml")
            clouds = Clouds.from_folder(DEMO / "clouds")
            with LoopbackClouds(clouds, port=DEMO_PORT):
                _demo_secrets(config, clouds)
                return _feed(args, config)
        if args.config is None:
            print("registry feed: give a configuration file or folder (or --demo)", file=sys.stderr)
            return 2
        return _feed(args, read_config(Path(args.config)))
    except (ConfigError, ValueError) as error:
        print(f"registry feed: {error}", file=sys.stderr)
        return 2
    except neo4j.exceptions.ServiceUnavailable:
        print(f"registry feed: {NO_NEO4J.format(uri=get_settings().neo4j_uri)}", file=sys.stderr)
        return 3
    except neo4j.exceptions.AuthError as error:  # as `registry load`: the database refused, not the input
        print(f"registry feed: cannot write to Neo4j at {get_settings().neo4j_uri}: {error}", file=sys.stderr)
        return 3
