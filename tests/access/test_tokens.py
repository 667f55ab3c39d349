"""Tokens: each attack is refused with a clear UNAUTHENTICATED error that never echoes the token."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from prometheus_client import REGISTRY

from registry.dev_issuer import AUDIENCE
from tests.conftest import Issuer

QUERY = "{ providers { totalCount } }"
LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"


def claims(issuer: Issuer, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {"iss": issuer.url(), "sub": "someone", "aud": AUDIENCE, "iat": now, "nbf": now, "exp": now + 600,
            "groups": ["ml-infn"]}  # fmt: skip
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def signed(issuer: Issuer, payload: dict[str, Any], **header: Any) -> str:
    current = issuer.keys.private_jwks()[0]
    key = jwt.PyJWK.from_dict(current).key
    return jwt.encode(payload, key, algorithm="RS256", headers={"kid": current["kid"], **header})


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def unsigned(issuer: Issuer) -> str:
    return f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims(issuer))}."


def hs256_with_public_key(issuer: Issuer) -> str:
    current = issuer.keys.private_jwks()[0]
    public_pem = (
        jwt.PyJWK.from_dict(current)
        .key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    header = _b64({"alg": "HS256", "typ": "JWT", "kid": current["kid"]})
    body = _b64(claims(issuer))
    signature = hmac.new(public_pem, f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


def other_key_same_kid(issuer: Issuer) -> str:
    impostor = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    kid = issuer.keys.private_jwks()[0]["kid"]
    return jwt.encode(claims(issuer), impostor, algorithm="RS256", headers={"kid": kid})


def tampered(issuer: Issuer) -> str:
    header, _, signature = signed(issuer, claims(issuer)).split(".")
    return f"{header}.{_b64(claims(issuer, groups=['biomed', 'registry-admins']))}.{signature}"


ATTACKS: dict[str, tuple[Callable[[Issuer], str], str]] = {
    "unsigned (alg none)": (unsigned, "algorithm not accepted: 'none'"),
    "HS256 signed with the issuer's public key": (hs256_with_public_key, "algorithm not accepted: 'HS256'"),
    "another key with the right kid": (other_key_same_kid, "bad signature"),
    "unknown kid": (lambda i: signed(i, claims(i), kid="no-such-key"), "unknown key id"),
    "expired": (
        lambda i: signed(i, claims(i, iat=int(time.time()) - 7200, exp=int(time.time()) - 3600)),
        "token expired",
    ),
    "not yet valid": (lambda i: signed(i, claims(i, nbf=int(time.time()) + 3600)), "token not yet valid"),
    "wrong issuer": (lambda i: signed(i, claims(i, iss="https://evil.example/")), "issuer not trusted"),
    "issuer of another realm": (
        lambda i: signed(i, claims(i, iss=i.url("egi"))),
        "token has no 'eduperson_entitlement' claim",
    ),
    "wrong audience": (lambda i: signed(i, claims(i, aud="someone-else")), "audience not accepted"),
    "no audience": (lambda i: signed(i, claims(i, aud=None)), "invalid token"),
    "missing group claim": (lambda i: signed(i, claims(i, groups=None)), "token has no 'groups' claim"),
    "tampered payload": (tampered, "bad signature"),
    "garbage": (lambda i: "not.a.token", "malformed token"),
    "more garbage": (lambda i: "%%%", "malformed token"),
    "an EC key the issuer never published": (
        lambda i: jwt.encode(
            claims(i),
            ec.generate_private_key(ec.SECP256R1()),
            algorithm="ES256",
            headers={"kid": i.keys.private_jwks()[0]["kid"]},
        ),
        "key does not fit the token's algorithm",
    ),
    # Tokens that are not access tokens, or that live too long or carry their times as strings.
    "a Keycloak ID token": (lambda i: signed(i, claims(i, typ="ID")), "not an access token: typ claim 'ID'"),
    "a Keycloak refresh token": (
        lambda i: signed(i, claims(i, typ="Refresh")),
        "not an access token: typ claim 'Refresh'",
    ),
    "a logout token": (
        lambda i: signed(i, claims(i, events={LOGOUT_EVENT: {}}), typ="logout+jwt"),
        "not an access token: typ 'logout+jwt'",
    ),
    "a logout token typed JWT": (
        lambda i: signed(i, claims(i, events={LOGOUT_EVENT: {}})),
        "not an access token: a logout token",
    ),
    "an ID token typed as such": (lambda i: signed(i, claims(i), typ="id_token+jwt"), "not an access token"),
    "a lifetime of 100 years": (
        lambda i: signed(i, claims(i, exp=int(time.time()) + 100 * 365 * 86400)),
        "token lifetime over",
    ),
    "a string iat": (lambda i: signed(i, claims(i, iat=str(int(time.time())))), "claim 'iat' is not a number"),
    "a string exp": (lambda i: signed(i, claims(i, exp=str(int(time.time()) + 600))), "claim 'exp' is not a number"),
}


@pytest.mark.parametrize("header_typ", ["at+jwt", "application/at+jwt", "JWT", None])
async def test_access_tokens_of_every_accepted_typ_pass(
    client: httpx.AsyncClient, issuer: Issuer, header_typ: str | None
) -> None:
    # at+jwt (RFC 9068), JWT (INDIGO IAM, Keycloak; with Keycloak's typ claim "Bearer"), or none at all.
    payload = claims(issuer, typ="Bearer") if header_typ == "JWT" else claims(issuer)
    token = signed(issuer, payload, typ=header_typ)

    response = await client.post("/graphql", json={"query": QUERY}, headers=bearer(token))

    assert response.status_code == 200, response.text


async def test_a_valid_token_is_accepted(client: httpx.AsyncClient, issuer: Issuer) -> None:
    response = await client.post("/graphql", json={"query": QUERY}, headers=bearer(signed(issuer, claims(issuer))))
    assert response.status_code == 200
    assert "errors" not in response.json()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("attack", list(ATTACKS))
async def test_attacks_are_refused(client: httpx.AsyncClient, issuer: Issuer, attack: str) -> None:
    forge, reason = ATTACKS[attack]
    token = forge(issuer)

    response = await client.post("/graphql", json={"query": QUERY}, headers=bearer(token))

    assert response.status_code == 401
    body = response.json()
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"] == {"code": "UNAUTHENTICATED"}
    assert error["message"].startswith(f"UNAUTHENTICATED: {reason}")
    assert token not in response.text
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


async def test_an_authorization_header_of_another_scheme_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": QUERY}, headers={"Authorization": "Basic dXNlcjpwYXNz"})

    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def jwks_fetches(issuer: Issuer) -> float:
    return REGISTRY.get_sample_value("registry_jwks_fetches_total", {"issuer": issuer.url()}) or 0.0


async def test_key_rotation_is_picked_up_without_a_restart(client: httpx.AsyncClient, issuer: Issuer) -> None:
    # given the registry has cached the issuer's current key
    assert (
        await client.post("/graphql", json={"query": QUERY}, headers=bearer(issuer.token("ml-infn")))
    ).status_code == 200

    # when the issuer rotates to a new key (and the refetch interval has passed)
    issuer.keys.rotate()
    await asyncio.sleep(1.1)

    # then a token signed with the new key is accepted
    response = await client.post("/graphql", json={"query": QUERY}, headers=bearer(issuer.token("ml-infn")))
    assert response.status_code == 200, response.text


async def test_a_flood_of_bogus_kids_refetches_the_keys_at_most_once(client: httpx.AsyncClient, issuer: Issuer) -> None:
    tokens = [signed(issuer, claims(issuer), kid=f"bogus-{n}") for n in range(40)]
    await asyncio.sleep(1.1)  # let the refetch interval (1 s in tests) pass
    before, started = jwks_fetches(issuer), time.monotonic()

    for token in tokens:
        assert (await client.post("/graphql", json={"query": QUERY}, headers=bearer(token))).status_code == 401

    # at most one refetch per interval (1 s in tests), however many unknown kids arrive
    elapsed = time.monotonic() - started
    assert jwks_fetches(issuer) - before <= 1 + int(elapsed / 1.0)
    assert jwks_fetches(issuer) - before < len(tokens) / 4
