"""Cross-origin requests (CORS) from the origins the settings list: browser dashboards on another site
calling /graphql. Off when no origin is listed; a request from an origin not listed gets no CORS header
at all, so the browser keeps the answer from the page."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Send
from starlette.types import Scope as ASGIScope

# What a dashboard's `fetch` sends: the token, a JSON body (Content-Type: application/json is not a
# "simple" header, so browsers preflight it), a request id of its own, Apollo's preflight headers.
ALLOWED_HEADERS = (
    "authorization",
    "content-type",
    "x-request-id",
    "apollo-require-preflight",
    "x-apollo-operation-name",
)
ALLOWED_METHODS = ("GET", "POST")
# Headers of the answer a page's script may read besides the CORS-safelisted ones.
EXPOSED_HEADERS = "X-Request-Id"


class CrossOrigin:
    """ASGI middleware answering preflights (OPTIONS with Access-Control-Request-Method) itself and adding
    Access-Control-Allow-Origin to answers for listed origins. `"*"` in the list allows any origin (no
    cookies are used, so credentials are never allowed: the token travels in Authorization)."""

    def __init__(self, app: ASGIApp, origins: list[str], max_age_s: int) -> None:
        self.app = app
        self.any_origin = "*" in origins
        self.origins = frozenset(origins)
        self.max_age = str(max_age_s).encode()

    def allows(self, origin: str) -> bool:
        return self.any_origin or origin in self.origins

    async def __call__(self, scope: ASGIScope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        origin = headers.get(b"origin", b"").decode("latin-1")
        requested_method = headers.get(b"access-control-request-method")
        if scope["method"] == "OPTIONS" and origin and requested_method is not None:
            await self._preflight(send, origin, requested_method, headers.get(b"access-control-request-headers", b""))
            return
        allowed = bool(origin) and self.allows(origin)

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                # Vary on every answer: a cache must not give one origin's answer to another.
                added = [(b"vary", b"Origin")]
                if allowed:
                    added += [
                        (b"access-control-allow-origin", origin.encode("latin-1")),
                        (b"access-control-expose-headers", EXPOSED_HEADERS.encode()),
                    ]
                message = {**message, "headers": [*message.get("headers", []), *added]}
            await send(message)

        await self.app(scope, receive, send_with_cors)

    async def _preflight(self, send: Send, origin: str, method: bytes, requested: bytes) -> None:
        names = [name.strip().lower() for name in requested.decode("latin-1").split(",") if name.strip()]
        refused = (
            "origin not allowed" if not self.allows(origin)
            else "method not allowed" if method.decode("latin-1") not in ALLOWED_METHODS
            else "header not allowed" if any(name not in ALLOWED_HEADERS for name in names)
            else None
        )  # fmt: skip
        if refused is not None:
            # No CORS header at all: the browser refuses the request it asked about.
            body = f"CORS preflight refused: {refused}.".encode()
            headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"vary", b"Origin")]
            await _answer(send, 403, headers, body)
            return
        headers = [
            (b"access-control-allow-origin", origin.encode("latin-1")),
            (b"access-control-allow-methods", ", ".join(ALLOWED_METHODS).encode()),
            (b"access-control-allow-headers", ", ".join(ALLOWED_HEADERS).encode()),
            (b"access-control-max-age", self.max_age),
            (b"vary", b"Origin, Access-Control-Request-Method, Access-Control-Request-Headers"),
        ]
        await _answer(send, 204, headers, b"")


async def _answer(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    headers = [*headers, (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
