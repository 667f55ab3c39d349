"""A feed run: harvest the configured providers in parallel (bounded, each within its timeout), write
each harvested bundle in its own transaction, optionally prune providers no longer configured, and
report per provider.

A provider any part of which could not be read is NOT written: its last-known data stays as it was
(a bundle that silently lacked what could not be read would delete it), and the run reports it as
failed. Up to `writers` providers are written at once (2 by default: at 200 providers one writer
makes the writes, one after another, the bound of the run), each in its own transaction: the
reconcile takes what providers share (identity providers, groups, SLAs, locations) last and in one
order, and the driver retries a transaction that lost a deadlock. A dry run writes one at a time (its
transaction is not the driver's managed one, so a lost deadlock would not be retried).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import httpx
from prometheus_client import Counter as MetricCounter
from prometheus_client import Gauge
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from registry.feeder.config import FeederConfig, KubernetesProvider, OpenStackProvider
from registry.feeder.federation_file import add_changes
from registry.feeder.harvest import Failure, Harvest, recorded, safe_message
from registry.feeder.workers import HarvestWorkers, harvester_of
from resolvers.db import Database
from resolvers.edits import delete_node
from resolvers.federation_file import ProviderBundle
from resolvers.federation_graph import federation_graph, stable_uid
from resolvers.reconcile import Actor, Changes, reconcile

log = logging.getLogger("registry.feeder")

ACTOR = Actor(issuer="local", subject="registry feed")

HARVESTS = MetricCounter(
    "feeder_harvests_total", "Provider harvests, by provider and outcome.", ["provider", "outcome"]
)
LAST_SUCCESS = Gauge(
    "feeder_last_success_timestamp_seconds", "When each provider was last harvested and written.", ["provider"]
)
HARVEST_SECONDS = Gauge("feeder_harvest_seconds", "How long the last harvest of each provider took.", ["provider"])
NODES_WRITTEN = MetricCounter(
    "feeder_nodes_written_total", "Nodes created, updated or removed by the feeder.", ["provider", "change"]
)
RUNS = MetricCounter("feeder_runs_total", "Feed runs, by whether every provider landed.", ["outcome"])


Outcome = Literal["OK", "PARTIAL", "FAILED", "PRUNED"]
OUTCOMES: dict[str, Outcome] = {"ok": "OK", "partial": "PARTIAL", "failed": "FAILED"}


@dataclass
class ProviderReport:
    provider: str
    type: str
    outcome: Outcome
    seconds: float = 0.0
    write_seconds: float = 0.0  # its transaction (at most `writers` at once: their sum / writers bounds a run)
    changes: Changes = field(default_factory=Changes)
    failures: list[Failure] = field(default_factory=list)

    @property
    def error(self) -> str:
        return "; ".join(str(f) for f in self.failures)


class Writer(Protocol):
    """Where bundles go: Neo4j directly, or a registry's API."""

    async def write(self, bundle: ProviderBundle, *, dry_run: bool) -> Changes: ...

    async def stored_providers(self) -> list[tuple[str, str, str]]:
        """(uid, name, type) of every stored provider."""
        ...

    async def remove(self, uid: str, *, dry_run: bool) -> Counter[str]: ...


class DirectWriter:
    """Straight to Neo4j, through the reconcile path of `upsertProviderBundle`."""

    def __init__(self, database: Database, actor: Actor = ACTOR) -> None:
        self.database = database
        self.actor = actor

    async def write(self, bundle: ProviderBundle, *, dry_run: bool) -> Changes:
        graph = federation_graph(bundle.as_federation())
        return await reconcile(self.database, graph, actor=self.actor, dry_run=dry_run)

    async def stored_providers(self) -> list[tuple[str, str, str]]:
        rows = await self.database.read("MATCH (p:Provider) RETURN p.uid AS uid, p.name AS name, p.type AS type", {})
        return [(r["uid"], r["name"], r["type"]) for r in rows]

    async def remove(self, uid: str, *, dry_run: bool) -> Counter[str]:
        if dry_run:
            rows = await self.database.read(
                "MATCH (p:Provider {uid: $uid}) "
                "OPTIONAL MATCH (p)-[:DIVIDED_INTO|HOSTS|SUPPLIES|OFFERS|HAS_QUOTA*1..3]->(n) "
                "RETURN count(DISTINCT n) + 1 AS nodes",
                {"uid": uid},
            )
            return Counter({"nodes": rows[0]["nodes"] if rows else 0})
        return await delete_node(self.database, "Provider", uid, str(self.actor))


