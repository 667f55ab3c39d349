"""`make bench-feed`: the feeder harvesting a big federation from loopback clouds into a real Neo4j.

PROVIDERS (default 200) OpenStack providers × 3 regions × (100 flavors, 200 images, 20 projects),
generated here (not stored) and served by the loopback clouds (registry/feeder/loopback_clouds.py)
in a process of their own; the feeder runs as `registry feed` in another (with its harvest worker
processes), so its peak RSS is its own: the peaks (VmHWM) of the feeder and of every process it
started, summed. Measured: wall time of the whole harvest, provider bundles per second, that peak
RSS, Neo4j's peak heap use (JMX, sampled every second), the nodes a no-change rerun writes, and how
much one provider that never answers (timeout HANG_TIMEOUT s) delays a run of a few providers, and
the CPU seconds the first run took in the feeder, the clouds' process and Neo4j (all on the same
machine: the clouds stand in for remote providers, so their share is not the feeder's). CONCURRENCY
(default 8) harvests and WRITERS (default 2) writes go at once, the harvests spread over PROCESSES
(default 1, as `registry feed`; 0: threads of the feeder) worker processes. Prints a table of figures and goals,
then one JSON line.

The clouds answer as remote providers would, but their CPU is this machine's, which a real
federation's would not be: so they serve pre-serialised answers. Before the timed runs every provider
is harvested once (by this process, writing nothing: `warm_up`), and the clouds remember each read's
answer per request and credentials (`LoopbackClouds(remember=True)`), sending the very same bytes
and headers again when the feeder asks the same with the same credentials. The feeder does exactly
the work it does against a real cloud: the same logins, calls and parsing of the same bytes.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import neo4j
import yaml

from registry.local_neo4j import LocalNeo4j

PROJECT = Path(__file__).resolve().parent.parent
STATE = PROJECT / ".state" / "bench-feed"
REGIONS, FLAVORS, IMAGES, PROJECTS = 3, 100, 200, 20
SECRET = "bench-secret"
SLA = "be9c0000-0000-4000-8000-000000000001"
IAM = "https://iam.bench.test/"


def log(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} bench-feed: {message}", file=sys.stderr, flush=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def project_id(provider: int, project: int) -> str:
    return f"{provider:08x}{project:08x}{'0' * 16}"


def bench_cloud(provider: int) -> dict[str, Any]:
    """One provider's cloud: deterministic, so the rerun sees exactly the same data."""
    rng = random.Random(provider)
    projects = [project_id(provider, p) for p in range(PROJECTS)]
    regions = {}
    for r in range(REGIONS):
        region = f"region-{r}"
        flavors, specs, access = [], {}, {}
        for n in range(FLAVORS):
            fid = f"{provider:04d}-{r}-f{n:03d}"
            public = n % 10 != 0
            flavors.append(
                {
                    "id": fid,
                    "name": f"flavor.{n}",
                    "vcpus": 2 ** (n % 6),
                    "ram": 2048 * (1 + n % 16),
                    "disk": 20 + n,
                    "swap": "",
                    "OS-FLV-EXT-DATA:ephemeral": 0,
                    "description": None,
                    "os-flavor-access:is_public": public,
                    "rxtx_factor": 1.0,
                    "OS-FLV-DISABLED:disabled": False,
                    "links": [],
                }
            )
            if n % 5 == 0:
                specs[fid] = [
                    {"gpu_number": "1", "gpu_model": "A100", "gpu_vendor": "NVIDIA"},
                    {
                        "Accelerator:Number": "2",
                        "Accelerator:Type": "GPU",
                        "Accelerator:Model": "T4",
                        "Accelerator:Vendor": "NVIDIA",
                    },
                    {"pci_passthrough:alias": "V100:4"},
                ][n % 3]
            if not public:
                access[fid] = [projects[rng.randrange(PROJECTS)]]
        images, members = [], {}
        for n in range(IMAGES):
            iid = f"{provider:04d}-{r}-i{n:03d}"
            visibility = "public" if n % 20 else ("private" if n % 40 else "shared")
            owner = projects[n % PROJECTS] if visibility != "public" else "admin"
            images.append(
                {
                    "id": iid,
                    "name": f"image {n}",
                    "status": "active",
                    "visibility": visibility,
                    "owner": owner,
                    "os_type": "linux",
                    "os_distro": "ubuntu",
                    "os_version": "22.04",
                    "architecture": "x86_64",
                    "tags": ["bench"],
                    "created_at": "2024-01-01T00:00:00Z",
                    "updated_at": "2024-01-01T00:00:00Z",
                    "min_disk": 0,
                    "min_ram": 0,
                    "protected": False,
                    "container_format": "bare",
                    "disk_format": "qcow2",
                    "self": f"/v2/images/{iid}",
                    "file": f"/v2/images/{iid}/file",
                    "schema": "/v2/schemas/image",
                    **({"cuda_version": "12.4"} if n % 7 == 0 else {}),
                }
            )
            if visibility == "shared":
                members[iid] = [
                    {
                        "member_id": projects[(n + 1) % PROJECTS],
                        "status": "accepted",
                        "created_at": "2024-01-01T00:00:00Z",
                        "updated_at": "2024-01-01T00:00:00Z",
                    }
                ]
        networks = [
            {
                "id": f"{provider:04d}-{r}-public",
                "name": "public",
                "shared": False,
                "router:external": True,
                "is_default": True,
                "mtu": 1500,
                "project_id": "admin",
                "status": "ACTIVE",
                "subnets": [],
                "tags": [],
                "admin_state_up": True,
                "description": "",
            }
        ]
        networks += [
            {
                "id": f"{provider:04d}-{r}-net-{p}",
                "name": f"net-{p}",
                "shared": False,
                "router:external": False,
                "mtu": 1450,
                "project_id": pid,
                "status": "ACTIVE",
                "subnets": [],
                "tags": [],
                "admin_state_up": True,
                "description": "",
            }
            for p, pid in enumerate(projects)
        ]
        quota = {
            "limits": {"cores": 100, "instances": 20, "ram": 204800},
            "usage": {"cores": 10, "instances": 2, "ram": 20480},
        }
        regions[region] = {
            "flavors": flavors,
            "extraSpecs": specs,
            "flavorAccess": access,
            "images": images,
            "imageMembers": members,
            "networks": networks,
            "computeQuotas": {p: quota for p in projects},
            "networkQuotas": {
                p: {"limits": {"floatingip": 2, "network": 3, "port": 50}, "usage": {"port": 3}} for p in projects
            },
            "volumeQuotas": {
                p: {"limits": {"gigabytes": 1000, "volumes": 10}, "usage": {"gigabytes": 100, "volumes": 1}}
                for p in projects
            },
            "volumeTypes": [{"id": "vt-1", "name": "ceph", "description": "", "is_public": True, "qos_specs_id": None}],
            "qosSpecs": [],
            "services": ["compute", "image", "network", "volumev3"],
        }
    return {
        "kind": "openstack",
        "projects": [{"id": p, "name": f"project-{n}"} for n, p in enumerate(projects)],
        "users": {"applicationCredentials": {f"app-{p}": {"secret": SECRET, "project": p} for p in projects}},
        "regions": regions,
    }


