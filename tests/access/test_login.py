"""The development issuer's interactive login (authorization code + PKCE), as a client sees it over
HTTP: discovery names the endpoints, the code is single-use, bound to its client, redirect URI and
S256 challenge, and the token it buys is one the registry accepts for the groups picked."""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from registry.dev_login import loopback_redirect
from tests.conftest import Issuer

CLIENT = "federation-registry-explorer"
REDIRECT = "http://127.0.0.1:8765/graphql"


def challenge_of(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


async def endpoints(http: httpx.AsyncClient, issuer: Issuer, realm: str = "infn") -> dict[str, Any]:
    meta: dict[str, Any] = (await http.get(f"{issuer.url(realm)}/.well-known/openid-configuration")).json()
    return meta


async def approve(http: httpx.AsyncClient, issuer: Issuer, verifier: str, *, realm: str = "infn", **picked: Any) -> str:
    """Go through the login page as a person would; the code it sends back to REDIRECT."""
    meta = await endpoints(http, issuer, realm)
    request = {
        "response_type": "code", "client_id": CLIENT, "redirect_uri": REDIRECT, "state": "s1",
        "code_challenge": challenge_of(verifier), "code_challenge_method": "S256", "scope": "openid",
    }  # fmt: skip
    page = await http.get(meta["authorization_endpoint"], params=request)
    assert page.status_code == 200 and "<form" in page.text
    form = {k: v for k, v in request.items() if k != "response_type"} | picked
    answer = await http.post(meta["authorization_endpoint"], data=form)
    assert answer.status_code == 303
    location = urlsplit(answer.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    query = parse_qs(location.query)
    assert query["state"] == ["s1"]
    return query["code"][0]


async def trade(http: httpx.AsyncClient, issuer: Issuer, code: str, verifier: str, **extra: str) -> httpx.Response:
    meta = await endpoints(http, issuer)
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "client_id": CLIENT,
            "code_verifier": verifier} | extra  # fmt: skip
    return await http.post(meta["token_endpoint"], data=form)


async def test_discovery_lists_the_code_flow(issuer: Issuer) -> None:
    async with httpx.AsyncClient() as http:
        meta = await endpoints(http, issuer)
    assert meta["authorization_endpoint"] == f"{issuer.url()}/protocol/openid-connect/auth"
    assert "authorization_code" in meta["grant_types_supported"]
    assert meta["code_challenge_methods_supported"] == ["S256"]
    assert "none" in meta["token_endpoint_auth_methods_supported"]


async def test_the_login_page_offers_the_realms_groups(issuer: Issuer) -> None:
    verifier = secrets.token_urlsafe(48)
    async with httpx.AsyncClient() as http:
        meta = await endpoints(http, issuer)
        page = await http.get(meta["authorization_endpoint"], params={
            "response_type": "code", "client_id": CLIENT, "redirect_uri": REDIRECT, "state": "s",
            "code_challenge": challenge_of(verifier), "code_challenge_method": "S256",
        })  # fmt: skip
    assert 'value="ml-infn"' in page.text  # an INFN IAM group of examples/federation.yaml
    assert 'value="biomed"' not in page.text  # EGI Check-in's: the other realm


async def test_a_code_buys_a_token_the_registry_accepts_for_the_picked_group(
    issuer: Issuer, client: httpx.AsyncClient, example_federation: object
) -> None:
    verifier = secrets.token_urlsafe(48)
    async with httpx.AsyncClient() as http:
        code = await approve(http, issuer, verifier, group="ml-infn", role="member", subject="alice")
        answer = await trade(http, issuer, code, verifier)
        assert answer.status_code == 200, answer.text
        tokens = answer.json()
        assert tokens["token_type"] == "Bearer" and tokens["id_token"]
        # Single use: the same code again buys nothing.
        again = await trade(http, issuer, code, verifier)
        assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    query = '{ userGroup(name: "ml-infn", issuer: "https://iam.cloud.infn.it/") { name } }'
    seen = await client.post("/graphql", json={"query": query},
                             headers={"Authorization": f"Bearer {tokens['access_token']}"})  # fmt: skip
    assert seen.json()["data"] == {"userGroup": {"name": "ml-infn"}}


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"code_verifier": "x" * 43}, "invalid_grant"),  # not the verifier of the challenge
        ({"code_verifier": "short"}, "invalid_request"),
        ({"redirect_uri": "http://127.0.0.1:9999/elsewhere"}, "invalid_grant"),
        ({"client_id": "federation-registry-dashboard"}, "invalid_grant"),  # another client's code
        ({"client_id": "stranger"}, "invalid_client"),
    ],
)
async def test_a_code_is_bound_to_its_verifier_client_and_redirect(
    issuer: Issuer, change: dict[str, str], error: str
) -> None:
    verifier = secrets.token_urlsafe(48)
    async with httpx.AsyncClient() as http:
        code = await approve(http, issuer, verifier, group="ml-infn")
        answer = await trade(http, issuer, code, verifier, **change)
    assert answer.status_code in (400, 401)
    assert answer.json()["error"] == error


async def test_requests_without_s256_pkce_are_sent_back_refused(issuer: Issuer) -> None:
    async with httpx.AsyncClient() as http:
        meta = await endpoints(http, issuer)
        base = {"response_type": "code", "client_id": CLIENT, "redirect_uri": REDIRECT, "state": "s"}
        for extra in ({}, {"code_challenge": "a" * 43, "code_challenge_method": "plain"}):
            answer = await http.get(meta["authorization_endpoint"], params=base | extra)
            assert answer.status_code == 303
            assert parse_qs(urlsplit(answer.headers["location"]).query)["error"] == ["invalid_request"]


@pytest.mark.parametrize(
    ("client_id", "redirect_uri"),
    [
        ("stranger", REDIRECT),
        (CLIENT, "https://evil.example/graphql"),
        (CLIENT, "http://127.0.0.1:8765/graphql#fragment"),
    ],
)
async def test_an_untrusted_client_or_redirect_gets_an_error_page_not_a_redirect(
    issuer: Issuer, client_id: str, redirect_uri: str
) -> None:
    verifier = secrets.token_urlsafe(48)
    async with httpx.AsyncClient() as http:
        meta = await endpoints(http, issuer)
        answer = await http.get(meta["authorization_endpoint"], params={
            "response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
            "code_challenge": challenge_of(verifier), "code_challenge_method": "S256",
        })  # fmt: skip
    assert answer.status_code == 400 and "location" not in answer.headers


def test_loopback_redirects_only() -> None:
    assert loopback_redirect("http://127.0.0.1:8000/graphql")
    assert loopback_redirect("http://localhost/graphql")
    assert loopback_redirect("http://[::1]:8000/graphql")
    assert not loopback_redirect("http://127.0.0.1.evil.example/graphql")
    assert not loopback_redirect("http://10.0.0.1/graphql")
    assert not loopback_redirect("javascript:alert(1)")
    assert not loopback_redirect("http://127.0.0.1:99999/graphql")
