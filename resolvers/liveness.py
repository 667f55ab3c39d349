"""Whether Neo4j answers at all: a statement that stays silent too long has Neo4j probed on another
connection, and is stopped at once if the probe gets no answer either (Neo4j frozen, or the network).

A slow statement and a frozen server look the same from its own connection, so a short statement
timeout would fail slow but healthy work (a cold plan of a large statement takes seconds). The probe
tells them apart: a healthy Neo4j answers `RETURN 1` in milliseconds while it works on the other, and
any answer counts, an error included; only no answer (a timeout, no connection) is an outage.
One probe at a time serves every silent statement of the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import neo4j

log = logging.getLogger(__name__)


@dataclass
class Liveness:
    driver: neo4j.AsyncDriver
    database: str = "neo4j"
    silent_after_s: float = 1.0
    probe_timeout_s: float = 3.0
    _probe: asyncio.Future[bool] | None = field(default=None, init=False)
    _probed_at: float = field(default=float("-inf"), init=False)

    @contextlib.asynccontextmanager
    async def watching(self, timer: asyncio.Timeout) -> AsyncIterator[None]:
        """While the body runs: once it has been silent for `silent_after_s`, probe Neo4j, and end the
        body (through `timer`, so it raises TimeoutError) if the probe fails."""
        loop = asyncio.get_running_loop()
        checks: list[asyncio.Task[None]] = []
        handle = loop.call_later(
            self.silent_after_s, lambda: checks.append(loop.create_task(self._stop_if_dead(timer)))
        )
        try:
            yield
        finally:
            handle.cancel()
            for check in checks:
                check.cancel()

    async def _stop_if_dead(self, timer: asyncio.Timeout) -> None:
        if not await self.answers():
            timer.reschedule(asyncio.get_running_loop().time())

    async def answers(self) -> bool:
        loop = asyncio.get_running_loop()
        stale = self._probe is not None and self._probe.done() and loop.time() - self._probed_at > self.silent_after_s
        if self._probe is None or stale:
            self._probe = asyncio.ensure_future(self._probe_once())
            self._probed_at = loop.time()
        # Shielded: a request that ends must not cancel the probe others are waiting for.
        return await asyncio.shield(self._probe)

    async def _probe_once(self) -> bool:
        try:
            async with (
                asyncio.timeout(self.probe_timeout_s),
                self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session,
            ):
                await (await session.run("RETURN 1")).consume()
        except neo4j.exceptions.Neo4jError:
            # An error is an answer: Neo4j is there (e.g. its transaction memory is full while it works on
            # the other statements). Cutting every silent statement then failed requests that were only slow.
            return True
        except (TimeoutError, neo4j.exceptions.DriverError, OSError) as error:
            # Every silent read of the process is cut on this: say what the probe saw.
            log.warning("Neo4j did not answer a liveness probe: %s", type(error).__name__)
            return False
        return True