def serve(port: int, providers: int, hang: bool) -> None:
    """The loopback clouds of the benchmark (run as its own process)."""
    from registry.feeder.loopback_clouds import Clouds, LoopbackClouds

    clouds = Clouds()
    for i in range(providers):
        clouds.clouds[f"bench-{i}"] = bench_cloud(i)
    if hang:
        clouds.clouds["hangs"] = {**bench_cloud(0), "faults": {"hang": True}}
    with LoopbackClouds(clouds, port=port, remember=True):
        print("ready", flush=True)
        while True:
            time.sleep(3600)


def configuration(base_url: str, providers: list[str], timeout: float, projects: int = PROJECTS) -> dict[str, Any]:
    sla = {"docUuid": SLA, "startDate": "2024-01-01", "endDate": "2035-12-31"}
    return {
        "identityProviders": [
            {"endpoint": IAM, "groupClaim": "groups", "userGroups": [{"name": "bench", "slas": [sla]}]}
        ],
        "providers": [
            {
                "name": name,
                "type": "openstack",
                "authUrl": f"{base_url}/{name}/identity/v3",
                "timeout": timeout,
                "identityProviders": [{"endpoint": IAM, "idpName": "bench"}],
                "regions": [
                    {"name": f"region-{r}", "location": {"site": f"{name}-site", "country": "IT"}}
                    for r in range(REGIONS)
                ],
                "projects": [
                    {
                        "id": project_id(0 if name == "hangs" else int(name.split("-")[1]), p),
                        "sla": SLA,
                        "credentials": {
                            "method": "applicationCredential",
                            "id": f"app-{project_id(0 if name == 'hangs' else int(name.split('-')[1]), p)}",
                            "secret": {"env": "BENCH_SECRET"},
                        },
                    }
                    for p in range(projects)
                ],
            }
            for name in providers
        ],
    }


