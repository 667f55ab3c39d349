"""Runs parameterised Cypher in managed transactions, and counts every statement the service sends."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar

import neo4j
import neo4j.time
from prometheus_client import Counter

from resolvers.errors import Conflict
from resolvers.liveness import Liveness

CYPHER_STATEMENTS = Counter(
    "registry_cypher_statements_total",
    "Cypher statements sent to Neo4j by the registry, by kind of transaction.",
    ["access"],
)

STATEMENTS_PLANNED_AFTER_TIMEOUT = Counter(
    "registry_statements_planned_after_timeout_total",
    "Read statements Neo4j was asked to plan in the background after a read of them ran out of time.",
)

log = logging.getLogger(__name__)

Record = dict[str, Any]
T = TypeVar("T")
# What statements of a unit of work run in: a managed transaction, or an explicit one rolled back.
Transaction = neo4j.AsyncManagedTransaction | neo4j.AsyncTransaction

# Reads give up rather than hold a Bolt connection forever on a runaway query.
READ_TIMEOUT_S = 30.0
READ_ATTEMPTS = 3

# How much longer than Neo4j's own transaction timeout the client waits: past it, Neo4j is not
# answering at all (frozen, or the network is), and the read fails with TimeoutError. `Liveness`
# finds a frozen Neo4j sooner, so this only has to outlast a busy server's timeout check (over 1 s
# on a loaded 2-core machine).
CLIENT_GRACE_S = 2.0

# Neo4j plans a statement new to it before running it: egi matchmaking's took 1.2 s on a warm, idle
# Neo4j, 12 s just after it started on a busy machine. A read stopped at its deadline while Neo4j plans
# loses the plan as well (Neo4j keeps none of a terminated transaction), so every later request would
# plan again and be stopped again. A read that runs out of time has its statement planned apart from any
# request (EXPLAIN plans and keeps the plan, running nothing), at most this long, a few at a time.
PLANNING_TIMEOUT_S = 120.0
PLANNING_AT_ONCE = 2
# Statements this process has run, remembered (Neo4j keeps 1,000 plans by default); a read of any other
# waits while NEW_STATEMENTS_AT_ONCE others are being read: what callers can make Neo4j plan at once
# is bounded (new query shapes cost ~1 s of Neo4j's CPU each), and known questions never wait for it.
KNOWN_STATEMENTS = 1000
NEW_STATEMENTS_AT_ONCE = 2

# The code of a statement Neo4j stopped at its transaction timeout, e.g.
# Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration.
STATEMENT_TIMED_OUT = "Transaction.TransactionTimedOut"

# The event-loop time by which the current request must be answered (set by the HTTP layer; None:
# no deadline, as in the CLI). Reads never outlive it.
DEADLINE: ContextVar[float | None] = ContextVar("deadline", default=None)
# The timer that enforces it (set by the HTTP layer with DEADLINE), so that a write may be given longer.
DEADLINE_TIMER: ContextVar[asyncio.Timeout | None] = ContextVar("deadline_timer", default=None)


def allow_until(deadline: float) -> None:
    """Move the current request's deadline later (a write: a big provider's bundle takes longer than
    any read should); never earlier, and nothing outside a request."""
    timer = DEADLINE_TIMER.get()
    current = DEADLINE.get()
    if timer is None or current is None or deadline <= current:
        return
    timer.reschedule(deadline)
    DEADLINE.set(deadline)


_TEMPORAL = frozenset({neo4j.time.DateTime, neo4j.time.Date, neo4j.time.Time})
_SCALARS = frozenset({str, int, float, bool, type(None)})


def plain(value: Any) -> Any:
    """Neo4j values as plain Python: temporal types become datetime/date, maps and lists recurse.

    Changed in place: the driver makes fresh maps and lists for every record, shared with nothing, and
    copying them all was a third of this function's cost (an egi matchmaking answer: 0.33 -> 0.24 ms).
    Exact type checks rather than isinstance: this runs on every value of every answer."""
    kind = type(value)
    if kind is dict:
        # Scalars inline: most values are, and a call per value was most of this function's cost.
        for k, v in value.items():
            if type(v) not in _SCALARS:
                value[k] = plain(v)
        return value
    if kind is list:
        for i, v in enumerate(value):
            if type(v) not in _SCALARS:
                value[i] = plain(v)
        return value
    if kind in _TEMPORAL:
        return value.to_native()
    return value


def plain_own(row: dict[str, Any], nested_prefix: str) -> None:
    """A row's own values made plain (`plain`), in place, leaving the entries whose names start with
    `nested_prefix`: the rows of reads nested in it, each made plain, or not, by what that read may hold."""
    for k, v in row.items():
        if type(v) not in _SCALARS and not k.startswith(nested_prefix):
            row[k] = plain(v)


@dataclass
class StatementCount:
    """Statements sent on behalf of one GraphQL request (the same figure /metrics adds up)."""

    value: int = 0


@dataclass
class Database:
    """The process's one driver and the database name every session uses."""

    driver: neo4j.AsyncDriver
    name: str = "neo4j"
    statement_timeout_s: float = READ_TIMEOUT_S
    liveness: Liveness | None = None  # None: a silent Neo4j is only noticed at the statement timeout
    # Statements being planned after a read of them ran out of time (`plan_apart`), by text.
    planning: dict[str, asyncio.Task[None]] = field(default_factory=dict, repr=False)
    new_statements_at_once: int = NEW_STATEMENTS_AT_ONCE
    # Statements read successfully, least recently read first (see KNOWN_STATEMENTS).
    known: OrderedDict[str, None] = field(default_factory=OrderedDict, repr=False)
    _new_statements: asyncio.Semaphore | None = field(default=None, repr=False)

    def _gate(self, cypher: str) -> contextlib.AbstractAsyncContextManager[Any]:
        """Nothing for a statement this process has read before; else a turn among the new ones."""
        if cypher in self.known:
            self.known.move_to_end(cypher)
            return contextlib.nullcontext()
        if self._new_statements is None:
            self._new_statements = asyncio.Semaphore(self.new_statements_at_once)
        return self._new_statements

    def _remember(self, cypher: str) -> None:
        self.known[cypher] = None
        if len(self.known) > KNOWN_STATEMENTS:
            self.known.popitem(last=False)

    async def close(self) -> None:
        """Stop planning (`plan_apart`) and close the driver."""
        for task in list(self.planning.values()):
            task.cancel()
        await asyncio.gather(*self.planning.values(), return_exceptions=True)
        await self.driver.close()

    def plan_apart(self, cypher: str, params: Mapping[str, Any]) -> None:
        """Have Neo4j plan `cypher` apart from any request (see PLANNING_TIMEOUT_S), unless it is being
        planned already or PLANNING_AT_ONCE statements are; the next read of it then finds it planned."""
        if cypher in self.planning or len(self.planning) >= PLANNING_AT_ONCE:
            return
        task = asyncio.get_running_loop().create_task(self._plan(cypher, dict(params)))
        self.planning[cypher] = task
        task.add_done_callback(lambda _: self.planning.pop(cypher, None))

    async def _plan(self, cypher: str, params: dict[str, Any]) -> None:
        try:
            # Our own timeout too: a frozen Neo4j never answers, and would hold this turn for good.
            async with (
                asyncio.timeout(PLANNING_TIMEOUT_S + CLIENT_GRACE_S),
                self.driver.session(database=self.name, default_access_mode=neo4j.READ_ACCESS) as session,
            ):
                result = await session.run(neo4j.Query(f"EXPLAIN {cypher}", timeout=PLANNING_TIMEOUT_S), params)
                await result.consume()
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError, OSError) as error:  # TimeoutError too
            log.warning("planning a statement after a read of it ran out of time failed: %s", error)
        else:
            STATEMENTS_PLANNED_AFTER_TIMEOUT.inc()

    def _budget(self) -> float:
        """Seconds the next read may take: the statement timeout, cut to the request's deadline."""
        deadline = DEADLINE.get()
        if deadline is None:
            return self.statement_timeout_s
        left = deadline - asyncio.get_running_loop().time()
        if left <= 0:
            raise TimeoutError("the request's deadline has passed")
        return min(self.statement_timeout_s, left)

    async def read(
        self,
        cypher: str,
        params: Mapping[str, Any],
        *,
        counter: StatementCount | None = None,
        plain_values: bool = True,
    ) -> list[Record]:
        """One read statement; records come back as plain dicts (`plain_values=False`: temporal values
        as the driver made them, for a caller that knows where they may be and makes those plain).

        An auto-commit statement rather than a managed transaction: one statement is atomic on its
        own, and BEGIN/COMMIT would add two round trips to every level of every request. What a
        managed transaction would add besides, retrying on a transient failure, is done here. A
        statement this process has not read before waits its turn among the new ones (see
        KNOWN_STATEMENTS), within the request's deadline.
        """
        CYPHER_STATEMENTS.labels("read").inc()
        if counter is not None:
            counter.value += 1
        async with self._gate(cypher):
            records = await self._read(cypher, params)
        self._remember(cypher)
        return [plain(r) for r in records] if plain_values else records

    async def _read(self, cypher: str, params: Mapping[str, Any]) -> list[Record]:
        for attempt in range(READ_ATTEMPTS):
            budget = self._budget()
            query = neo4j.Query(cypher, timeout=budget)
            try:
                async with (
                    asyncio.timeout(budget + CLIENT_GRACE_S) as timer,
                    self.liveness.watching(timer) if self.liveness else contextlib.nullcontext(),
                    self.driver.session(database=self.name, default_access_mode=neo4j.READ_ACCESS) as session,
                ):
                    result = await session.run(query, dict(params))
                    # Records hold maps, lists and scalars only: zip, not `Record.data()` (which walks
                    # every value looking for nodes and relationships to convert).
                    return [dict(zip(r.keys(), r, strict=True)) for r in await result.fetch(2**31 - 1)]
            except (TimeoutError, asyncio.CancelledError):
                # Our own timeout, or the request's deadline (or its client leaving) cancelling the read.
                self.plan_apart(cypher, params)
                raise
            except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError) as error:
                if isinstance(error, neo4j.exceptions.Neo4jError) and STATEMENT_TIMED_OUT in (error.code or ""):
                    self.plan_apart(cypher, params)
                if attempt + 1 == READ_ATTEMPTS or not error.is_retryable():
                    raise
                if self.liveness is not None and not await self.liveness.answers():
                    # Neo4j does not answer at all (frozen): another attempt would only wait again,
                    # up to the pool's acquisition timeout each time.
                    raise
                await asyncio.sleep(0.05 * 2**attempt)
        raise AssertionError("unreachable")

    async def write(
        self, statements: Sequence[tuple[str, Mapping[str, Any]]], *, op: str = "write"
    ) -> list[neo4j.SummaryCounters]:
        """Several statements in ONE managed write transaction: all of them land or none does."""

        async def work(tx: Transaction) -> list[neo4j.SummaryCounters]:
            counters = []
            for cypher, params in statements:
                result = await tx.run(cypher, dict(params))
                counters.append((await result.consume()).counters)
            return counters

        CYPHER_STATEMENTS.labels("write").inc(len(statements))
        return await self.transaction(work, op=op)

    async def transaction(
        self,
        work: Callable[[Transaction], Awaitable[T]],
        *,
        op: str,
        by: str | None = None,
        limit_s: float = 120.0,
        commit: bool = True,
    ) -> T:
        """`work` in ONE managed write transaction (retried by the driver on transient failures, so it
        must have no effect outside Neo4j). A uniqueness clash becomes `Conflict` naming the key.

        `commit=False` runs the very same statements in a transaction that is rolled back: a dry run
        reports exactly what a write would change."""
        metadata = {"app": "federation-registry", "op": op, **({"by": by} if by else {})}
        try:
            async with self.driver.session(database=self.name) as session:
                if not commit:
                    tx = await session.begin_transaction(metadata={**metadata, "dryRun": True}, timeout=limit_s)
                    try:
                        return await work(tx)
                    finally:
                        await tx.rollback()
                return await session.execute_write(neo4j.unit_of_work(metadata=metadata, timeout=limit_s)(work))
        except neo4j.exceptions.ConstraintError as error:
            raise conflict(error) from None


