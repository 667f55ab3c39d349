"""Harvest workers: providers harvested in worker processes, so that the harvests' Python (the HTTP
clients' per-call work, parsing, building the bundles) spreads over the machine's cores instead of
sharing the writing process's one core under the GIL.

Each worker is a fresh interpreter started for a feed run (nothing of the parent's threads, event
loop or Neo4j driver is inherited, and it imports only what a harvest needs: no Neo4j driver, no
service) and sent the run's configuration; it harvests the providers it is sent, several at once in
threads of its own, and sends each `Harvest` back whole over a socket pair (pickled; the bundle is
the writing process's to write). A provider whose harvest outlives its
timeout is answered at once as failed; its worker gets no more work, is replaced, and is killed as
soon as only abandoned harvests are left in it (a harvest that ignores its deadline cannot be
stopped in a thread, only with its process).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from registry.feeder.config import FeederConfig, KubernetesProvider, OpenStackProvider
from registry.feeder.harvest import Harvest

log = logging.getLogger("registry.feeder")


Harvester = Callable[[FeederConfig, Any], Harvest]


def harvester_of(provider: OpenStackProvider | KubernetesProvider) -> Harvester:
    """The harvest of a provider's type (its client is imported only when a provider needs it: a
    worker process holds only what it uses)."""
    if isinstance(provider, OpenStackProvider):
        from registry.feeder.openstack import harvest_openstack

        return harvest_openstack
    from registry.feeder.kubernetes import harvest_kubernetes

    return harvest_kubernetes


class WorkerDied(RuntimeError):
    """The worker process harvesting a provider ended before answering."""


class HarvestRaised(RuntimeError):
    """A harvest raised in its worker (sent as text: not every exception survives pickling)."""


def work(fd: int) -> None:
    """A worker's life (`python -c`, the socket's end `fd` inherited): the configuration and how many
    threads come first, then harvest each provider named and send back (job, Harvest); end when the
    parent says so or goes away."""
    connection = Connection(fd)
    config, threads = connection.recv()
    providers = {p.name: p for p in config.providers}
    harvesters = {type(p): harvester_of(p) for p in config.providers}  # imported here, not by threads at once
    sending = threading.Lock()

    def harvest(job: int, name: str) -> None:
        provider = providers[name]
        answer: Harvest | BaseException
        try:
            answer = harvesters[type(provider)](config, provider)
        except Exception as error:  # a bug or an unexpected answer: that provider fails, the run goes on
            log.exception("%s: harvest failed", name)
            answer = HarvestRaised(str(error) or type(error).__name__)
        with sending, contextlib.suppress(OSError, EOFError):  # EOF: the parent is gone
            connection.send((job, answer))

    with ThreadPoolExecutor(threads, thread_name_prefix="harvest") as pool:
        while True:
            try:
                message = connection.recv()
            except (OSError, EOFError, KeyboardInterrupt):  # Ctrl-C reaches the workers too: the feeder reports
                break
            if message is None:
                break
            pool.submit(harvest, *message)
        pool.shutdown(wait=False, cancel_futures=True)


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen[bytes]
    connection: Connection
    pending: dict[int, asyncio.Future[Harvest]] = field(default_factory=dict)
    abandoned: set[int] = field(default_factory=set)
    retired: bool = False  # no more work: a harvest in it outlived its timeout

    @property
    def busy(self) -> int:
        return len(self.pending) + len(self.abandoned)


class HarvestWorkers:
    """`processes` worker processes, each harvesting up to `threads` providers at once."""

    def __init__(self, config: FeederConfig, processes: int, threads: int) -> None:
        self.config = config
        self.processes = processes
        self.threads = threads
        self.jobs = itertools.count()
        self.workers: list[_Worker] = []
        self.killed: list[_Worker] = []  # reaped when the run ends
        self.pids: list[int] = []  # every worker ever started (the bench sums their peak RSS)
        self.loop: asyncio.AbstractEventLoop | None = None
        self.room = asyncio.Event()  # set when a worker may have room again

    def _start(self) -> _Worker:
        parent, child = socket.socketpair()
        with child:
            process = subprocess.Popen(
                [sys.executable, "-c", f"from registry.feeder.workers import work; work({child.fileno()})"],
                pass_fds=(child.fileno(),),
                stdin=subprocess.DEVNULL,
            )
        worker = _Worker(process, Connection(parent.detach()))
        worker.connection.send((self.config, self.threads))
        self.pids.append(process.pid)
        self.workers.append(worker)
        threading.Thread(target=self._answers, args=(worker,), daemon=True, name="harvest answers").start()
        return worker

    def _answers(self, worker: _Worker) -> None:
        """Hand each answer of `worker` to the harvest awaiting it (in the event loop's thread)."""
        assert self.loop is not None
        while True:
            try:
                job, answer = worker.connection.recv()
            except (OSError, EOFError):
                break
            except Exception:  # an answer that cannot be read: its harvest ends at its timeout
                log.exception("a harvest worker's answer could not be read")
                continue
            try:
                self.loop.call_soon_threadsafe(self._answered, worker, job, answer)
            except RuntimeError:  # the run is over
                break
        worker.connection.close()
        with contextlib.suppress(RuntimeError):
            self.loop.call_soon_threadsafe(self._ended, worker)

    def _answered(self, worker: _Worker, job: int, answer: Harvest | BaseException) -> None:
        future = worker.pending.pop(job, None)
        worker.abandoned.discard(job)
        if future is not None and not future.done():
            if isinstance(answer, BaseException):
                future.set_exception(answer)
            else:
                future.set_result(answer)
        self._settle(worker)

    def _ended(self, worker: _Worker) -> None:
        for future in worker.pending.values():
            if not future.done():
                future.set_exception(WorkerDied(f"the harvest worker ended (exit code {worker.process.poll()})"))
        worker.pending.clear()
        worker.abandoned.clear()
        self._drop(worker)

    def _settle(self, worker: _Worker) -> None:
        """A retired worker with only abandoned harvests left is killed; room for work is announced."""
        if worker.retired and not worker.pending:
            self._drop(worker)
        self.room.set()

    def _drop(self, worker: _Worker) -> None:
        if worker in self.workers:
            self.workers.remove(worker)
            worker.process.kill()  # abandoned harvests die with it; the rest answered already
            self.killed.append(worker)
        self.room.set()

    def _live(self) -> list[_Worker]:
        return [w for w in self.workers if not w.retired]

    async def _worker(self) -> _Worker:
        """The least busy live worker with room (started when fewer than `processes` live)."""
        while True:
            live = self._live()
            if len(live) < self.processes:
                return self._start()
            idle = min(live, key=lambda w: w.busy)
            if idle.busy < self.threads:
                return idle
            self.room.clear()
            await self.room.wait()

    async def harvest(self, provider: OpenStackProvider | KubernetesProvider, bound: float) -> Harvest:
        """The provider's harvest by a worker; TimeoutError when none came within `bound` seconds (the
        worker is then retired and replaced)."""
        self.loop = asyncio.get_running_loop()
        worker = await self._worker()
        job = next(self.jobs)
        future: asyncio.Future[Harvest] = self.loop.create_future()
        worker.pending[job] = future
        try:
            worker.connection.send((job, provider.name))
        except OSError as error:  # it ended meanwhile: its answers' thread reports that, this harvest fails now
            worker.pending.pop(job, None)
            raise WorkerDied(f"the harvest worker ended: {error}") from None
        try:
            return await asyncio.wait_for(asyncio.shield(future), bound)
        except TimeoutError:
            if worker.pending.pop(job, None) is not None:
                worker.abandoned.add(job)
                worker.retired = True
                log.warning("%s: its harvest worker outlived the timeout; replacing it", provider.name)
                self._settle(worker)
            raise

    def close(self) -> None:
        """Stop every worker: each is told to end, and killed if it does not soon."""
        for worker in list(self.workers):
            with contextlib.suppress(OSError, EOFError):
                worker.connection.send(None)
        for worker in list(self.workers):
            try:
                worker.process.wait(timeout=2.0)
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()
        self.workers.clear()
        for worker in self.killed:
            worker.process.wait()

    def __enter__(self) -> HarvestWorkers:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
