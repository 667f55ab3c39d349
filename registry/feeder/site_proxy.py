"""The way out to a provider's APIs: the site's proxy as the standard variables name it, per target host.

urllib3 reads no environment. openstacksdk did (through requests), and so does keystoneauth, which
logs the OpenStack harvest in: operators behind a site proxy set HTTPS_PROXY / HTTP_PROXY / ALL_PROXY
/ NO_PROXY (either case; lower case wins, as in `urllib.request.getproxies`) and expect every call to
follow them. So each URL is routed as `urllib.request` would: the proxy of its scheme (else ALL_PROXY),
unless NO_PROXY names its host (a suffix of it, `host:port`, `*`, or, as requests also allows, an
address range such as 10.0.0.0/8 holding its IP address). Credentials in a proxy URL
(`http://user:secret@proxy:3128`) are sent as Proxy-Authorization. TLS is verified as requests
verifies it for the login: a CA file configured for the provider, else REQUESTS_CA_BUNDLE or
CURL_CA_BUNDLE, else requests' bundle (certifi)."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import getproxies, proxy_bypass_environment  # type: ignore[attr-defined]  # not in typeshed

import urllib3
from requests.utils import DEFAULT_CA_BUNDLE_PATH
from urllib3.connectionpool import HTTPConnectionPool
from urllib3.util import Url, parse_url


def ca_bundle(verify: bool | Path | str) -> str | None:
    """The CA file that verifies a provider's certificates (None: `verify` is false, nothing is verified)."""
    if verify is False:
        return None
    if verify is not True:
        return str(verify)
    return os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or str(DEFAULT_CA_BUNDLE_PATH)


def bypasses(host: str, port: int | None, no_proxy: str) -> bool:
    """NO_PROXY names this host: urllib's rule (suffixes, host:port, `*`) or an address range holding it."""
    if proxy_bypass_environment(f"{host}:{port}" if port else host, {"no": no_proxy}):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    for entry in no_proxy.split(","):
        try:
            if address in ipaddress.ip_network(entry.strip(), strict=False):
                return True
        except ValueError:
            continue
    return False


class SiteProxy:
    """The proxies the environment names (read once: when a provider's harvest starts), and which one a
    URL goes through."""

    def __init__(self, proxies: Mapping[str, str] | None = None) -> None:
        self.proxies = dict(getproxies() if proxies is None else proxies)

    def proxy_for(self, url: str) -> str | None:
        """The proxy URL a request to `url` goes through; None: straight to its host."""
        parts = urlsplit(url)
        proxy = self.proxies.get(parts.scheme) or self.proxies.get("all")
        if not proxy or bypasses(parts.hostname or "", parts.port, self.proxies.get("no", "")):
            return None
        return proxy

    def settings(self, url: str) -> tuple[str | None, dict[str, str] | None]:
        """The proxy for `url` without credentials, and the headers carrying them (None, None: go direct)."""
        proxy = self.proxy_for(url)
        if proxy is None:
            return None, None
        parts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        headers = None
        if parts.username is not None:
            login = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
            headers = urllib3.util.make_headers(proxy_basic_auth=login)
        return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl(), headers


class SiteRoutes:
    """Connection pools for one provider's harvest: straight to the host, or through its proxy. The
    route is worked out once per host (scheme, host, port), not per request; a request straight to its
    host goes to that host's pool without the pool manager's per-request look-up (a redirect is then
    followed by the pool manager, as before)."""

    def __init__(self, verify: bool | Path | str, proxy: SiteProxy | None = None) -> None:
        ca_certs = ca_bundle(verify)
        self.tls: dict[str, Any] = {"cert_reqs": "CERT_REQUIRED" if ca_certs else "CERT_NONE", "ca_certs": ca_certs}
        self.proxy = proxy or SiteProxy()
        self.direct = urllib3.PoolManager(**self.tls)
        self.through: dict[str, urllib3.ProxyManager] = {}
        # (scheme, host, port) -> the manager of its route, and the host's own pool when it is reached directly
        self.routes: dict[tuple[str, str, int | None], tuple[urllib3.PoolManager, HTTPConnectionPool | None]] = {}

    def _route(self, parts: Url) -> tuple[urllib3.PoolManager, HTTPConnectionPool | None]:
        host = (parts.scheme or "http", parts.host or "", parts.port)
        route = self.routes.get(host)
        if route is None:
            proxy, headers = self.proxy.settings(parts.url)
            if proxy is None:
                route = (self.direct, self.direct.connection_from_host(host[1], host[2], host[0]))
            else:
                if proxy not in self.through:
                    self.through[proxy] = urllib3.ProxyManager(proxy, proxy_headers=headers, **self.tls)
                route = (self.through[proxy], None)
            self.routes[host] = route
        return route

    def request(self, method: str, url: str, **options: Any) -> urllib3.BaseHTTPResponse:
        parts = parse_url(url)
        manager, pool = self._route(parts)
        if pool is None:
            return manager.request(method, url, **options)
        response = pool.urlopen(method, parts.request_uri, redirect=False, assert_same_host=False, **options)
        if response.get_redirect_location():
            response.drain_conn()
            return manager.request(method, url, **options)
        return response

    def clear(self) -> None:
        self.routes.clear()
        self.direct.clear()
        for manager in self.through.values():
            manager.clear()