class ClientCredentials:
    """An OAuth2 access token by the client-credentials grant, fetched again shortly before it expires."""

    def __init__(self, token_url: str, client_id: str, client_secret: str) -> None:
        self.token_url = token_url
        self.client_id = client_id
        self._secret = client_secret
        self._token: str | None = None
        self._expires = 0.0

    async def token(self, http: httpx.AsyncClient) -> str:
        if self._token is None or time.monotonic() > self._expires - 30:
            response = await http.post(
                self.token_url,
                data={"grant_type": "client_credentials"},
                auth=(self.client_id, self._secret),
            )
            if response.status_code != 200:
                raise PermissionError(f"token endpoint answered {response.status_code}: {response.text[:200]}")
            body = response.json()
            self._token = str(body["access_token"])
            self._expires = time.monotonic() + float(body.get("expires_in", 300))
        return self._token


_UPSERT = """mutation($bundle: JSON!, $dryRun: Boolean!) { upsertProviderBundle(bundle: $bundle, dryRun: $dryRun) {
  created { label count } updated { label count } removed { label count } edgesCreated edgesUpdated edgesRemoved } }"""
_PROVIDERS = """query($after: String) {
  providers(first: 100, after: $after) { nodes { id name type } pageInfo { hasNextPage endCursor } } }"""
_DELETE = "mutation($id: ID!) { deleteProvider(id: $id) { removed { label count } } }"