class HeapSampler(threading.Thread):
    """Neo4j's heap in use, every second, through JMX; keeps the peak."""

    def __init__(self, uri: str) -> None:
        super().__init__(daemon=True)
        self.driver = neo4j.GraphDatabase.driver(uri, auth=None)
        self.peak = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                records, _, _ = self.driver.execute_query(
                    "CALL dbms.queryJmx('java.lang:type=Memory') YIELD attributes "
                    "RETURN attributes.HeapMemoryUsage.value.properties.used AS used"
                )
                self.peak = max(self.peak, int(records[0]["used"]))
            except (neo4j.exceptions.Neo4jError, IndexError, KeyError, TypeError):
                pass
            self.stop.wait(1.0)


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU a running process has used so far (None: not ours to read)."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_used(before: float | None, pid: int | None) -> float | None:
    after = cpu_seconds(pid)
    return None if before is None or after is None else round(after - before, 1)


def warm_up(config: Path, concurrency: int) -> None:
    """Every configured provider harvested once, nothing written: the clouds then hold their answers."""
    from concurrent.futures import ThreadPoolExecutor

    from registry.feeder.config import read_config
    from registry.feeder.workers import harvester_of

    os.environ["BENCH_SECRET"] = SECRET
    read = read_config(config)
    started = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        failed = [h.provider for h in pool.map(lambda p: harvester_of(p)(read, p), read.providers) if not h.ok]
    if failed:
        raise SystemExit(f"bench-feed: the warm-up harvest failed for {', '.join(failed)}")
    log(f"clouds warmed up: {len(read.providers)} providers harvested once in {time.monotonic() - started:.1f} s")


FEEDER_CPU: list[float] = []  # CPU seconds of each `registry feed` run (its worker processes too), in order
FEEDER_PROCESSES: list[int] = []  # how many processes each run had (the feeder and every descendant)


def _children() -> dict[int, int]:
    """pid -> parent pid of every process."""
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                found[int(entry)] = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
    return found


def _peak_kb(pid: int) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    return next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), None)


