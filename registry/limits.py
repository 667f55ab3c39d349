"""What a request may be on the way in: header and body sizes, read times, JSON shape and encoding, a
deadline; and every refusal as a GraphQL-shaped JSON body with a code, never a 500 or a trace.

Two layers. `LimitedHttpToolsProtocol` is the server's HTTP parser (uvicorn with httptools): it counts
header bytes and lines as they arrive and closes a connection whose headers do not complete within
`header_read_timeout_s` (slow-loris), before any of the application runs. `GuardRequests` is ASGI
middleware: a request id for the logs, the header limits again (for servers other than ours), the body
read whole within its limit and the deadline, the work cancelled when the deadline passes or the client
goes away.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Send
from starlette.types import Scope as ASGIScope
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from registry.settings import Settings, get_settings
from resolvers.db import DEADLINE, DEADLINE_TIMER
from schema.errors import ErrorCode
from schema.refusals import REQUEST_ID
from schema.request_record import current_record

log = logging.getLogger("registry.requests")

# Deeper JSON than this is no GraphQL request: variables of the schema nest a few levels.
MAX_JSON_DEPTH = 64
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

_REASONS = {
    400: "Bad Request",
    408: "Request Timeout",
    413: "Content Too Large",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    504: "Gateway Timeout",
}


class Refusal(Exception):
    """A request refused before GraphQL runs: its HTTP status, code and a message safe to show."""

    def __init__(self, status: int, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def refusal_body(code: ErrorCode, message: str) -> bytes:
    return json.dumps({"data": None, "errors": [{"message": message, "extensions": {"code": code.value}}]}).encode()


async def send_refusal(send: Send, refusal: Refusal, request_id: str | None = None) -> None:
    body = refusal_body(refusal.code, refusal.message)
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if request_id is not None:
        headers.append((b"x-request-id", request_id.encode()))
    await send({"type": "http.response.start", "status": refusal.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def decode_request_json(body: bytes | str) -> dict[str, Any]:
    """A GraphQL request body: UTF-8 JSON, an object, nested at most MAX_JSON_DEPTH, every string
    encodable (no lone surrogates, which json.loads lets through from `\\ud800`)."""
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
    except UnicodeDecodeError:
        raise Refusal(400, ErrorCode.BAD_REQUEST, "The body is not UTF-8.") from None
    try:
        data = json.loads(text)
    except RecursionError:
        raise Refusal(400, ErrorCode.BAD_REQUEST, f"The JSON body nests deeper than {MAX_JSON_DEPTH}.") from None
    except ValueError:
        raise Refusal(400, ErrorCode.BAD_REQUEST, "The body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise Refusal(400, ErrorCode.BAD_REQUEST, "The body must be a JSON object with a `query`.")
    check_json_value(data)
    return data


def check_json_value(value: Any) -> None:
    """Iteratively (no recursion to exhaust): depth and string encodability."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            _check_text(item)
        elif isinstance(item, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise Refusal(400, ErrorCode.BAD_REQUEST, f"The JSON body nests deeper than {MAX_JSON_DEPTH}.")
            if isinstance(item, dict):
                for key, child in item.items():
                    _check_text(key)
                    stack.append((child, depth + 1))
            else:
                stack.extend((child, depth + 1) for child in item)


def holds_more_values(value: Any, limit: int) -> bool:
    """Whether `value` holds more than `limit` values (list items and object fields, at any depth);
    counted without recursion, and only up to the limit."""
    if not isinstance(value, dict | list):
        return False
    count = 0
    stack = [value]
    while stack:
        item = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        count += len(children)
        if count > limit:
            return True
        stack.extend(child for child in children if isinstance(child, dict | list))
    return False


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise Refusal(
            400, ErrorCode.BAD_REQUEST, "A string in the body is not valid Unicode (a lone surrogate)."
        ) from None


class GuardRequests:
    """ASGI middleware applying `settings`' limits to every HTTP request (see the module's docstring)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: ASGIScope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        token = REQUEST_ID.set(request_id)
        record = current_record()
        record.request_id = request_id
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": [*message.get("headers", []), (b"x-request-id", request_id.encode())]}
            await send(message)

        try:
            self._check_headers(scope)
            if scope["method"] == "POST":
                await self._run_with_body(scope, receive, send_with_id)
            elif scope["method"] == "GET":  # queries over GET run under the same deadline
                deadline = asyncio.get_running_loop().time() + self.settings.request_deadline_s
                await self._run_under_deadline(scope, b"", receive, send_with_id, deadline)
            else:
                await self.app(scope, receive, send_with_id)
        except Refusal as refusal:
            log.info("request %s refused: %s %s", request_id, refusal.code.value, refusal.message)
            record.note_codes([refusal.code.value])
            if not started:
                await send_refusal(send, refusal, request_id)
        except Exception:
            log.exception("request %s: unexpected error", request_id)
            record.note_codes([ErrorCode.INTERNAL_SERVER_ERROR.value])
            if not started:
                await send_refusal(send, Refusal(500, ErrorCode.INTERNAL_SERVER_ERROR, "Unexpected error."), request_id)
        finally:
            REQUEST_ID.reset(token)

    def _check_headers(self, scope: ASGIScope) -> None:
        headers = scope["headers"]
        size = sum(len(name) + len(value) for name, value in headers)
        if len(headers) > self.settings.max_header_count or size > self.settings.max_header_bytes:
            raise Refusal(431, ErrorCode.BAD_REQUEST, _HEADERS_TOO_LARGE.format(s=self.settings))

    async def _run_with_body(self, scope: ASGIScope, receive: Receive, send: Send) -> None:
        """Read the whole body (bounded), then run the app under the deadline; a client that goes away
        cancels it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.request_deadline_s
        content_type = _header(scope, b"content-type").lower()
        multipart = content_type.startswith("multipart/")
        limit = self.settings.multipart_body_limit if multipart else self.settings.max_json_body_bytes
        declared = _header(scope, b"content-length")
        if declared.isdigit() and int(declared) > limit:
            raise _too_large(limit, multipart)
        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout_at(deadline):
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > limit:
                        raise _too_large(limit, multipart)
                    chunks.append(chunk)
                    if not message.get("more_body", False):
                        break
        except TimeoutError:
            raise Refusal(
                408, ErrorCode.BAD_REQUEST, "The body did not arrive before the request's deadline."
            ) from None
        await self._run_under_deadline(scope, b"".join(chunks), receive, send, deadline)

    async def _run_under_deadline(
        self, scope: ASGIScope, body: bytes, receive: Receive, send: Send, deadline: float
    ) -> None:
        replayed = False
        completed = False
        client_left = False
        task = asyncio.current_task()
        assert task is not None

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.Event().wait()  # the app reads the body once; never again
            raise AssertionError("unreachable")

        async def send_tracking(message: Message) -> None:
            nonlocal completed
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                completed = True
            await send(message)

        async def watch_disconnect() -> None:
            nonlocal client_left
            while (await receive())["type"] != "http.disconnect":
                pass
            if not completed:
                client_left = True
                task.cancel()

        watcher = asyncio.create_task(watch_disconnect())
        token = DEADLINE.set(deadline)
        timer_token = None
        try:
            async with asyncio.timeout_at(deadline) as timer:
                timer_token = DEADLINE_TIMER.set(timer)
                await self.app(scope, replay, send_tracking)
        except TimeoutError:
            allowed = (DEADLINE.get() or deadline) - (deadline - self.settings.request_deadline_s)
            log.info("request %s passed its deadline of %.1fs", REQUEST_ID.get(), allowed)
            raise Refusal(
                504, ErrorCode.DEADLINE_EXCEEDED, f"The request ran past its deadline of {allowed:g} s."
            ) from None
        except asyncio.CancelledError:
            if not client_left:
                raise
            task.uncancel()
            log.info("request %s cancelled: the client went away", REQUEST_ID.get())
        finally:
            if timer_token is not None:
                DEADLINE_TIMER.reset(timer_token)
            DEADLINE.reset(token)
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher


_HEADERS_TOO_LARGE = "Headers are limited to {s.max_header_count} lines and {s.max_header_bytes} bytes."


def _too_large(limit: int, multipart: bool) -> Refusal:
    kind = "A multipart body" if multipart else "A JSON body"
    return Refusal(413, ErrorCode.PAYLOAD_TOO_LARGE, f"{kind} may hold at most {limit} bytes.")


def _header(scope: ASGIScope, name: bytes) -> str:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return ""


def _request_id(scope: ASGIScope) -> str:
    """The caller's X-Request-Id when it is a plain token (a proxy's), else a new one."""
    given = _header(scope, b"x-request-id")
    return given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex[:16]


class _HeadersRefused(Exception):
    pass


class LimitedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with limits on the request head: its bytes, its header lines, and
    the time it may take to arrive (from the connection's first byte, or the previous response, to
    the end of the headers). Refusals close the connection. The limits come from the settings."""

    # None: read from the settings when uvicorn makes the protocol (in each worker process).
    limits: tuple[int, int, float] | None = None

    @classmethod
    def configured(cls, settings: Settings) -> type[LimitedHttpToolsProtocol]:
        """The protocol with these settings' limits (a server run in this process, as tests do)."""
        limits = (settings.max_header_bytes, settings.max_header_count, settings.header_read_timeout_s)
        return type("LimitedHttpToolsProtocol", (cls,), {"limits": limits})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.limits is None:
            settings = get_settings()
            self.limits = (settings.max_header_bytes, settings.max_header_count, settings.header_read_timeout_s)
        self.max_header_bytes, self.max_header_count, self.header_read_timeout_s = self.limits

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head_bytes = 0
        self._head_lines = 0
        self._refused = False
        self._head_timer: asyncio.TimerHandle | None = None
        self._arm_head_timer()

    def _arm_head_timer(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(self.header_read_timeout_s, self._head_too_slow)

    def _disarm_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_too_slow(self) -> None:
        self._head_timer = None
        if not self.transport.is_closing():
            self._refuse(408, ErrorCode.BAD_REQUEST, "The request's headers did not arrive in time.")

    def _refuse(self, status: int, code: ErrorCode, message: str) -> None:
        self._refused = True
        body = refusal_body(code, message)
        head = (
            f"HTTP/1.1 {status} {_REASONS[status]}\r\ncontent-type: application/json\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
        ).encode()
        self.transport.write(head + body)
        self.transport.close()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_bytes = 0
        self._head_lines = 0
        self._arm_head_timer()  # for a request after the first on a kept-alive connection

    def on_url(self, url: bytes) -> None:
        self._count_head(len(url), 0)
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count_head(len(name) + len(value), 1)
        super().on_header(name, value)

    def _count_head(self, size: int, lines: int) -> None:
        self._head_bytes += size
        self._head_lines += lines
        if self._head_bytes > self.max_header_bytes or self._head_lines > self.max_header_count:
            if not self._refused:
                message = f"Headers are limited to {self.max_header_count} lines and {self.max_header_bytes} bytes."
                self._refuse(431, ErrorCode.BAD_REQUEST, message)
            raise _HeadersRefused  # stops the parser; `send_400_response` below stays silent

    def on_headers_complete(self) -> None:
        self._disarm_head_timer()
        super().on_headers_complete()

    def data_received(self, data: bytes) -> None:
        if not self._refused:
            super().data_received(data)

    def send_400_response(self, msg: str) -> None:
        if not self._refused:
            super().send_400_response(msg)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_head_timer()
        super().connection_lost(exc)