class RegistryWriter:
    """To a running registry's GraphQL API, as a writer (a token by OAuth2 client credentials)."""

    def __init__(
        self, url: str, credentials: ClientCredentials, timeout: float = 120.0, http: httpx.AsyncClient | None = None
    ) -> None:
        self.url = url
        self.credentials = credentials
        self.http = http or httpx.AsyncClient(timeout=timeout)
        self.issuer_http = httpx.AsyncClient(timeout=timeout)

    async def _ask(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        token = await self.credentials.token(self.issuer_http)
        response = await self.http.post(
            self.url, json={"query": query, "variables": variables}, headers={"Authorization": f"Bearer {token}"}
        )
        body = response.json()
        if body.get("errors"):
            raise RuntimeError("; ".join(e.get("message", "?") for e in body["errors"]))
        return dict(body["data"])

    async def write(self, bundle: ProviderBundle, *, dry_run: bool) -> Changes:
        data = await self._ask(_UPSERT, {"bundle": bundle.model_dump(mode="json", by_alias=True), "dryRun": dry_run})
        answer = data["upsertProviderBundle"]
        changes = Changes()
        for kind in ("created", "updated", "removed"):
            getattr(changes, kind).update({c["label"]: c["count"] for c in answer[kind]})
        changes.edges_created = answer["edgesCreated"]
        changes.edges_updated = answer["edgesUpdated"]
        changes.edges_removed = answer["edgesRemoved"]
        return changes

    async def stored_providers(self) -> list[tuple[str, str, str]]:
        found, after = [], None
        while True:
            page = (await self._ask(_PROVIDERS, {"after": after}))["providers"]
            found += [(n["id"], n["name"], n["type"].lower()) for n in page["nodes"]]
            if not page["pageInfo"]["hasNextPage"]:
                return found
            after = page["pageInfo"]["endCursor"]

    async def remove(self, uid: str, *, dry_run: bool) -> Counter[str]:
        if dry_run:
            return Counter({"Provider": 1})
        data = await self._ask(_DELETE, {"id": uid})
        return Counter({c["label"]: c["count"] for c in data["deleteProvider"]["removed"]})

    async def close(self) -> None:
        await self.http.aclose()
        await self.issuer_http.aclose()


class Display:
    """Progress on a terminal (rich); plain log lines otherwise."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)
        self.live = self.console.is_terminal
        self.progress = Progress(
            SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=self.console, transient=True
        )
        self.tasks: dict[str, TaskID] = {}

    def __enter__(self) -> Display:
        if self.live:
            self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.live:
            self.progress.stop()

    def started(self, name: str) -> None:
        if self.live:
            self.tasks[name] = self.progress.add_task(f"{name}: harvesting", total=None)
        else:
            log.info("%s: harvesting", name)

    def finished(self, report: ProviderReport, dry_run: bool) -> None:
        changes = report.changes
        verb = "would change" if dry_run else "changed"
        if report.outcome in ("FAILED", "PARTIAL"):
            line = f"{report.provider}: {report.outcome} in {report.seconds:.1f} s: {report.error}"
        else:
            line = (
                f"{report.provider}: {report.outcome} in {report.seconds:.1f} s, {verb}: "
                f"created {_counts(changes.created)}; updated {_counts(changes.updated)}; "
                f"removed {_counts(changes.removed)}"
            )
        if self.live:
            task = self.tasks.pop(report.provider, None)
            if task is not None:
                self.progress.remove_task(task)
            self.console.print(line, markup=False, highlight=False)
        else:
            (log.warning if report.outcome in ("FAILED", "PARTIAL") else log.info)("%s", line)


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{label} {count}" for label, count in sorted(counter.items()) if count) or "nothing"


def summary(reports: list[ProviderReport], *, dry_run: bool) -> Table:
    """One row per provider: outcome, time, how many nodes it created/updated/removed, and why it failed."""
    table = Table(title="feed " + ("(dry run: nothing written)" if dry_run else "summary"))
    for column in ("provider", "type", "outcome", "s", "created", "updated", "removed", "edges ±"):
        table.add_column(column, no_wrap=True)
    table.add_column("error", overflow="fold")
    for r in reports:
        c = r.changes
        edges = c.edges_created + c.edges_updated + c.edges_removed
        table.add_row(r.provider, r.type, r.outcome, f"{r.seconds:.1f}", str(sum(c.created.values())),
                      str(sum(c.updated.values())), str(sum(c.removed.values())), str(edges), r.error)  # fmt: skip
    return table


async def _harvest_one(
    harvesters: ThreadPoolExecutor | HarvestWorkers,
    config: FeederConfig,
    provider: OpenStackProvider | KubernetesProvider,
) -> Harvest:
    started = time.monotonic()
    # The harvest also stops itself at the deadline (each call is bounded by what is left); this bound
    # holds even if a library ignores its timeout.
    bound = provider.timeout + 1.0
    try:
        if isinstance(harvesters, HarvestWorkers):
            return await harvesters.harvest(provider, bound)
        loop = asyncio.get_running_loop()
        return await asyncio.wait_for(
            loop.run_in_executor(harvesters, harvester_of(provider), config, provider), timeout=bound
        )
    except TimeoutError:
        failure = Failure("", "", f"no answer within the provider's timeout of {provider.timeout:g} s")
        return Harvest(provider.name, failures=[failure], seconds=time.monotonic() - started)
    except Exception as error:  # a bug or an unexpected answer: this provider fails, the run goes on
        log.exception("%s: harvest failed", provider.name)
        return Harvest(
            provider.name, failures=[Failure("", "", safe_message(error))], seconds=time.monotonic() - started
        )


async def feed(
    config: FeederConfig,
    writer: Writer,
    *,
    only: set[str] | None = None,
    concurrency: int = 4,
    writers: int = 2,
    processes: int = 0,
    dry_run: bool = False,
    prune: bool = False,
    display: Display | None = None,
) -> list[ProviderReport]:
    """One run over the configured providers (or `only` those); a report per provider, in config order.
    `processes` > 0: harvested in that many worker processes (`concurrency` at once over them all),
    else in threads of this process."""
    providers = [p for p in config.providers if not only or p.name in only]
    unknown = (only or set()) - {p.name for p in config.providers}
    if unknown:
        raise ValueError(f"not configured: {', '.join(sorted(unknown))}")
    display = display or Display()
    slots = asyncio.Semaphore(concurrency)
    # Harvests outpace the writes: without a bound, every harvested bundle of a big federation waits in
    # memory for its turn (the feeder's RSS grew with the number of providers).
    unwritten = asyncio.Semaphore(2 * concurrency)
    write_slots = asyncio.Semaphore(1 if dry_run else writers)
    harvesters: ThreadPoolExecutor | HarvestWorkers
    if processes > 0:
        spread = min(processes, concurrency, len(providers) or 1)
        harvesters = HarvestWorkers(config, spread, threads=-(-concurrency // spread))
    else:
        harvesters = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="harvest")
    reports: dict[str, ProviderReport] = {}

    async def one(provider: OpenStackProvider | KubernetesProvider) -> None:
        async with unwritten:
            await harvest_and_write(provider)

    async def harvest_and_write(provider: OpenStackProvider | KubernetesProvider) -> None:
        async with slots:
            display.started(provider.name)
            harvest = await _harvest_one(harvesters, config, provider)
        report = ProviderReport(
            provider.name, provider.type, "FAILED", harvest.seconds, failures=list(harvest.failures)
        )
        # Whatever the outcome, the registry learns it: what was read lands, what was not is kept and
        # marked stale, and the failure is recorded on the provider (a failure never deletes data).
        try:
            async with write_slots:
                writing = time.monotonic()
                try:
                    report.changes = await writer.write(recorded(config, provider, harvest), dry_run=dry_run)
                finally:
                    report.write_seconds = time.monotonic() - writing
            report.outcome = OUTCOMES[harvest.outcome]
        except Exception as error:
            # A dangling reference, a uniqueness clash, the registry refusing: this provider fails, not the run.
            report.failures.append(Failure("", "write", safe_message(error)))
        HARVESTS.labels(provider.name, report.outcome).inc()
        HARVEST_SECONDS.labels(provider.name).set(report.seconds)
        if report.outcome == "OK" and not dry_run:
            LAST_SUCCESS.labels(provider.name).set(time.time())
            for change, counter in (
                ("created", report.changes.created),
                ("updated", report.changes.updated),
                ("removed", report.changes.removed),
            ):
                NODES_WRITTEN.labels(provider.name, change).inc(sum(counter.values()))
        reports[provider.name] = report
        display.finished(report, dry_run)

    try:
        with display:
            await asyncio.gather(*(one(p) for p in providers))
    finally:
        if isinstance(harvesters, HarvestWorkers):
            harvesters.close()
        else:
            harvesters.shutdown(wait=False, cancel_futures=True)
    ordered = [reports[p.name] for p in providers]
    if prune:
        configured = {stable_uid("Provider", p.name, p.type) for p in config.providers}
        for uid, name, type_ in await writer.stored_providers():
            if uid not in configured:
                removed = await writer.remove(uid, dry_run=dry_run)
                report = ProviderReport(name, type_, "PRUNED")
                report.changes.removed.update(removed)
                ordered.append(report)
                display.finished(report, dry_run)
    RUNS.labels("ok" if all(r.outcome in ("OK", "PRUNED") for r in ordered) else "failed").inc()
    return ordered


def report_json(report: ProviderReport) -> dict[str, Any]:
    c = report.changes
    return {
        "provider": report.provider, "type": report.type, "outcome": report.outcome,
        "seconds": round(report.seconds, 3), "writeSeconds": round(report.write_seconds, 3),
        "created": dict(c.created), "updated": dict(c.updated), "removed": dict(c.removed),
        "edgesCreated": c.edges_created, "edgesUpdated": c.edges_updated, "edgesRemoved": c.edges_removed,
        "error": report.error,
    }  # fmt: skip


def total_changes(reports: list[ProviderReport]) -> Changes:
    total = Changes()
    for report in reports:
        add_changes(total, report.changes)
    return total


_DURATION = re.compile(r"^(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?(?:(?P<s>\d+)s?)?$")


def parse_duration(text: str) -> dt.timedelta:
    """'90', '90s', '15m', '1h30m' as a timedelta (> 0)."""
    found = _DURATION.match(text.strip())
    if not found or not any(found.groupdict().values()):
        raise ValueError(f"{text!r} is not a duration like 90s, 15m or 1h30m")
    parts = {k: int(v) for k, v in found.groupdict().items() if v}
    duration = dt.timedelta(hours=parts.get("h", 0), minutes=parts.get("m", 0), seconds=parts.get("s", 0))
    if duration.total_seconds() <= 0:
        raise ValueError("the duration must be positive")
    return duration


def configure_logging() -> None:
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