class TreePeaks(threading.Thread):
    """The peak RSS (VmHWM) of every descendant of a process, read every 0.2 s until it ends: a worker
    process's VmHWM only grows, so its last reading holds its peak up to its last 0.2 s."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peaks: dict[int, int] = {}  # pid -> VmHWM kB
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            parents = _children()
            tree = {self.root}
            for _ in range(4):  # the feeder, its workers, and what they start
                tree |= {pid for pid, parent in parents.items() if parent in tree}
            for pid in tree - {self.root}:
                if (kb := _peak_kb(pid)) is not None:
                    self.peaks[pid] = max(self.peaks.get(pid, 0), kb)
            self.stop.wait(0.2)


def feed(config: Path, report: Path, neo4j_uri: str, *extra: str) -> tuple[float, float, list[dict[str, Any]]]:
    """Run `registry feed` as its own process: (wall seconds, peak RSS MB of the feeder's processes
    summed, its report)."""
    env = {**os.environ, "NEO4J_URI": neo4j_uri, "BENCH_SECRET": SECRET}
    started = time.monotonic()
    process = subprocess.Popen(
        [str(PROJECT / ".venv" / "bin" / "registry"), "feed", str(config), "--report", str(report), *extra],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    descendants = TreePeaks(process.pid)
    descendants.start()
    _, _, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - started
    descendants.stop.set()
    descendants.join()
    # wait4's ru_maxrss is the largest of the feeder and the descendants it waited for (not their sum):
    # counted as the feeder's own, it can only overstate the sum
    rss_mb = (usage.ru_maxrss + sum(descendants.peaks.values())) / 1024
    FEEDER_CPU.append(usage.ru_utime + usage.ru_stime)  # includes the workers it waited for
    FEEDER_PROCESSES.append(1 + len(descendants.peaks))
    log(
        f"{config.name}: {wall:.1f} s, peak RSS {rss_mb:.0f} MB over {FEEDER_PROCESSES[-1]} processes "
        f"(the feeder {usage.ru_maxrss / 1024:.0f} MB), CPU {FEEDER_CPU[-1]:.1f} s"
    )
    return wall, rss_mb, json.loads(report.read_text())


def written(reports: list[dict[str, Any]]) -> int:
    return sum(sum(r[k].values()) for r in reports for k in ("created", "updated", "removed"))


def main() -> int:
    providers = int(os.environ.get("PROVIDERS", "200"))
    concurrency = os.environ.get("CONCURRENCY", "8")
    writers = os.environ.get("WRITERS", "2")
    processes = os.environ.get("PROCESSES", "1")  # harvest worker processes (0: threads of the feeder)
    hang_timeout = float(os.environ.get("HANG_TIMEOUT", "20"))
    load_before = round(os.getloadavg()[0], 1)  # the machine is shared: figures are read beside it
    STATE.mkdir(parents=True, exist_ok=True)
    local = None
    uri = os.environ.get("NEO4J_URI")
    if uri is None:
        local = LocalNeo4j(STATE / "neo4j", port=_free_port(), heap="2g")
        local.start()
        uri = local.uri
    driver = neo4j.GraphDatabase.driver(uri, auth=None)
    with driver.session() as session:  # CALL … IN TRANSACTIONS needs an auto-commit statement
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.feed", "serve", str(port), str(providers)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None and server.stdout.readline().strip() == "ready"
        log(f"{providers} clouds served on port {port}")
        base = f"http://127.0.0.1:{port}"
        names = [f"bench-{i}" for i in range(providers)]
        folder = Path(tempfile.mkdtemp(prefix="bench-feed-"))
        config = folder / "providers.yaml"
        config.write_text(yaml.safe_dump(configuration(base, names, timeout=600)))
        warm_up(config, int(concurrency))
        heap = HeapSampler(uri)
        heap.start()
        # Where the first run's CPU went (2 cores): the feeder, the clouds' process, Neo4j (when local).
        neo4j_pid = local.running_pid() if local is not None else None
        spread = ("--concurrency", concurrency, "--writers", writers, "--processes", processes)
        clouds_cpu, neo4j_cpu = cpu_seconds(server.pid), cpu_seconds(neo4j_pid)
        wall, rss, first = feed(config, folder / "first.json", uri, *spread)
        heap.stop.set()
        clouds_cpu, neo4j_cpu = cpu_used(clouds_cpu, server.pid), cpu_used(neo4j_cpu, neo4j_pid)
        rewall, rerss, again = feed(config, folder / "again.json", uri, *spread)
        nodes = driver.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"]
        # The hang check needs no scale: 3 providers of 2 projects, with and without one that never answers.
        few = names[:3]
        small = folder / "few.yaml"
        small.write_text(yaml.safe_dump(configuration(base, few, timeout=hang_timeout, projects=2)))
        base_wall, _, _ = feed(small, folder / "few.json", uri, "--concurrency", concurrency, "--processes", processes)
    finally:
        server.terminate()
        server.wait(timeout=30)
    hang_server_port = _free_port()
    hanging = subprocess.Popen(
        [sys.executable, "-m", "bench.feed", "serve", str(hang_server_port), "5", "hang"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert hanging.stdout is not None and hanging.stdout.readline().strip() == "ready"
        with_hang = folder / "hang.yaml"
        base2 = f"http://127.0.0.1:{hang_server_port}"
        with_hang.write_text(yaml.safe_dump(configuration(base2, [*few, "hangs"], timeout=hang_timeout, projects=2)))
        hang_wall, _, hang_reports = feed(
            with_hang, folder / "hang.json", uri, "--concurrency", concurrency, "--processes", processes
        )
    finally:
        hanging.terminate()
        hanging.wait(timeout=30)
        driver.close()
        if local is not None:
            local.stop()
    ok = sum(r["outcome"] == "OK" for r in first)
    figures = {
        "load_average_before": load_before,
        "load_average_after": round(os.getloadavg()[0], 1),
        "providers": providers,
        "regions": REGIONS,
        "flavors": FLAVORS,
        "images": IMAGES,
        "projects": PROJECTS,
        "concurrency": int(concurrency),
        "writers": int(writers),
        "wall_s": round(wall, 1),
        "bundles_per_s": round(ok / wall, 2),
        "providers_ok": ok,
        "processes": int(processes),
        "feeder_peak_rss_mb": round(rss, 1),  # the feeder's processes' peaks, summed
        "feeder_processes": FEEDER_PROCESSES[0],
        "neo4j_peak_heap_mb": round(heap.peak / 2**20, 1),
        # Where the time went: harvests overlap (CONCURRENCY at once), WRITERS writes at once.
        "harvest_s_per_provider": round(sum(r["seconds"] for r in first) / max(len(first), 1), 2),
        "write_s_sum": round(sum(r["writeSeconds"] for r in first), 1),
        "feeder_cpu_s": round(FEEDER_CPU[0], 1),
        "clouds_cpu_s": clouds_cpu,
        "neo4j_cpu_s": neo4j_cpu,
        "rerun_write_s_sum": round(sum(r["writeSeconds"] for r in again), 1),
        "nodes_stored": nodes,
        "rerun_wall_s": round(rewall, 1),
        "rerun_nodes_written": written(again),
        "rerun_peak_rss_mb": round(rerss, 1),
        "hang_timeout_s": hang_timeout,
        "few_wall_s": round(base_wall, 1),
        "few_plus_hanging_wall_s": round(hang_wall, 1),
        "hanging_outcome": next(r["outcome"] for r in hang_reports if r["provider"] == "hangs"),
    }
    delay = hang_wall - base_wall
    goals = [
        ("whole harvest ≤ 120 s", wall <= 120, f"{wall:.1f} s"),
        ("feeder peak RSS ≤ 300 MB", rss <= 300, f"{rss:.1f} MB"),
        ("no-change rerun writes 0 nodes", written(again) == 0, f"{written(again)} nodes"),
        (
            f"a hanging provider delays the run ≤ its timeout ({hang_timeout:g} s)",
            delay <= hang_timeout,
            f"{delay:+.1f} s",
        ),
    ]
    print(f"{'figure':<28} value")
    for key, value in figures.items():
        print(f"{key:<28} {value}")
    full = providers >= 200
    for goal, met, value in goals:
        # The time and memory goals are for the 200-provider federation; a smaller run only reports figures.
        judged = full or goal.startswith(("no-change", "a hanging"))
        verdict = ("met" if met else "MISSED") if judged else f"not judged at {providers} providers"
        print(f"goal: {goal}: {verdict} ({value})")
    judged_goals = {g: m for g, m, _ in goals if full or g.startswith(("no-change", "a hanging"))}
    print(json.dumps({**figures, "goals": judged_goals}))
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "serve":
        serve(int(sys.argv[2]), int(sys.argv[3]), hang=len(sys.argv) > 4)
    else:
        raise SystemExit(main())