_CLASH = re.compile(r"already exists with label `(?P<label>\w+)` and propert(?:y|ies) (?P<key>.+)$")


def conflict(error: neo4j.exceptions.ConstraintError) -> Conflict:
    """The clash Neo4j reports, in words: which key of which label already exists."""
    found = _CLASH.search(error.message or "")
    what = f"a {found['label']} with {found['key']} already exists" if found else "a uniqueness constraint was violated"
    return Conflict("input", what)


async def run_in(tx: Transaction, cypher: str, params: Mapping[str, Any]) -> list[Record]:
    """One statement inside a write transaction the caller manages, counted like every other."""
    CYPHER_STATEMENTS.labels("write").inc()
    return [plain(r) for r in await (await tx.run(cypher, dict(params))).data()]


# A branch's own parameter map where `p` cannot be read (LIMIT, SKIP): replaced by `$p<i>` when folded.
BRANCH_PARAMETER = "$branch"


@dataclass
class Branch:
    """One loader batch: a Cypher fragment reading `p` (its parameters) and ending in
    `WITH key, rows, total`, where rows is a list of maps for that key."""

    cypher: str
    params: dict[str, Any]
    future: asyncio.Future[dict[Any, tuple[list[Record], int | None]]]


@dataclass
class _Group:
    """The branches of one statement of the batcher's."""

    branches: list[Branch] = field(default_factory=list)
    texts: set[str] = field(default_factory=set)
    spent: int = 0


