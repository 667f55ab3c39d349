"""A site's forward HTTP proxy on loopback, for the feeder's tests: it relays plain-http requests
(absolute-URI request lines, no CONNECT) to 127.0.0.1 only, and records what it relayed."""

from __future__ import annotations

import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

# Headers that concern one hop, never relayed (RFC 9110, 7.6.1), and the proxy's own.
HOP = frozenset({"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
                 "proxy-authorization", "proxy-authenticate"})  # fmt: skip


class ForwardProxy(ThreadingHTTPServer):
    """Serve on a free loopback port in a background thread (`with ForwardProxy() as proxy:`)."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Relay)
        self.relayed: list[tuple[str, str]] = []  # (method, absolute URL)
        self.proxy_authorization: set[str] = set()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def record(self, method: str, url: str, authorization: str | None) -> None:
        with self._lock:
            self.relayed.append((method, url))
            if authorization:
                self.proxy_authorization.add(authorization)

    def __enter__(self) -> ForwardProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()


class _Relay(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: ForwardProxy

    def _relay(self) -> None:
        target = urlsplit(self.path)
        if target.scheme != "http" or target.hostname != "127.0.0.1":  # loopback only, and no CONNECT
            self.send_error(403, "this proxy relays http:// to 127.0.0.1 only")
            return
        self.server.record(self.command, self.path, self.headers.get("Proxy-Authorization"))
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
        upstream = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=30)
        try:
            path = target.path + (f"?{target.query}" if target.query else "")
            upstream.request(self.command, path or "/", body=body or None, headers=headers)
            answer = upstream.getresponse()
            data = answer.read()
        finally:
            upstream.close()
        self.send_response(answer.status, answer.reason)
        for key, value in answer.getheaders():
            if key.lower() not in HOP and key.lower() != "content-length":
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _relay

    def log_message(self, format: str, *args: object) -> None:  # quiet: pytest shows failures, not traffic
        pass
