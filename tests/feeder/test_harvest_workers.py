"""Harvests in worker processes (`feed(processes=N)`, `registry feed --processes N`): the same bundles
land as from threads, a dry run writes nothing, a rerun changes nothing, and a harvest that ignores its
deadline is abandoned at its timeout, its worker killed and replaced, and the run finishes."""

from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from registry.feeder.loopback_clouds import LoopbackClouds
from resolvers.db import Database
from resolvers.federation_file import FederationFile
from tests.conftest import replace_graph
from tests.feeder.conftest import config, kubernetes, openstack
from tests.feeder.test_feed import add_flavor, run
from tests.test_feeder import dump

pytestmark = pytest.mark.usefixtures("secrets")


async def stored(database: Database) -> list[dict[str, Any]]:
    """The stored graph without the moments it was written at (two runs write at different ones)."""
    rows = await dump(database)
    for row in rows:
        row["props"] = {k: v for k, v in row["props"].items() if not k.endswith("At")}
    return rows


def harvest_workers() -> list[int]:
    """The harvest worker processes this test process has running (or left unreaped)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        if parent == os.getpid() and b"registry.feeder.workers" in command:
            found.append(int(entry.name))
    return found


async def test_bundles_harvested_in_processes_land_as_those_harvested_in_threads(
    clouds: LoopbackClouds, database: Database
) -> None:
    feeder = config(openstack(clouds, "A"), openstack(clouds, "B"), openstack(clouds, "C"), kubernetes(clouds))
    await replace_graph(database, FederationFile())
    threads = await run(feeder, database, concurrency=4, processes=0)
    from_threads = await stored(database)
    await replace_graph(database, FederationFile())

    dry = await run(feeder, database, concurrency=4, processes=2, dry_run=True)
    assert await dump(database) == []
    first = await run(feeder, database, concurrency=4, processes=2)
    again = await run(feeder, database, concurrency=4, processes=2)

    assert {n: r.outcome for n, r in first.items()} == {n: "OK" for n in ("A", "B", "C", "K8S")}
    # (what providers share, the identity provider, group and SLA, is created by whichever is written first)
    assert sum((r.changes.created for r in first.values()), Counter()) == sum(
        (r.changes.created for r in threads.values()), Counter()
    )
    own = ("Region", "Flavor", "Image", "Network", "Project", "Quota")
    for name, report in first.items():
        assert [dry[name].changes.created[k] for k in own] == [report.changes.created[k] for k in own]
    assert await stored(database) == from_threads
    assert all(r.changes.nothing for r in again.values())
    assert harvest_workers() == []  # every worker ended with its run


async def test_a_harvest_that_ignores_its_deadline_is_abandoned_and_its_worker_replaced(
    clouds: LoopbackClouds, database: Database, tmp_path: Path
) -> None:
    # given a provider whose secret is read from a file that never answers (a FIFO nothing writes to:
    # reading it blocks, and no timeout of the HTTP clients bounds it), then a healthy provider
    stuck = tmp_path / "stuck-secret"
    os.mkfifo(stuck)
    hangs = openstack(clouds, "HANGS", timeout=2)
    hangs["projects"] = [{**hangs["projects"][0], "credentials": {
        "method": "applicationCredential", "id": "ml-app", "secret": {"file": str(stuck)}}}]  # fmt: skip
    feeder = config(hangs, openstack(clouds, "A"))
    await replace_graph(database, FederationFile())
    add_flavor(clouds, "A", "extra")

    # when both are harvested one at a time by one worker process
    started = time.monotonic()
    reports = await run(feeder, database, concurrency=1, processes=1)
    elapsed = time.monotonic() - started

    # then the stuck one failed at its timeout (plus the second's grace), the other landed from a new
    # worker, and no worker is left behind
    assert reports["HANGS"].outcome == "FAILED"
    assert "no answer within the provider's timeout of 2 s" in reports["HANGS"].error
    assert reports["A"].outcome == "OK" and reports["A"].changes.created["Flavor"] == 6
    assert elapsed < 2 + 1 + 15  # the bound is generous: a shared machine
    assert harvest_workers() == []
