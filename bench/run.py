"""`make bench`: ours, the floor and the peer, on the same Neo4j and the same data, in one run.

For each scale (infn, egi, stress; QUICK=1: infn only) the run loads a synthetic federation, starts
our server as production runs it (uvicorn with uvloop and httptools, no GraphiQL, no access log) and
the peer (@neo4j/graphql on Node.js, NODE_ENV=production), checks that ours, the floor and the peer
give the same answer to each tier's question, then measures each tier over HTTP on loopback:
latency with one client (rounds alternate ours / peer / floor so drift hits all alike), requests/s
with 16 concurrent clients (alternating ours / peer), Cypher statements per request (from our
/metrics), and our server's peak RSS (VmHWM). It prints a table, then one JSON line.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bench import floor
from bench.compare import canonical, differences
from bench.federations import SCALES, synthetic_federation
from bench.load import bulk_load, wipe
from bench.peer.shape import to_ours
from registry.database import apply_constraints, open_database
from registry.dev_issuer import KeyStore, mint, trusted_issuers
from registry.local_neo4j import LocalNeo4j
from registry.settings import Settings
from tests.graphql_client import depth

PROJECT = Path(__file__).resolve().parent.parent
BENCH = PROJECT / "bench"
STATE = PROJECT / ".state" / "bench"
TIERS = ("list", "dropdown", "matchmaking")
OURS_PORT, PEER_PORT, ISSUER_PORT, BOLT_PORT = 8190, 8192, 8191, 7690
CONCURRENCY = 16


@dataclass(frozen=True)
class Plan:
    """How long each measurement runs (QUICK=1 shortens every one)."""

    warmup: int
    rounds: int
    requests_per_round: int
    rps_rounds: int
    rps_seconds: float


FULL = Plan(warmup=20, rounds=3, requests_per_round=40, rps_rounds=2, rps_seconds=4.0)
QUICK = Plan(warmup=10, rounds=3, requests_per_round=25, rps_rounds=2, rps_seconds=2.5)


@dataclass
class Result:
    scale: str
    tier: str
    depth: int
    statements: float = 0.0
    ours: list[float] = field(default_factory=list)  # seconds per request, one client
    peer: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    ours_rps: float = 0.0
    peer_rps: float = 0.0
    ours_peak_rss_mb: float = 0.0
    failures: int = 0

    def summary(self) -> dict[str, Any]:
        return {
            "scale": self.scale,
            "tier": self.tier,
            "depth": self.depth,
            "statements": round(self.statements, 2),
            "ours_p50_ms": _ms(self.ours, 50),
            "ours_p95_ms": _ms(self.ours, 95),
            "ours_p99_ms": _ms(self.ours, 99),
            "floor_p50_ms": _ms(self.floor, 50),
            "peer_p50_ms": _ms(self.peer, 50),
            "peer_p99_ms": _ms(self.peer, 99),
            "ours_rps_c16": round(self.ours_rps, 1),
            "peer_rps_c16": round(self.peer_rps, 1),
            "ours_peak_rss_mb": round(self.ours_peak_rss_mb, 1),
            "failures": self.failures,
        }


def _ms(samples: list[float], percentile: int) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    index = min(len(ordered) - 1, round(percentile / 100 * (len(ordered) - 1)))
    return round(ordered[index] * 1000, 2)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------- processes


def _wait_for_port(port: int, process: subprocess.Popen[bytes], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{what} exited with {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"{what} does not answer on 127.0.0.1:{port}")


def _stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def start_ours(neo4j_uri: str, issuers: str) -> subprocess.Popen[bytes]:
    """Our server as production runs it (the Dockerfile's command): `registry serve`, one uvicorn process
    with uvloop and httptools, no access log."""
    env = {**os.environ, "NEO4J_URI": neo4j_uri, "REGISTRY_ENVIRONMENT": "production", "REGISTRY_ISSUERS": issuers}
    env.pop("REGISTRY_S3_ENDPOINT_URL", None)  # reads only: no document store needed
    command = [sys.executable, "-m", "registry.cli", "serve", "--host", "127.0.0.1", "--port", str(OURS_PORT)]
    process = subprocess.Popen(command, cwd=PROJECT, env=env, start_new_session=True)
    _wait_for_port(OURS_PORT, process, "our server")
    return process


def start_peer(neo4j_uri: str) -> subprocess.Popen[bytes]:
    peer = BENCH / "peer"
    if not (peer / "node_modules").exists():
        if shutil.which("npm") is None:
            raise SystemExit("Node.js and npm are needed for the peer (bench/peer)")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=peer, check=True)
    env = {**os.environ, "NEO4J_URI": neo4j_uri, "PORT": str(PEER_PORT), "HOST": "127.0.0.1", "NODE_ENV": "production"}
    process = subprocess.Popen(["node", "server.mjs"], cwd=peer, env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL)  # fmt: skip
    _wait_for_port(PEER_PORT, process, "the peer")
    return process


def start_issuer() -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "registry.cli", "dev-issuer", "--port", str(ISSUER_PORT),
               "--state", str(STATE / "issuer")]  # fmt: skip
    process = subprocess.Popen(command, cwd=PROJECT, start_new_session=True)
    _wait_for_port(ISSUER_PORT, process, "the development issuer")
    return process


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# ---------------------------------------------------------------------------------------------- requests

Ask = Callable[[], Awaitable[dict[str, Any]]]


class Failure(RuntimeError):
    pass


def graphql_asker(session: aiohttp.ClientSession, url: str, query: str, variables: dict[str, Any],
                  headers: dict[str, str]) -> Ask:  # fmt: skip
    body = json.dumps({"query": query, "variables": variables}).encode()
    all_headers = {"Content-Type": "application/json", **headers}

    async def ask() -> dict[str, Any]:
        async with session.post(url, data=body, headers=all_headers) as response:
            payload = await response.json(content_type=None)
            if response.status != 200 or payload.get("errors"):
                raise Failure(f"{url}: HTTP {response.status} {json.dumps(payload)[:500]}")
            data: dict[str, Any] = payload["data"]
            return data

    return ask


async def timed(ask: Ask, count: int, samples: list[float]) -> None:
    for _ in range(count):
        start = time.perf_counter()
        await ask()
        samples.append(time.perf_counter() - start)


async def throughput(ask: Ask, seconds: float) -> tuple[float, int]:
    """Requests/s of CONCURRENCY clients asking back to back for `seconds`; and how many failed."""
    done = failed = 0
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal done, failed
        while time.perf_counter() < deadline:
            try:
                await ask()
                done += 1
            except Failure:
                failed += 1

    start = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(CONCURRENCY)))
    return done / (time.perf_counter() - start), failed


async def statements_total(session: aiohttp.ClientSession) -> float:
    async with session.get(f"http://127.0.0.1:{OURS_PORT}/metrics") as response:
        text = await response.text()
    return sum(float(m) for m in re.findall(r'^registry_cypher_statements_total\{access="read"\} (\S+)$', text, re.M))


# ---------------------------------------------------------------------------------------------- the run


async def bench_scale(scale_name: str, plan: Plan, database_uri: str, issuers: str, token: str,
                      peer: subprocess.Popen[bytes]) -> list[Result]:  # fmt: skip
    scale = SCALES[scale_name]
    database = open_database(Settings(neo4j_uri=database_uri))
    started = time.perf_counter()
    federation = synthetic_federation(scale)
    await wipe(database)
    await apply_constraints(database)
    nodes = await bulk_load(database, federation)
    log(f"[{scale_name}] loaded {nodes} nodes in {time.perf_counter() - started:.1f}s")

    caller = scale.caller
    today = dt.datetime.now(dt.UTC).date()  # ours reads "today" in UTC
    ours_server = start_ours(database_uri, issuers)
    results = []
    try:
        # Idle connections are dropped before the servers drop them (Node and uvicorn close a keep-alive
        # connection after 5 s idle): reusing one the server is closing fails the request.
        connector = aiohttp.TCPConnector(limit=CONCURRENCY * 2, keepalive_timeout=2.0)
        async with aiohttp.ClientSession(connector=connector) as session:
            for tier in TIERS:
                query = (BENCH / "queries" / f"{tier}.graphql").read_text()
                peer_query = (BENCH / "peer" / "queries" / f"{tier}.graphql").read_text()
                variables: dict[str, Any] = {"list": {}, "dropdown": dict(caller)}.get(tier, {**caller, "minGpus": 1})
                peer_variables = {**caller, "minGpus": 1} if tier == "matchmaking" else dict(caller)
                floor_params = {**caller, "minGpus": 1, "today": today}
                ours = graphql_asker(session, f"http://127.0.0.1:{OURS_PORT}/graphql", query, variables,
                                     {"Authorization": f"Bearer {token}"})  # fmt: skip
                theirs = graphql_asker(session, f"http://127.0.0.1:{PEER_PORT}/graphql", peer_query, peer_variables, {})

                async def floor_ask(tier: str = tier, params: dict[str, Any] = floor_params) -> dict[str, Any]:
                    return await floor.answer(database.driver, tier, params, database.name)

                # The same answer from all three, or the timings mean nothing.
                answers = {"ours": await ours(), "floor": await floor_ask(), "peer": to_ours(tier, await theirs())}
                ordered = ("edges",) if tier == "list" else ()
                for name in ("floor", "peer"):
                    if canonical(answers[name], ordered) != canonical(answers["ours"], ordered):
                        diff = "\n".join(differences(canonical(answers["ours"], ordered),
                                                     canonical(answers[name], ordered))[:20])  # fmt: skip
                        raise SystemExit(f"[{scale_name}/{tier}] {name} answers differently from ours:\n{diff}")
                log(f"[{scale_name}/{tier}] ours, floor and peer agree ({_size(answers['ours'])})")

                result = Result(scale_name, tier, depth(query))
                for ask in (ours, theirs, floor_ask):
                    await timed(ask, plan.warmup, [])
                before = await statements_total(session)
                for _ in range(plan.rounds):
                    await timed(ours, plan.requests_per_round, result.ours)
                    await timed(theirs, plan.requests_per_round, result.peer)
                    await timed(floor_ask, plan.requests_per_round, result.floor)
                after = await statements_total(session)
                result.statements = (after - before) / len(result.ours)
                ours_rps, peer_rps = [], []
                for _ in range(plan.rps_rounds):
                    rps, failed = await throughput(ours, plan.rps_seconds)
                    ours_rps.append(rps)
                    result.failures += failed
                    rps, failed = await throughput(theirs, plan.rps_seconds)
                    peer_rps.append(rps)
                result.ours_rps = statistics.median(ours_rps)
                result.peer_rps = statistics.median(peer_rps)
                result.ours_peak_rss_mb = peak_rss_mb(ours_server.pid)
                log(f"[{scale_name}/{tier}] {json.dumps(result.summary())}")
                results.append(result)
    finally:
        _stop(ours_server)
        await database.driver.close()
    if peer.poll() is not None:
        raise SystemExit("the peer exited during the run")
    return results


def _size(data: Any) -> str:
    text = json.dumps(data)
    return f"{len(text) / 1024:.1f} KiB of JSON"


def table(results: list[Result]) -> str:
    columns = ("scale", "tier", "depth", "statements", "ours_p50_ms", "ours_p95_ms", "ours_p99_ms", "floor_p50_ms",
               "peer_p50_ms", "peer_p99_ms", "ours_rps_c16", "peer_rps_c16", "ours_peak_rss_mb")  # fmt: skip
    rows = [[str(r.summary()[c]) for c in columns] for r in results]
    widths = [max(len(c), *(len(row[i]) for row in rows)) for i, c in enumerate(columns)]
    lines = [" | ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True))]
    lines.append("-|-".join("-" * w for w in widths))
    lines += [" | ".join(v.rjust(w) for v, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(lines)


def goals(results: list[Result]) -> list[str]:
    """Each goal of the benchmark issue, met or not, with the figures it was judged on."""
    lines = []
    by = {(r.scale, r.tier): r.summary() for r in results}
    for tier in TIERS:
        counts = {scale: by[(scale, tier)]["statements"] for scale in SCALES if (scale, tier) in by}
        tier_depth = next(r.depth for r in results if r.tier == tier)
        ok = all(c <= tier_depth for c in counts.values()) and len(set(counts.values())) == 1
        lines.append(
            f"{'MET ' if ok else 'MISS'} {tier}: statements {counts} <= depth {tier_depth}, same at every scale"
        )
    if ("egi", "matchmaking") in by:
        s = by[("egi", "matchmaking")]
        ok = s["ours_p50_ms"] <= 1.5 * s["floor_p50_ms"]
        lines.append(f"{'MET ' if ok else 'MISS'} egi matchmaking: ours p50 {s['ours_p50_ms']} ms <= 1.5 x floor "
                     f"{s['floor_p50_ms']} ms = {1.5 * s['floor_p50_ms']:.2f} ms")  # fmt: skip
        for tier in TIERS:
            s = by[("egi", tier)]
            ok = s["ours_p50_ms"] <= s["peer_p50_ms"] and s["ours_rps_c16"] >= s["peer_rps_c16"]
            verdict = "MET " if ok else "MISS"
            lines.append(f"{verdict} egi {tier}: ours p50 {s['ours_p50_ms']} <= peer {s['peer_p50_ms']} ms; "
                         f"ours {s['ours_rps_c16']} >= peer {s['peer_rps_c16']} req/s")  # fmt: skip
    stress = [by[k] for k in by if k[0] == "stress"]
    if stress:
        rss = max(s["ours_peak_rss_mb"] for s in stress)
        failed = sum(s["failures"] for s in stress)
        ok = rss <= 300 and failed == 0
        lines.append(f"{'MET ' if ok else 'MISS'} stress: peak RSS {rss} MB <= 300 MB, {failed} failed requests")
    return lines


async def main() -> int:
    quick = os.environ.get("QUICK") == "1"
    plan = QUICK if quick else FULL
    scales = ["infn"] if quick else ["infn", "egi", "stress"]
    started = time.perf_counter()
    local = None
    database_uri = os.environ.get("NEO4J_URI")
    if database_uri is None:
        # A heap big enough for the stress scale's loading transactions.
        local = LocalNeo4j(STATE / "neo4j", port=BOLT_PORT, heap="3g")
        local.start()
        database_uri = local.uri
    issuer = peer = None
    try:
        issuer = start_issuer()
        base = f"http://127.0.0.1:{ISSUER_PORT}"
        issuers = json.dumps([i.model_dump() for i in trusted_issuers(base)])
        token = mint(KeyStore(STATE / "issuer"), base, realm="infn", groups=[SCALES["infn"].caller["group"]],
                     subject="bench", expires_in=3 * 3600)  # fmt: skip
        peer = start_peer(database_uri)
        results: list[Result] = []
        for scale in scales:
            results += await bench_scale(scale, plan, database_uri, issuers, token, peer)
    finally:
        _stop(peer)
        _stop(issuer)
        if local is not None:
            local.stop()
    print(table(results))
    print()
    for line in goals(results):
        print(line)
    print(f"\n{len(results)} measurements in {time.perf_counter() - started:.0f}s "
          f"({'QUICK=1, infn only' if quick else 'all scales'}); {os.cpu_count()} CPUs")  # fmt: skip
    print(json.dumps({"results": [r.summary() for r in results]}))
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
