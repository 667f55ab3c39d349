"""`make soak`: the server in production mode under steady load for SOAK_MINUTES (default 30).

After a warm-up (each question three times, one at a time), 16 clients ask the list, dropdown and
matchmaking questions back to back as a member; a writer upserts
a provider bundle every 10 s; once a minute an attacker sends the breadth bomb of issue 11. Goals:
no normal request fails, the p99 latency of normal requests in the 5 s after each bomb stays within 2x
of the p99 otherwise, and the server's RSS grows at most 10 % from a sixth of the run (minute 5 of
30) to its end. Prints the figures and one JSON line; exits 1 when a goal is missed.

SOAK_SCALE picks the synthetic federation (infn, egi; default infn); NEO4J_URI points at a Neo4j to
use (it is wiped), else a local one is started.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bench.federations import SCALES, synthetic_federation
from bench.load import bulk_load, plan_afresh, wipe
from bench.run import _ms, _stop, _wait_for_port, log
from registry.database import apply_constraints, open_database
from registry.dev_issuer import KeyStore, mint, trusted_issuers
from registry.local_neo4j import LocalNeo4j
from registry.settings import Settings
from tests.bundles import UPSERT, bundle_of
from tests.conftest import _free_port

PROJECT = Path(__file__).resolve().parent.parent
STATE = PROJECT / ".state" / "soak"
CLIENTS = 16
WRITE_EVERY_S = 10.0
BOMB_EVERY_S = 60.0
AFTER_BOMB_S = 5.0
BOMB = (
    "{ flavors(first: 100) { nodes { computeServices { flavors { computeServices { flavors { computeServices {"
    " flavors { computeServices { flavors { computeServices { flavors { computeServices { flavors { name }"
    " } } } } } } } } } } } } } }"
)


@dataclass
class Record:
    samples: list[tuple[float, float]] = field(default_factory=list)  # (started, seconds)
    failures: list[str] = field(default_factory=list)
    bombs: list[float] = field(default_factory=list)  # when each was sent
    bomb_refusals: list[str] = field(default_factory=list)  # the code of each bomb's answer
    writes: int = 0
    write_failures: list[str] = field(default_factory=list)
    rss_mb: list[tuple[float, float]] = field(default_factory=list)  # (elapsed, MB)


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _post(session: aiohttp.ClientSession, url: str, body: dict[str, Any], token: str) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    async with session.post(url, data=json.dumps(body), headers=headers) as response:
        return response.status, await response.json(content_type=None)


async def _client(session: aiohttp.ClientSession, url: str, questions: list[dict[str, Any]], token: str,
                  until: float, record: Record, offset: int) -> None:  # fmt: skip
    turn = offset
    while time.monotonic() < until:
        question = questions[turn % len(questions)]
        turn += 1
        started = time.monotonic()
        try:
            status, payload = await _post(session, url, question, token)
        except (aiohttp.ClientError, TimeoutError) as error:
            record.failures.append(f"{type(error).__name__}: {error}")
            continue
        if status != 200 or payload.get("errors"):
            record.failures.append(f"HTTP {status} {json.dumps(payload)[:300]}")
        else:
            record.samples.append((started, time.monotonic() - started))


async def _warm_up(session: aiohttp.ClientSession, url: str, questions: list[dict[str, Any]], token: str) -> None:
    """Each question a few times, one at a time, before the clock starts: a freshly loaded Neo4j plans
    each statement cold (seconds on a loaded machine), and 16 clients queued behind those first plans
    ran past the 10 s deadline, which says nothing of the service in its steady state."""
    for question in questions * 3:
        status, payload = await _post(session, url, question, token)
        if status != 200 or payload.get("errors"):
            raise SystemExit(f"warm-up failed: HTTP {status} {json.dumps(payload)[:300]}")


async def _writer(session: aiohttp.ClientSession, url: str, bundle: dict[str, Any], token: str, until: float,
                  record: Record) -> None:  # fmt: skip
    while time.monotonic() < until:
        bundle["provider"]["description"] = f"soak write {record.writes}"  # a real change every time
        status, payload = await _post(session, url, {"query": UPSERT, "variables": {"bundle": bundle}}, token)
        record.writes += 1
        if status != 200 or payload.get("errors"):
            record.write_failures.append(f"HTTP {status} {json.dumps(payload)[:300]}")
        await asyncio.sleep(WRITE_EVERY_S)


async def _attacker(session: aiohttp.ClientSession, url: str, token: str, until: float, record: Record) -> None:
    await asyncio.sleep(BOMB_EVERY_S / 2)
    while time.monotonic() < until:
        record.bombs.append(time.monotonic())
        status, payload = await _post(session, url, {"query": BOMB}, token)
        codes = [(e.get("extensions") or {}).get("code") for e in payload.get("errors") or []]
        record.bomb_refusals.append(f"{status} {','.join(map(str, codes))}")
        await asyncio.sleep(BOMB_EVERY_S)


async def _sample_rss(pid: int, started: float, until: float, record: Record) -> None:
    while time.monotonic() < until:
        record.rss_mb.append((time.monotonic() - started, _rss_mb(pid)))
        await asyncio.sleep(10)


def _p99(samples: list[float]) -> float:
    return _ms(samples, 99)


async def main() -> int:
    minutes = float(os.environ.get("SOAK_MINUTES", "30"))
    scale = SCALES[os.environ.get("SOAK_SCALE", "infn")]
    local = None
    neo4j_uri = os.environ.get("NEO4J_URI")
    if neo4j_uri is None:
        local = LocalNeo4j(STATE / "neo4j", port=_free_port(), heap="2g")
        local.start()
        neo4j_uri = local.uri
    issuer = server = None
    try:
        federation = synthetic_federation(scale)
        database = open_database(Settings(neo4j_uri=neo4j_uri))
        try:
            await wipe(database)
            await apply_constraints(database)
            nodes = await bulk_load(database, federation)
            await plan_afresh(database)
        finally:
            await database.close()
        log(f"soak: {scale.name} federation, {nodes} nodes; {minutes:g} minutes")

        issuer_port, server_port = _free_port(), _free_port()
        issuer = _start([sys.executable, "-m", "registry.cli", "dev-issuer", "--port", str(issuer_port),
                         "--state", str(STATE / "issuer")], {})  # fmt: skip
        _wait_for_port(issuer_port, issuer, "the development issuer")
        base = f"http://127.0.0.1:{issuer_port}"
        env = {"NEO4J_URI": neo4j_uri, "REGISTRY_ENVIRONMENT": "production",
               "REGISTRY_ISSUERS": json.dumps([i.model_dump() for i in trusted_issuers(base)])}  # fmt: skip
        server = _start([sys.executable, "-m", "registry.cli", "serve", "--port", str(server_port)], env)
        _wait_for_port(server_port, server, "registry serve")
        keys = KeyStore(STATE / "issuer")
        caller = scale.caller
        member = mint(keys, base, realm="infn", groups=[caller["group"]], subject="soak", expires_in=6 * 3600)
        writer = mint(keys, base, realm="infn", writer=True, subject="soak-writer", expires_in=6 * 3600)
        questions = [
            {"query": (PROJECT / "bench" / "queries" / f"{tier}.graphql").read_text(), "variables": variables}
            for tier, variables in (
                ("list", {}),
                ("dropdown", caller),
                ("matchmaking", {**caller, "minGpus": 1}),
            )
        ]
        bundle = bundle_of(federation, federation.providers[0].name)
        url = f"http://127.0.0.1:{server_port}/graphql"
        record = Record()
        async with aiohttp.ClientSession() as session:
            await _warm_up(session, url, questions, member)
        started = time.monotonic()
        until = started + minutes * 60
        connector = aiohttp.TCPConnector(limit=CLIENTS + 4, keepalive_timeout=2)
        async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=60)) as session:
            await asyncio.gather(
                *(_client(session, url, questions, member, until, record, i) for i in range(CLIENTS)),
                _writer(session, url, bundle, writer, until, record),
                _attacker(session, url, member, until, record),
                _sample_rss(server.pid, started, until, record),
            )
        return _report(record, minutes, started)
    finally:
        _stop(server)
        _stop(issuer)
        if local is not None:
            local.stop()


def _start(command: list[str], env: dict[str, str]) -> Any:
    import subprocess

    return subprocess.Popen(command, cwd=PROJECT, env={**os.environ, **env}, start_new_session=True)


def _report(record: Record, minutes: float, started: float) -> int:
    near_bomb = [s for t, s in record.samples if any(0 <= t - b <= AFTER_BOMB_S for b in record.bombs)]
    elsewhere = [s for t, s in record.samples if not any(0 <= t - b <= AFTER_BOMB_S for b in record.bombs)]
    p99_near, p99_else = _p99(near_bomb), _p99(elsewhere)
    settle = minutes * 60 / 6  # minute 5 of 30
    after_settle = [mb for at, mb in record.rss_mb if at >= settle]
    rss_start = after_settle[0] if after_settle else float("nan")
    rss_end = record.rss_mb[-1][1] if record.rss_mb else float("nan")
    growth = (rss_end - rss_start) / rss_start * 100 if after_settle else float("nan")
    figures = {
        "minutes": minutes,
        "requests": len(record.samples),
        "failed": len(record.failures),
        "writes": record.writes,
        "write_failures": len(record.write_failures),
        "bombs": len(record.bombs),
        "bomb_answers": sorted(set(record.bomb_refusals)),
        "p50_ms": _ms([s for _, s in record.samples], 50),
        "p99_ms_without_bomb": p99_else,
        "p99_ms_after_bomb": p99_near,
        "rss_mb_at_settle": round(rss_start, 1),
        "rss_mb_at_end": round(rss_end, 1),
        "rss_growth_pct": round(growth, 1),
    }
    goals = {
        "0 failed normal requests": not record.failures and not record.write_failures,
        "every bomb refused (400 QUERY_TOO_COSTLY)": set(record.bomb_refusals) <= {"400 QUERY_TOO_COSTLY"},
        "p99 after a bomb within 2x of without": not near_bomb or p99_near <= 2 * p99_else,
        "RSS growth <= 10 % after the first sixth": growth <= 10,
    }
    for name, value in figures.items():
        print(f"{name:>22}: {value}")
    kinds = Counter(f[:160] for f in record.failures + record.write_failures)
    for failure, count in kinds.most_common(5):
        print(f"  {count} x failure: {failure}")
    for goal, met in goals.items():
        print(f"{'met' if met else 'MISSED'}: {goal}")
    print(json.dumps({"soak": figures, "goals": goals}))
    return 0 if all(goals.values()) else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
