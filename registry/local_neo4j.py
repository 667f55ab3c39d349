"""A local Neo4j 5.26 community server for machines without Docker (developers, CI).

Maven resolves Neo4j from Maven Central into its cache (~/.m2) and compiles the small embedded
launcher in scripts/neo4j-embedded; the server then runs as a separate Java process bound to
127.0.0.1 with Bolt only. `start` returns once Bolt answers; `stop` asks it to shut down cleanly.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import neo4j

PROJECT = Path(__file__).resolve().parent.parent
LAUNCHER = PROJECT / "scripts" / "neo4j-embedded"
MAIN_CLASS = "org.federation.registry.Neo4jEmbedded"
START_TIMEOUT_S = 180.0
PROGRESS_EVERY_S = 15.0  # how often a long step says it is still going


class LocalNeo4jError(RuntimeError):
    pass


def _quiet(message: str) -> None:
    pass


def build_launcher(report: Callable[[str], None] = _quiet) -> str:
    """Resolve Neo4j and compile the launcher (once; Maven's cache makes later runs offline)."""
    target = LAUNCHER / "target"
    classpath_file = target / "classpath.txt"
    source = LAUNCHER / "src" / "main" / "java" / "org" / "federation" / "registry" / "Neo4jEmbedded.java"
    fresh = (
        classpath_file.exists()
        and (target / "classes").exists()
        and classpath_file.stat().st_mtime >= max((LAUNCHER / "pom.xml").stat().st_mtime, source.stat().st_mtime)
    )
    if not fresh:
        if shutil.which("mvn") is None or shutil.which("java") is None:
            raise LocalNeo4jError("Java 17 and Maven are needed to run Neo4j locally (or set NEO4J_URI)")
        report("Neo4j 5.26: resolving it from Maven Central into ~/.m2 and compiling its launcher "
               "(first run only; a few minutes)")  # fmt: skip
        maven = subprocess.Popen(
            ["mvn", "-q", "-B", "-f", str(LAUNCHER / "pom.xml"), "compile", "dependency:build-classpath",
             f"-Dmdep.outputFile={classpath_file}"],
        )  # fmt: skip
        started = time.monotonic()
        while True:
            try:
                returncode = maven.wait(timeout=PROGRESS_EVERY_S)
                break
            except subprocess.TimeoutExpired:
                report(f"  still resolving Neo4j with Maven ({time.monotonic() - started:.0f} s)")
        if returncode != 0:
            raise LocalNeo4jError(f"Maven could not build the Neo4j launcher (exit status {returncode})")
    return f"{target / 'classes'}{os.pathsep}{classpath_file.read_text().strip()}"


@dataclass
class LocalNeo4j:
    """One local server: its data lives in `home`, its pid in `home/neo4j.pid`."""

    home: Path
    port: int = 7687
    heap: str = "1g"

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    @property
    def pid_file(self) -> Path:
        return self.home / "neo4j.pid"

    @property
    def port_file(self) -> Path:
        return self.home / "neo4j.port"

    @classmethod
    def at(cls, home: Path, port: int | None = None) -> LocalNeo4j:
        """The server of `home`, on the port it was started with (unless `port` is given)."""
        if port is None:
            try:
                port = int((home / "neo4j.port").read_text())
            except (OSError, ValueError):
                port = 7687
        return cls(home=home, port=port)

    def running_pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text())
            os.kill(pid, 0)
        except (OSError, ValueError):
            return None
        return None if _exited(pid) else pid

    def start(self, report: Callable[[str], None] = _quiet) -> None:
        """Start the server (unless it runs already) and wait until Bolt answers; `report` is told what
        is happening while that takes long."""
        if self.running_pid() is not None:
            self.wait_for_bolt(report=report)
            return
        classpath = build_launcher(report)
        report(f"Neo4j: starting on {self.uri} (data in {self.home})")
        self.home.mkdir(parents=True, exist_ok=True)
        log = (self.home / "neo4j.log").open("ab")
        process = subprocess.Popen(
            ["java", f"-Xmx{self.heap}", "-XX:+UseG1GC", "-cp", classpath, MAIN_CLASS, str(self.home / "data"),
             str(self.port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # not killed by the terminal's Ctrl-C; `stop` ends it cleanly
        )  # fmt: skip
        self.pid_file.write_text(str(process.pid))
        self.port_file.write_text(str(self.port))
        try:
            self.wait_for_bolt(process, report)
        except LocalNeo4jError:
            self.stop()
            raise

    def wait_for_bolt(
        self, process: subprocess.Popen[bytes] | None = None, report: Callable[[str], None] = _quiet
    ) -> None:
        started = time.monotonic()
        deadline = started + START_TIMEOUT_S
        next_report = started + PROGRESS_EVERY_S
        while True:
            if process is not None and process.poll() is not None:
                raise LocalNeo4jError(f"Neo4j exited with {process.returncode}; see {self.home / 'neo4j.log'}")
            try:
                with neo4j.GraphDatabase.driver(self.uri, auth=None) as driver:
                    driver.verify_connectivity()
                report(f"Neo4j: answering on {self.uri} after {time.monotonic() - started:.0f} s")
                return
            except (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.DriverError, OSError):
                if time.monotonic() > deadline:
                    raise LocalNeo4jError(f"Bolt did not answer on {self.uri} within {START_TIMEOUT_S:.0f}s") from None
                if time.monotonic() > next_report:
                    report(f"  waiting for Neo4j to answer ({time.monotonic() - started:.0f} s)")
                    next_report += PROGRESS_EVERY_S
                time.sleep(0.5)

    def stop(self, timeout: float = 60.0) -> None:
        pid = self.running_pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return
        os.kill(pid, signal.SIGTERM)  # the launcher's shutdown hook closes the DBMS cleanly
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if _exited(pid):
                break
            time.sleep(0.2)
        else:
            os.kill(pid, signal.SIGKILL)
            while not _exited(pid):
                time.sleep(0.1)
        self.pid_file.unlink(missing_ok=True)


def _exited(pid: int) -> bool:
    """Whether the process has ended: reaped here when it is our child, else gone or a zombie (a
    process whose parent, e.g. `registry dev`, has not reaped it yet is no server any more)."""
    try:
        finished, _ = os.waitpid(pid, os.WNOHANG)
        if finished:
            return True
    except ChildProcessError:
        pass
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        if Path("/proc/self").exists():
            return True
        try:  # no /proc (macOS): a zombie still looks alive here
            os.kill(pid, 0)
        except OSError:
            return True
        return False
    return stat.rpartition(")")[2].split()[0] in ("Z", "X")
