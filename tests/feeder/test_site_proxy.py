"""The harvests go through the site's proxy as HTTP_PROXY / HTTPS_PROXY / ALL_PROXY / NO_PROXY say, per
target host: a real forward proxy on loopback relays (and counts) what the loopback clouds answer."""

from __future__ import annotations

import base64
import http.server
import json
import threading
from collections.abc import Iterator

import pytest
import urllib3

from registry.feeder.kubernetes import harvest_kubernetes
from registry.feeder.loopback_clouds import LoopbackClouds
from registry.feeder.openstack import harvest_openstack
from registry.feeder.site_proxy import SiteProxy, SiteRoutes, bypasses, ca_bundle
from tests.feeder.conftest import config, kubernetes, openstack
from tests.feeder.forward_proxy import ForwardProxy

pytestmark = pytest.mark.usefixtures("secrets")

PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "REQUEST_METHOD")


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[ForwardProxy]:
    """A forward proxy, and an environment that names none yet (whatever the machine running the tests sets)."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    with ForwardProxy() as server:
        yield server


def _harvest_openstack(clouds: LoopbackClouds) -> int:
    """Harvest the OpenStack provider GPU; how many requests its cloud answered."""
    clouds.clouds.hits.clear()
    feeder = config(openstack(clouds, "GPU"))
    harvest = harvest_openstack(feeder, feeder.providers[0])  # type: ignore[arg-type]
    assert harvest.failures == []
    assert harvest.bundle is not None
    return sum(n for (cloud, _), n in clouds.clouds.hits.items() if cloud == "GPU")


def test_every_openstack_request_goes_through_the_http_proxy(
    clouds: LoopbackClouds, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)

    answered = _harvest_openstack(clouds)

    # the login (keystoneauth) and every read (the harvest's own pools): nothing went straight to the cloud
    assert answered > 10
    assert len(proxy.relayed) == answered
    paths = {url.removeprefix(clouds.base_url) for _, url in proxy.relayed}
    assert "/GPU/identity/v3/auth/tokens" in paths
    assert any("/compute/" in p and "flavors" in p for p in paths)
    assert any("/image/" in p for p in paths) and any("/network/" in p for p in paths)


@pytest.mark.parametrize("no_proxy", ["127.0.0.1", "localhost,127.0.0.1:1,127.0.0.1", "127.0.0.0/8", "*"])
def test_no_proxy_wins(
    clouds: LoopbackClouds, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch, no_proxy: str
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", no_proxy)

    assert _harvest_openstack(clouds) > 10
    assert proxy.relayed == []


def test_a_proxy_for_another_scheme_is_not_used_and_all_proxy_is(
    clouds: LoopbackClouds, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")  # the clouds speak http: never tried
    assert _harvest_openstack(clouds) > 10
    assert proxy.relayed == []

    monkeypatch.setenv("all_proxy", proxy.url)
    answered = _harvest_openstack(clouds)
    assert len(proxy.relayed) == answered


def test_the_proxy_url_s_credentials_are_sent_to_the_proxy(
    clouds: LoopbackClouds, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("http_proxy", proxy.url.replace("http://", "http://feeder:s%40cret@"))

    _harvest_openstack(clouds)

    assert proxy.proxy_authorization == {"Basic " + base64.b64encode(b"feeder:s@cret").decode()}


def test_the_kubernetes_client_follows_the_same_variables(
    clouds: LoopbackClouds, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    feeder = config(kubernetes(clouds))
    monkeypatch.setenv("HTTP_PROXY", proxy.url.replace("http://", "http://feeder:secret@"))

    harvest = harvest_kubernetes(feeder, feeder.providers[0])  # type: ignore[arg-type]
    assert harvest.failures == []
    answered = sum(n for (cloud, _), n in clouds.clouds.hits.items() if cloud == "K8S")
    assert answered >= 3  # nodes, storage classes, the namespace's quotas
    assert len(proxy.relayed) == answered
    assert proxy.proxy_authorization == {"Basic " + base64.b64encode(b"feeder:secret").decode()}

    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    harvest = harvest_kubernetes(feeder, feeder.providers[0])  # type: ignore[arg-type]
    assert harvest.failures == []
    assert len(proxy.relayed) == answered  # nothing more went through it


def test_routes_per_target_host() -> None:
    routes = SiteProxy({"https": "http://proxy.site:3128", "no": "cloud.infn.it, 10.0.0.0/8, .local:8443"})

    assert routes.proxy_for("https://api.egi.eu/v2.1/flavors") == "http://proxy.site:3128"
    assert routes.proxy_for("http://api.egi.eu/") is None  # no http proxy named
    assert routes.proxy_for("https://nova.cloud.infn.it:8774/v2.1") is None  # a suffix of NO_PROXY
    assert routes.proxy_for("https://10.2.3.4:5000/v3") is None  # in an address range
    assert routes.proxy_for("https://11.2.3.4:5000/v3") == "http://proxy.site:3128"
    assert bypasses("nova.local", 8443, ".local:8443") and not bypasses("nova.local", 443, ".local:8443")
    assert not bypasses("notcloud.infn.it.example", None, "cloud.infn.it")
    assert SiteProxy({"all": "http://u:p%40ss@proxy.site:3128"}).settings("http://x.test/") == (
        "http://proxy.site:3128", {"proxy-authorization": "Basic " + base64.b64encode(b"u:p@ss").decode()})  # fmt: skip


def test_tls_is_verified_as_the_login_verifies_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    default = ca_bundle(True)

    monkeypatch.setenv("CURL_CA_BUNDLE", "/etc/site/ca.pem")
    assert ca_bundle(True) == "/etc/site/ca.pem"
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/site/requests-ca.pem")
    assert ca_bundle(True) == "/etc/site/requests-ca.pem"
    assert ca_bundle("/etc/provider/ca.pem") == "/etc/provider/ca.pem"  # the provider's own wins
    assert ca_bundle(False) is None
    assert default is not None and default.endswith(".pem")
    assert SiteRoutes(False, SiteProxy({})).tls == {"cert_reqs": "CERT_NONE", "ca_certs": None}


class _Redirecting(http.server.BaseHTTPRequestHandler):
    """/old answers 301 to /new (on the same host) or 302 to another host's /new; /new answers JSON."""

    other = ""

    def do_GET(self) -> None:  # the name http.server calls
        if self.path.startswith("/old"):
            self.send_response(301 if self.path == "/old" else 302)
            self.send_header("Location", "/new" if self.path == "/old" else f"{self.other}/new")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = json.dumps({"path": self.path, "host": self.headers["Host"]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


def test_the_route_is_worked_out_once_per_host_and_redirects_are_followed() -> None:
    servers = [http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Redirecting) for _ in range(2)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    first, second = (f"http://127.0.0.1:{s.server_address[1]}" for s in servers)
    _Redirecting.other = second
    asked: list[str] = []

    class Counting(SiteProxy):
        def settings(self, url: str) -> tuple[str | None, dict[str, str] | None]:
            asked.append(url)
            return super().settings(url)

    routes = SiteRoutes(False, Counting({}))
    retries = urllib3.Retry(total=None, connect=0, read=0, other=0, status=0, redirect=3)
    try:
        for _ in range(3):
            same = routes.request("GET", f"{first}/old", retries=retries, timeout=5)
            assert json.loads(same.data)["path"] == "/new"
        across = routes.request("GET", f"{first}/old-host", retries=retries, timeout=5)
        assert json.loads(across.data)["host"] == second.removeprefix("http://")
        assert asked == [f"{first}/old"]  # once for the host (a redirect goes the way the request went)
    finally:
        routes.clear()
        for server in servers:
            server.shutdown()
            server.server_close()