# ------------------------------------------------------------------------ what a statement may cost to plan
# Neo4j plans every subquery of a statement (`COLLECT`, `EXISTS`, `COUNT`, `CALL`, each `UNION` branch)
# the first time it sees the text, ~30 ms each at the egi scale on this project's machines (egi
# matchmaking's compiled statement, 35 of them: ~1 s once, then ~10 ms a run). Aliases, depth and cost
# do not bound how many one document makes, so no statement a request sends holds more than a budget of
# them (`RequestContext.statement_subqueries_max`; `schema/compiled_reads.py`, and the batcher below).
STATEMENT_SUBQUERIES_MAX = 64
SENT_AT_ONCE = 4  # statements of one wave of a request's loaders read at the same time
_SUBQUERY = re.compile(r"\b(?:EXISTS|COLLECT|COUNT|CALL)\s*[({]|\bUNION\b")


@lru_cache(maxsize=4096)
def subqueries(cypher: str) -> int:
    """How many subqueries Neo4j plans for this text (the text itself one)."""
    return 1 + len(_SUBQUERY.findall(cypher))


@dataclass
class StatementBatcher:
    """Folds the loader batches dispatched in the same wave of a request into one statement.

    GraphQL resolves a query level by level; the loaders of sibling fields (a region's flavors,
    images and quotas) each dispatch a batch at the same level. Sent separately they would cost a
    round trip each; here they become the branches of one `UNION ALL` statement, so the statements
    a request sends grow with its nesting depth, not with the number of fields or rows.

    Two limits keep Neo4j's planning bounded (it plans each branch of a new text): a statement holds
    at most `budget` subqueries, and never the same branch text twice — aliases of one field with
    different filters (`flavors(where: …)` 29 times) are as many loaders of one text, and each repeat
    goes to a further statement, whose text Neo4j then has planned already. Those are sent a few
    at a time.
    """

    database: Database
    budget: int = STATEMENT_SUBQUERIES_MAX
    counter: StatementCount = field(default_factory=StatementCount)
    # What the request's compiled statement has already read, for resolvers that read pages (not walks:
    # their loaders are primed instead), by what shapes the read (`catalogue.page_answer_key`).
    answers: dict[Hashable, Any] = field(default_factory=dict)
    _pending: list[Branch] = field(default_factory=list)
    _flush_scheduled: bool = False
    _flush_task: asyncio.Task[None] | None = None  # held so the loop cannot drop it mid-flight

    def submit(self, cypher: str, params: dict[str, Any]) -> asyncio.Future[dict[Any, tuple[list[Record], int | None]]]:
        loop = asyncio.get_running_loop()
        branch = Branch(cypher, params, loop.create_future())
        self._pending.append(branch)
        if not self._flush_scheduled:
            self._flush_scheduled = True
            self._flush_task = loop.create_task(self._flush_when_quiet())
        return branch.future

    async def _flush_when_quiet(self) -> None:
        # Yield to the loop until a pass goes by with no new branch: by then every resolver of this
        # level that can run without the database has run and queued its batch.
        seen = -1
        while seen != len(self._pending):
            seen = len(self._pending)
            for _ in range(3):
                await asyncio.sleep(0)
        branches, self._pending, self._flush_scheduled = self._pending, [], False
        groups = self.statements_of(branches)
        for start in range(0, len(groups), SENT_AT_ONCE):  # a few at a time: the pool serves other requests too
            await asyncio.gather(*(self._send(group) for group in groups[start : start + SENT_AT_ONCE]))

    def statements_of(self, branches: list[Branch]) -> list[list[Branch]]:
        """The branches grouped into statements: each in the first that lacks its text and has room."""
        groups: list[_Group] = []
        for branch in branches:
            cost = subqueries(branch.cypher) + 1  # and the UNION joining it
            group = next((g for g in groups if branch.cypher not in g.texts and g.spent + cost <= self.budget), None)
            if group is None:
                group = _Group()
                groups.append(group)
            group.branches.append(branch)
            group.texts.add(branch.cypher)
            group.spent += cost
        return [group.branches for group in groups]

    async def _send(self, branches: list[Branch]) -> None:
        try:
            records = await self.database.read(
                self.statement(branches), self.parameters(branches), counter=self.counter
            )
        except Exception as error:
            for branch in branches:
                if not branch.future.done():
                    branch.future.set_exception(error)
            return
        results: list[dict[Any, tuple[list[Record], int | None]]] = [{} for _ in branches]
        for q, key, rows, total in records[0]["results"]:
            results[q][freeze(key)] = (rows, total)
        for branch, result in zip(branches, results, strict=True):
            if not branch.future.done():
                branch.future.set_result(result)

    @staticmethod
    def statement(branches: list[Branch]) -> str:
        # The branches' rows come back collected in ONE record: a record per key would cost a Bolt
        # message each, and the driver reads every message with a timer and a task of its own.
        union = "\nUNION ALL\n".join(
            f"WITH $p{i} AS p\n{b.cypher.replace(BRANCH_PARAMETER, f'$p{i}')}\nRETURN {i} AS q, key, rows, total"
            for i, b in enumerate(branches)
        )
        return f"CALL () {{\n{union}\n}}\nRETURN collect([q, key, rows, total]) AS results"

    @staticmethod
    def parameters(branches: list[Branch]) -> dict[str, Any]:
        return {f"p{i}": b.params for i, b in enumerate(branches)}


def freeze(key: Any) -> Any:
    """A hashable form of a key as Cypher returns it (maps become sorted item tuples)."""
    if isinstance(key, dict):
        return tuple(sorted((k, freeze(v)) for k, v in key.items()))
    if isinstance(key, list):
        return tuple(freeze(v) for v in key)
    return key


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()
