"""Clean shutdown: SIGTERM to `registry dev` stops every child it started (Neo4j, issuer, S3 server) and
leaves no process behind; a local Neo4j that exited but was not reaped counts as stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from registry.local_neo4j import LocalNeo4j
from tests.conftest import PROJECT, _free_port


def _alive(pid: int) -> bool:
    """Running, not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _group_members(pgid: int) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
                members.append(int(entry.name))
    return members


def _wait_for_health(port: int, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"registry dev exited with {process.returncode}"
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError("registry dev did not come up")


def test_sigterm_to_registry_dev_leaves_no_process(tmp_path: Path) -> None:
    ports = {name: _free_port() for name in ("port", "bolt-port", "issuer-port", "s3-port")}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "REGISTRY_"))}
    home = tmp_path / "neo4j"
    command = [sys.executable, "-m", "registry.cli", "dev", "--home", str(home), "--state", str(tmp_path / "issuer")]
    for name, port in ports.items():
        command += [f"--{name}", str(port)]
    # Its own process group: the issuer and S3 server it starts stay in it, so leftovers can be found.
    process = subprocess.Popen(command, cwd=PROJECT, env=env, start_new_session=True)
    try:
        _wait_for_health(ports["port"], process, timeout=300)
        neo4j_pid = int((home / "neo4j.pid").read_text())
        assert _alive(neo4j_pid)
        assert len(_group_members(process.pid)) >= 3  # itself, the issuer, the S3 server

        process.send_signal(signal.SIGTERM)
        process.wait(timeout=120)

        assert _group_members(process.pid) == []
        deadline = time.monotonic() + 10  # Neo4j is no child of this test: wait for init to reap it
        while _alive(neo4j_pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(neo4j_pid)
        assert not (home / "neo4j.pid").exists()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        leftover = (home / "neo4j.pid").read_text() if (home / "neo4j.pid").exists() else None
        if leftover and _alive(int(leftover)):
            os.kill(int(leftover), signal.SIGKILL)


def test_an_exited_unreaped_neo4j_counts_as_stopped(tmp_path: Path) -> None:
    # A parent (standing in for `registry dev`) whose child exits and is never reaped: a zombie.
    parent = subprocess.Popen(
        [sys.executable, "-c", "import subprocess, sys, time; c = subprocess.Popen(['sleep', '60']); "
         "print(c.pid, flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE,
    )  # fmt: skip
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        server = LocalNeo4j(home=tmp_path, port=_free_port())
        server.pid_file.write_text(str(child))
        assert server.running_pid() == child

        os.kill(child, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while _alive(child) and time.monotonic() < deadline:
            time.sleep(0.05)

        assert Path(f"/proc/{child}").exists()  # still there, as a zombie
        assert server.running_pid() is None  # so a later `start` does not wait on it
        server.stop()  # and `stop` returns at once
        assert not server.pid_file.exists()
    finally:
        parent.kill()
        parent.wait()


def test_stop_and_status_find_the_port_a_server_was_started_with(tmp_path: Path) -> None:
    (tmp_path / "neo4j.port").write_text("17687")

    assert LocalNeo4j.at(tmp_path).port == 17687
    assert LocalNeo4j.at(tmp_path, 7000).port == 7000
