"""OIDC access tokens: verified against the trusted issuers' JWKS, turned into the caller's scope.

Only asymmetric algorithms are accepted, the key must come from the issuer named in the token (and
listed in settings), `exp`/`nbf`/`iat` are checked with a small leeway, `iss` exactly and `aud`
against the issuer's accepted audiences. Only access tokens pass: the header's `typ` must be `at+jwt`
(RFC 9068) or `JWT` (what INDIGO IAM and Keycloak put on theirs), or be absent (issuers that set
none); ID and logout tokens are refused by their `typ` (header, or Keycloak's `typ` claim) and a logout
token by its `events`; an ID token typed `JWT` by an issuer that does not tell them apart carries its
client's `aud`, which the audience check refuses. `exp` - `iat` may not exceed
`token_max_lifetime_s`, and both must be numbers.
Keys are cached; an unknown `kid` refetches the issuer's
JWKS at most once per `jwks_refresh_min_interval_s`, so a flood of bogus kids cannot hammer it.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import httpx
import jwt
from prometheus_client import Counter

from registry.settings import IssuerSettings, Settings
from resolvers.visibility import Scope

ASYMMETRIC_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")

JWKS_FETCHES = Counter("registry_jwks_fetches_total", "Fetches of an issuer's signing keys.", ["issuer"])
VERIFIED_TTL_S = 60.0
VERIFIED_MAX = 4096
TOKENS_REFUSED = Counter("registry_tokens_refused_total", "Access tokens refused, by reason.", ["reason"])

# Header `typ` values of access tokens (compared lower-case; RFC 9068 allows the application/ prefix).
ACCESS_TOKEN_TYPES = frozenset({"at+jwt", "application/at+jwt", "jwt"})
# Keycloak also says what a token is in a `typ` claim: only "Bearer" is an access token.
ACCESS_TOKEN_CLAIM_TYPES = frozenset({"bearer"})


class AuthenticationError(Exception):
    """The token was presented but cannot be trusted; `reason` is safe to show (never the token)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Caller:
    issuer: str  # the token's `iss`
    subject: str
    groups: frozenset[str]  # user group names at `identity_provider`
    identity_provider: str  # endpoint of the IdentityProvider node the groups belong to
    admin: bool
    writer: bool

    def scope(self) -> Scope:
        return Scope(
            anonymous=False,
            admin=self.admin,
            writer=self.writer,
            issuer=self.identity_provider,
            groups=tuple(sorted(self.groups)),
            subject=self.subject,
            token_issuer=self.issuer,
            may_read=True,
        )


