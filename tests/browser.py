"""A headless Chromium (Debian's package) driven over the DevTools protocol: navigate, run script, wait,
click, screenshot, and the log of every request the page sent."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import os
import shutil
import signal
import tempfile
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

# Nothing but the page's own traffic: no update checks, sync, safe-browsing or crash reports.
QUIET = (
    "--headless=new",
    "--no-sandbox",  # root on CI
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-breakpad",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-features=Translate,OptimizationHints,MediaRouter,InterestFeedContentSuggestions",
    "--metrics-recording-only",
    "--password-store=basic",
    "--use-mock-keychain",
    "--remote-debugging-port=0",
    "--window-size=1500,950",
)


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@dataclass
class Page:
    """One tab, over its DevTools websocket."""

    socket: ClientConnection
    requests: list[dict[str, Any]] = field(default_factory=list)  # Network.requestWillBeSent's `request`
    statuses: list[tuple[str, int]] = field(default_factory=list)  # (url, HTTP status) of each response
    exceptions: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=itertools.count)
    _waiting: dict[int, asyncio.Future[dict[str, Any]]] = field(default_factory=dict)

    async def listen(self) -> None:
        async for message in self.socket:
            data = json.loads(message)
            if "id" in data:
                future = self._waiting.pop(data["id"], None)
                if future is not None and not future.done():
                    future.set_result(data)
            elif data.get("method") == "Network.requestWillBeSent":
                self.requests.append(data["params"]["request"])
            elif data.get("method") == "Network.responseReceived":
                response = data["params"]["response"]
                self.statuses.append((response["url"], response["status"]))
            elif data.get("method") == "Runtime.exceptionThrown":
                details = data["params"]["exceptionDetails"]
                self.exceptions.append(str((details.get("exception") or {}).get("description") or details["text"]))
            elif data.get("method") == "Log.entryAdded":
                self.console.append(data["params"]["entry"]["text"])

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        number = next(self._ids)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._waiting[number] = future
        await self.socket.send(json.dumps({"id": number, "method": method, "params": params}))
        answer = await asyncio.wait_for(future, timeout=30)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        result: dict[str, Any] = answer["result"]
        return result

    async def evaluate(self, expression: str) -> Any:
        """The value of a script (awaited when it is a promise)."""
        result = await self.send("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression!r}: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def wait_for(self, expression: str, within: float = 20.0) -> Any:
        """The first truthy value of `expression`, polled for `within` seconds."""
        deadline = time.monotonic() + within
        while True:
            with contextlib.suppress(RuntimeError):  # mid-navigation: no context to run in
                value = await self.evaluate(expression)
                if value:
                    return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"never true: {expression}")
            await asyncio.sleep(0.1)

    async def goto(self, url: str) -> None:
        await self.send("Page.navigate", url=url)

    async def click(self, selector: str, within: float = 20.0) -> None:
        """Click the first element matching `selector` (once there is one) as a person would."""
        found = json.dumps(selector)
        await self.wait_for(f"!!document.querySelector({found})", within)
        box = await self.evaluate(
            f"(() => {{ const e = document.querySelector({found}); e.scrollIntoView({{block: 'center'}});"
            " const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        for kind in ("mousePressed", "mouseReleased"):
            await self.send("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)

    async def screenshot(self, path: Path) -> None:
        shot = await self.send("Page.captureScreenshot", format="png")
        await asyncio.to_thread(path.parent.mkdir, parents=True, exist_ok=True)
        await asyncio.to_thread(path.write_bytes, base64.b64decode(shot["data"]))


@contextlib.asynccontextmanager
async def open_page() -> AsyncIterator[Page]:
    """A fresh headless Chromium (its own empty profile) and its one tab; both gone afterwards."""
    binary = chromium()
    assert binary is not None, "Chromium is missing: `make test` installs Debian's chromium"
    # Chromium's helper processes may still write to the profile as it is removed.
    with tempfile.TemporaryDirectory(prefix="registry-chromium-", ignore_cleanup_errors=True) as profile:
        # Its own process group: the browser and every helper process it starts go together at the end.
        process = await asyncio.create_subprocess_exec(
            binary, *QUIET, f"--user-data-dir={profile}", "about:blank",
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        try:
            port_file = Path(profile) / "DevToolsActivePort"
            deadline = time.monotonic() + 30
            while not port_file.exists() or not port_file.read_text().strip():
                if time.monotonic() > deadline or process.returncode is not None:
                    raise RuntimeError("Chromium did not open its DevTools port")
                await asyncio.sleep(0.1)
            port = int(port_file.read_text().split()[0])
            async with httpx.AsyncClient() as http:
                targets = (await http.get(f"http://127.0.0.1:{port}/json/list")).json()
            url = next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")
            async with connect(url, max_size=64 * 1024 * 1024) as socket:
                page = Page(socket)
                listener = asyncio.create_task(page.listen())
                for domain in ("Page", "Network", "Runtime", "Log"):
                    await page.send(f"{domain}.enable")
                try:
                    yield page
                finally:
                    listener.cancel()
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), 10)
            except TimeoutError:
                process.kill()
                await process.wait()
            with contextlib.suppress(ProcessLookupError):  # helpers that outlived the browser
                os.killpg(process.pid, signal.SIGKILL)
