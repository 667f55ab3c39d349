"""The floor behind HTTP: the floor's statements served by the same server stack as ours, and nothing else.

`python -m bench.floor.serve --port P` (Neo4j from NEO4J_URI) runs one uvicorn process with uvloop and
httptools and no access log, as `registry serve` does, around a bare ASGI app: `POST /<tier>` with
`{"variables": {"group", "issuer", "minGpus"}}` runs the tier's statement (`bench/floor/`) through the
same async driver, opened with the same settings as ours (`open_database`), and answers
`{"data": ...}` as JSON, as ours does. It checks no token and parses no GraphQL: the least any server
must do to answer over HTTP, so the benchmark's goals measure ours against it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from bench import floor
from registry.database import open_database
from registry.settings import Settings
from resolvers.db import Database, today

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class FloorApp:
    """The ASGI app: one database opened at startup, one statement per request."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.database: Database | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._request(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.database = open_database(self.settings)
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.database is not None:
                    await self.database.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _request(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        tier = scope["path"].strip("/")
        if scope["method"] != "POST" or tier not in floor.STATEMENTS or self.database is None:
            await _respond(send, 404, {"errors": [{"message": f"no floor at {scope['method']} {scope['path']}"}]})
            return
        try:
            variables = json.loads(body).get("variables") or {}
            params = {"minGpus": 1, **variables, "today": today()}
            data = await floor.answer(self.database.driver, tier, params, self.database.name)
        except Exception as error:  # answered, not raised: the benchmark counts it as a failure
            await _respond(send, 500, {"errors": [{"message": f"{type(error).__name__}: {error}"}]})
            return
        await _respond(send, 200, {"data": data})


async def _respond(send: Send, status: int, payload: dict[str, Any]) -> None:
    body = json.dumps(payload).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def main() -> int:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    app = FloorApp(Settings())
    uvicorn.run(app, host=args.host, port=args.port, loop="uvloop", http="httptools", access_log=False,
                log_level="warning")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
