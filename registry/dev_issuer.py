"""A development OpenID Connect issuer for `make run`: discovery + JWKS on loopback, and tokens.

It serves two realms that stand in for the example federation's identity providers:
`<base>/realms/infn` asserts INFN IAM's groups in a `groups` claim, `<base>/realms/egi` asserts EGI
Check-in's in `eduperson_entitlement` URNs. Its RSA keys are generated at first start and kept in a
local state folder. Each realm also has an OAuth2 token endpoint for the client-credentials grant:
the feeder's service identity (`registry-feeder`, its secret generated beside the keys) gets a token
carrying the writer entitlement there. For people, each realm has an authorization endpoint (code +
PKCE, `registry/dev_login.py`: a page where you pick the groups and role the token carries), which is
how the explorer's "Log in" gets a token. The registry trusts it only when configured as an issuer like
any other (`registry dev` does so); nothing in the service knows it exists.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import secrets
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI, HTTPException, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from registry.dev_login import Grant, Grants, add_login, redeem_code
from registry.settings import IssuerSettings
from resolvers.federation_file import FederationFile

AUDIENCE = "federation-registry"
ADMIN_GROUP = "registry-admins"
WRITER_GROUP = "registry-writers"
FEEDER_CLIENT = "registry-feeder"  # the feeder's service identity: a confidential client, writer entitlement
TOKEN_LIFETIME_S = 900


@dataclass(frozen=True)
class Realm:
    identity_provider: str  # the IdentityProvider endpoint in the federation graph
    claim: str
    value_format: str  # how a group name is written in the claim
    group_pattern: str


REALMS: dict[str, Realm] = {
    "infn": Realm("https://iam.cloud.infn.it/", "groups", "{group}", r"(?P<group>.+)"),
    "egi": Realm(
        "https://aai.egi.eu/auth/realms/egi",
        "eduperson_entitlement",
        "urn:mace:egi.eu:group:{group}:role=member#aai.egi.eu",
        r"urn:mace:egi\.eu:group:(?P<group>[^:#]+)(:role=member)?#aai\.egi\.eu",
    ),
}


class KeyStore:
    """The issuer's signing keys in `folder/keys.json`, newest first (private: mode 0600)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "keys.json"

    def private_jwks(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            self.rotate()
        keys: list[dict[str, Any]] = json.loads(self.path.read_text())
        return keys

    def rotate(self, *, keep_old: bool = True) -> str:
        """Add a new current key (the old ones stay published unless keep_old is false); returns its kid."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk: dict[str, Any] = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key))
        jwk.update(kid=uuid.uuid4().hex, alg="RS256", use="sig")
        old = json.loads(self.path.read_text()) if keep_old and self.path.exists() else []
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.touch(mode=0o600)
        self.path.write_text(json.dumps([jwk, *old]))
        return str(jwk["kid"])

    def public_jwks(self) -> dict[str, Any]:
        private_fields = {"d", "p", "q", "dp", "dq", "qi"}
        return {"keys": [{k: v for k, v in key.items() if k not in private_fields} for key in self.private_jwks()]}

    def sign(self, claims: dict[str, Any]) -> str:
        current = self.private_jwks()[0]
        key = jwt.PyJWK.from_dict(current)
        return jwt.encode(claims, key.key, algorithm="RS256", headers={"kid": current["kid"]})


class Clients:
    """Confidential OAuth2 clients in `folder/clients.json` (mode 0600): id -> secret, created at first use."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "clients.json"

    def secret(self, client_id: str = FEEDER_CLIENT) -> str:
        known: dict[str, str] = json.loads(self.path.read_text()) if self.path.exists() else {}
        if client_id not in known:
            known[client_id] = secrets.token_urlsafe(32)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.touch(mode=0o600)
            self.path.write_text(json.dumps(known))
        return known[client_id]

    def check(self, client_id: str, secret: str) -> bool:
        known: dict[str, str] = json.loads(self.path.read_text()) if self.path.exists() else {}
        return client_id in known and hmac.compare_digest(known[client_id], secret)


def _client_of(request: Request, form: dict[str, Any]) -> tuple[str, str]:
    """(client_id, client_secret) from HTTP Basic (client_secret_basic) or the form (client_secret_post)."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return "", ""
        return client_id, secret
    return str(form.get("client_id", "")), str(form.get("client_secret", ""))


def issuer_url(base_url: str, realm: str) -> str:
    return f"{base_url.rstrip('/')}/realms/{realm}"


def realm_groups(federation: FederationFile) -> dict[str, list[str]]:
    """The user groups of a federation file by the realm that asserts them (the login page offers them)."""
    realm_of = {realm.identity_provider: name for name, realm in REALMS.items()}
    found: dict[str, list[str]] = {}
    for idp in federation.identity_providers:
        if idp.endpoint in realm_of:
            found.setdefault(realm_of[idp.endpoint], []).extend(g.name for g in idp.user_groups)
    return found


def issuer_app(
    keys: KeyStore,
    base_url: str,
    clients: Clients | None = None,
    groups: Mapping[str, Sequence[str]] | None = None,
) -> FastAPI:
    """The issuer's HTTP API; `groups` (by realm) are offered on the login page."""
    app = FastAPI(title="Federation Registry development issuer", docs_url=None, redoc_url=None)
    # A page on another origin (the explorer) reads the discovery document and trades its code at the
    # token endpoint, as with Keycloak or INDIGO IAM for a public client: no cookies are involved.
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"])
    clients = clients or Clients(keys.path.parent)
    clients.secret(FEEDER_CLIENT)  # the feeder's client exists from the first start
    grants = Grants()
    add_login(app, list(REALMS), groups or {}, grants)

    @app.get("/realms/{realm}/.well-known/openid-configuration")
    async def discovery(realm: str) -> dict[str, Any]:
        if realm not in REALMS:
            raise HTTPException(404)
        issuer = issuer_url(base_url, realm)
        return {
            "issuer": issuer,
            "jwks_uri": f"{issuer}/jwks",
            "authorization_endpoint": f"{issuer}/protocol/openid-connect/auth",
            "token_endpoint": f"{issuer}/protocol/openid-connect/token",
            "grant_types_supported": ["authorization_code", "client_credentials"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
            "code_challenge_methods_supported": ["S256"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "scopes_supported": ["openid"],
            "subject_types_supported": ["public"],
        }

    @app.get("/realms/{realm}/jwks")
    async def jwks(realm: str) -> dict[str, Any]:
        if realm not in REALMS:
            raise HTTPException(404)
        return keys.public_jwks()

    @app.post("/realms/{realm}/protocol/openid-connect/token")
    async def token(realm: str, request: Request) -> JSONResponse:
        """OAuth2 client credentials (RFC 6749 §4.4): a writer token for a known confidential client;
        authorization code (§4.1.3) with its PKCE verifier: the token a person chose on the login page."""
        if realm not in REALMS:
            raise HTTPException(404)
        form = dict(await request.form())
        no_store = {"Cache-Control": "no-store"}
        if form.get("grant_type") == "authorization_code":
            grant = redeem_code(realm, form, grants)
            if isinstance(grant, JSONResponse):
                return grant
            return JSONResponse(_code_tokens(keys, base_url, grant), headers=no_store)
        if form.get("grant_type") != "client_credentials":
            return JSONResponse({"error": "unsupported_grant_type"}, 400, headers=no_store)
        client_id, secret = _client_of(request, form)
        if not clients.check(client_id, secret):
            return JSONResponse({"error": "invalid_client"}, 401, headers={**no_store, "WWW-Authenticate": "Basic"})
        access = mint(keys, base_url, realm=realm, writer=True, subject=client_id, expires_in=TOKEN_LIFETIME_S)
        body = {"access_token": access, "token_type": "Bearer", "expires_in": TOKEN_LIFETIME_S}
        return JSONResponse(body, headers=no_store)

    return app


def _code_tokens(keys: KeyStore, base_url: str, grant: Grant) -> dict[str, Any]:
    """The access token (for the registry) and ID token (for the client: who logged in) of a grant."""
    access = mint(
        keys, base_url, realm=grant.realm, groups=list(grant.groups), admin=grant.role == "admin",
        writer=grant.role == "writer", subject=grant.subject, expires_in=TOKEN_LIFETIME_S,
    )  # fmt: skip
    now = int(time.time())
    identity = {"iss": issuer_url(base_url, grant.realm), "sub": grant.subject, "aud": grant.client_id,
                "iat": now, "exp": now + TOKEN_LIFETIME_S}  # fmt: skip
    if grant.nonce:
        identity["nonce"] = grant.nonce
    return {
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": TOKEN_LIFETIME_S,
        "id_token": keys.sign(identity),
        "scope": "openid",
    }


def token_endpoint(base_url: str, realm: str = "infn") -> str:
    return f"{issuer_url(base_url, realm)}/protocol/openid-connect/token"


def mint(
    keys: KeyStore,
    base_url: str,
    *,
    realm: str = "infn",
    groups: list[str] = (),  # type: ignore[assignment]
    admin: bool = False,
    writer: bool = False,
    subject: str = "developer",
    expires_in: int = 3600,
) -> str:
    """A token of the realm listing `groups` (and the admin/writer entitlements when asked)."""
    spec = REALMS[realm]
    values = [spec.value_format.format(group=g) for g in groups]
    values += [g for g, wanted in ((ADMIN_GROUP, admin), (WRITER_GROUP, writer)) if wanted]
    now = int(time.time())
    claims = {
        "iss": issuer_url(base_url, realm),
        "sub": subject,
        "aud": AUDIENCE,
        "iat": now,
        "nbf": now,
        "exp": now + expires_in,
        spec.claim: values,
    }
    return keys.sign(claims)


def trusted_issuers(base_url: str) -> list[IssuerSettings]:
    """How a registry trusts this issuer's realms (what `registry dev` configures)."""
    return [
        IssuerSettings(
            url=issuer_url(base_url, name),
            audiences=[AUDIENCE],
            groups_claim=realm.claim,
            group_pattern=realm.group_pattern,
            admin_entitlements=[ADMIN_GROUP],
            writer_entitlements=[WRITER_GROUP],
            identity_provider=realm.identity_provider,
        )
        for name, realm in REALMS.items()
    ]