@dataclass
class _IssuerKeys:
    settings: IssuerSettings
    keys: dict[str, jwt.PyJWK] = field(default_factory=dict)
    fetched_at: float = float("-inf")
    jwks_uri: str | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class TokenVerifier:
    """Verifies access tokens of the issuers in settings; one per process (keys are cached)."""

    def __init__(self, settings: Settings, http: httpx.AsyncClient) -> None:
        self.settings = settings
        self.http = http
        self.issuers = {i.url: _IssuerKeys(i) for i in settings.issuers}
        # Tokens already verified: a client sends the same token with every request, and checking
        # its signature again (RSA, base64 of ~1 KB) cost ~1 ms each time. Kept until the token
        # expires, and at most VERIFIED_TTL_S, so a key the issuer withdraws stops working soon.
        self._verified: OrderedDict[str, tuple[float, Caller]] = OrderedDict()

    async def verify(self, token: str) -> Caller:
        now = time.time()
        cached = self._verified.get(token)
        if cached is not None:
            if now < cached[0]:
                self._verified.move_to_end(token)
                return cached[1]
            del self._verified[token]
        try:
            caller, expires_at = await self._verify(token)
        except AuthenticationError as error:
            TOKENS_REFUSED.labels(error.reason.split(":")[0]).inc()
            raise
        self._verified[token] = (min(expires_at, now + VERIFIED_TTL_S), caller)
        if len(self._verified) > VERIFIED_MAX:
            self._verified.popitem(last=False)
        return caller

    async def _verify(self, token: str) -> tuple[Caller, float]:
        """The caller a token names, and until when (epoch seconds) it stays valid."""
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError:
            raise AuthenticationError("malformed token") from None
        algorithm = header.get("alg")
        if algorithm not in ASYMMETRIC_ALGORITHMS:
            raise AuthenticationError(f"algorithm not accepted: {algorithm!r}")
        _check_access_token(header, unverified)
        issuer = self.issuers.get(unverified.get("iss"))  # type: ignore[arg-type]
        if issuer is None:
            raise AuthenticationError("issuer not trusted")
        key = await self._key(issuer, header.get("kid"))
        if key.algorithm_name != algorithm:
            raise AuthenticationError("key does not fit the token's algorithm")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key,
                algorithms=[algorithm],
                audience=issuer.settings.audiences,
                issuer=issuer.settings.url,
                leeway=self.settings.token_leeway_s,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError:
            raise AuthenticationError("token expired") from None
        except jwt.ImmatureSignatureError:
            raise AuthenticationError("token not yet valid") from None
        except jwt.InvalidAudienceError:
            raise AuthenticationError("audience not accepted") from None
        except jwt.InvalidIssuerError:
            raise AuthenticationError("issuer not trusted") from None
        except jwt.InvalidSignatureError:
            raise AuthenticationError("bad signature") from None
        except jwt.PyJWTError as error:
            raise AuthenticationError(f"invalid token: {error}") from None
        _check_lifetime(claims, self.settings.token_max_lifetime_s + self.settings.token_leeway_s)
        return _caller(issuer.settings, claims), float(claims["exp"])

    async def _key(self, issuer: _IssuerKeys, kid: Any) -> jwt.PyJWK:
        if not isinstance(kid, str):
            raise AuthenticationError("token has no key id")
        now = time.monotonic()
        stale = now - issuer.fetched_at > self.settings.jwks_max_age_s
        if kid not in issuer.keys or stale:
            async with issuer.lock:
                now = time.monotonic()
                may_refetch = now - issuer.fetched_at >= self.settings.jwks_refresh_min_interval_s
                if (kid not in issuer.keys and may_refetch) or now - issuer.fetched_at > self.settings.jwks_max_age_s:
                    await self._fetch(issuer)
        key = issuer.keys.get(kid)
        if key is None:
            raise AuthenticationError("unknown key id")
        return key

    async def _fetch(self, issuer: _IssuerKeys) -> None:
        JWKS_FETCHES.labels(issuer.settings.url).inc()
        issuer.fetched_at = time.monotonic()  # also on failure: failures are rate-limited too
        try:
            if issuer.jwks_uri is None:
                discovery = await self.http.get(issuer.settings.url.rstrip("/") + "/.well-known/openid-configuration")
                discovery.raise_for_status()
                document = discovery.json()
                if document.get("issuer") != issuer.settings.url:
                    raise AuthenticationError("issuer's discovery document names another issuer")
                issuer.jwks_uri = str(document["jwks_uri"])
            response = await self.http.get(issuer.jwks_uri)
            response.raise_for_status()
            jwks = jwt.PyJWKSet.from_dict(response.json())
        except (httpx.HTTPError, ValueError, KeyError, jwt.PyJWTError) as error:
            raise AuthenticationError(f"issuer keys unavailable: {type(error).__name__}") from None
        issuer.keys = {k.key_id: k for k in jwks.keys if k.key_id and k.public_key_use in (None, "sig")}


def _check_access_token(header: dict[str, Any], claims: dict[str, Any]) -> None:
    """Refuse what is not an access token (cheap checks, before the signature's)."""
    kind = header.get("typ")
    if kind is not None and (not isinstance(kind, str) or kind.lower() not in ACCESS_TOKEN_TYPES):
        raise AuthenticationError(f"not an access token: typ {kind!r}")
    claim_kind = claims.get("typ")
    if claim_kind is not None and (
        not isinstance(claim_kind, str) or claim_kind.lower() not in ACCESS_TOKEN_CLAIM_TYPES
    ):
        raise AuthenticationError(f"not an access token: typ claim {claim_kind!r}")
    if "events" in claims:
        raise AuthenticationError("not an access token: a logout token")
    for name in ("exp", "iat", "nbf"):
        value = claims.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise AuthenticationError(f"claim {name!r} is not a number")


def _check_lifetime(claims: dict[str, Any], most_s: float) -> None:
    if claims["exp"] - claims["iat"] > most_s:
        raise AuthenticationError(f"token lifetime over {most_s:.0f}s")


def _caller(issuer: IssuerSettings, claims: dict[str, Any]) -> Caller:
    raw = claims.get(issuer.groups_claim)
    if raw is None:
        raise AuthenticationError(f"token has no {issuer.groups_claim!r} claim")
    values = raw.split() if isinstance(raw, str) else raw
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise AuthenticationError(f"claim {issuer.groups_claim!r} is not a list of strings")
    pattern = re.compile(issuer.group_pattern)
    groups = frozenset(m.group("group") for v in values if (m := pattern.fullmatch(v)) is not None)
    return Caller(
        issuer=issuer.url,
        subject=str(claims["sub"]),
        groups=groups,
        identity_provider=issuer.graph_endpoint,
        admin=any(v in issuer.admin_entitlements for v in values),
        writer=any(v in issuer.writer_entitlements for v in values),
    )


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer ...` header; None when there is no header."""
    if authorization is None:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError("Authorization header is not 'Bearer <token>'")
    return token.strip()
