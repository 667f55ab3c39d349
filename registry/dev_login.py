"""The development issuer's interactive login: OAuth2 authorization code with PKCE (RFC 6749 §4.1, RFC 7636).

A person (the explorer's "Log in") is sent to `<realm>/protocol/openid-connect/auth`, picks the groups
and role the token is to carry on a small HTML page, and comes back with a one-time code; the client
trades it at the token endpoint, proving with its `code_verifier` that it started the login (only S256
challenges are accepted: a `plain` one would hand the code to whoever saw the request). Clients are
public (no secret: a page cannot keep one) and may only be sent back to a loopback address, where the
development registry runs (RFC 8252 §7.3).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import re
import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from ipaddress import ip_address
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

# Public clients of the development issuer (the explorer's is the registry's default `explorer_client_id`).
PUBLIC_CLIENTS = frozenset({"federation-registry-explorer", "federation-registry-dashboard"})
CODE_LIFETIME_S = 60
ROLES = ("member", "admin", "writer")
# RFC 7636 §4.1: 43 to 128 unreserved characters.
_VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")
_CHALLENGE = re.compile(r"[A-Za-z0-9\-_]{43}")  # base64url of a SHA-256 digest, no padding
_GROUP = re.compile(r"[^\s,]+")


@dataclass(frozen=True)
class Grant:
    """What a person agreed to on the login page, waiting for its code to be exchanged."""

    realm: str
    client_id: str
    redirect_uri: str
    code_challenge: str
    groups: tuple[str, ...]
    role: str
    subject: str
    nonce: str | None
    expires_at: float


class Grants:
    """One-time codes, each for CODE_LIFETIME_S (in memory: a restart ends logins in progress)."""

    def __init__(self) -> None:
        self._pending: dict[str, Grant] = {}

    def issue(self, grant: Grant) -> str:
        now = time.monotonic()
        self._pending = {code: g for code, g in self._pending.items() if g.expires_at > now}
        code = secrets.token_urlsafe(32)
        self._pending[code] = grant
        return code

    def redeem(self, code: str) -> Grant | None:
        """The grant of `code`, once: a second exchange of the same code finds nothing."""
        grant = self._pending.pop(code, None)
        if grant is None or grant.expires_at < time.monotonic():
            return None
        return grant


def loopback_redirect(uri: str) -> bool:
    """Whether the issuer may send a code to `uri`: http(s) on a loopback host, no fragment."""
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018  (a malformed port raises here)
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or parts.fragment or not parts.hostname:
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode("ascii")


def _back(redirect_uri: str, **params: str) -> RedirectResponse:
    separator = "&" if urlsplit(redirect_uri).query else "?"
    return RedirectResponse(f"{redirect_uri}{separator}{urlencode(params)}", status_code=303)


def _refuse_page(reason: str) -> HTMLResponse:
    """An error the client cannot be told about (its redirect_uri is not to be trusted): shown here."""
    body = f"<!doctype html><title>Login refused</title><p>Login refused: {html.escape(reason)}</p>"
    return HTMLResponse(body, status_code=400)


_AUTHORIZE_PARAMS = ("client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method", "nonce", "scope")


def _check_request(params: Mapping[str, str]) -> tuple[str | None, str | None]:
    """(an error to show on the page, an OAuth2 error to send back to the client); both None: fine."""
    client_id = params.get("client_id", "")
    redirect_uri = params.get("redirect_uri", "")
    if client_id not in PUBLIC_CLIENTS:
        return f"unknown client_id {client_id!r}", None
    if not loopback_redirect(redirect_uri):
        return "redirect_uri must be an http(s) address on a loopback host", None
    if params.get("response_type", "code") != "code":
        return None, "unsupported_response_type"
    if params.get("code_challenge_method") != "S256" or not _CHALLENGE.fullmatch(params.get("code_challenge", "")):
        return None, "invalid_request"  # PKCE with S256 is required
    return None, None


def _login_page(realm: str, params: Mapping[str, str], known_groups: Sequence[str]) -> str:
    hidden = "".join(
        f'<input type="hidden" name="{name}" value="{html.escape(params.get(name, ""))}">' for name in _AUTHORIZE_PARAMS
    )
    boxes = "".join(
        f'<label><input type="checkbox" name="group" value="{html.escape(g)}"> {html.escape(g)}</label><br>'
        for g in known_groups
    )
    roles = "".join(
        f'<label><input type="radio" name="role" value="{r}"{" checked" if r == "member" else ""}> {r}</label> '
        for r in ROLES
    )
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>Development issuer: log in ({html.escape(realm)})</title>
<link rel="icon" href="data:,">
<style>body{{font:15px system-ui,sans-serif;max-width:40em;margin:2em auto}}fieldset{{margin:1em 0}}</style></head>
<body><h1>Development issuer — realm {html.escape(realm)}</h1>
<p>Client <code>{html.escape(params.get("client_id", ""))}</code> asks for a token. Pick what it carries
(a development issuer: anyone may be anyone here).</p>
<form method="post">{hidden}
<fieldset><legend>Groups of this realm</legend>{boxes or "<p>(no groups known to this issuer)</p>"}
<label>Other groups, comma-separated <input name="other_groups" size="30"></label></fieldset>
<fieldset><legend>Role</legend>{roles}</fieldset>
<fieldset><legend>Subject</legend><input name="subject" value="developer"></fieldset>
<button type="submit" id="approve">Log in</button></form></body></html>"""


def add_login(app: FastAPI, realms: Sequence[str], known_groups: Mapping[str, Sequence[str]], grants: Grants) -> None:
    """The authorization endpoint of each realm: GET shows the login page, POST issues the code."""

    @app.get("/realms/{realm}/protocol/openid-connect/auth")
    async def authorize(realm: str, request: Request) -> Response:
        if realm not in realms:
            return _refuse_page(f"unknown realm {realm!r}")
        params = dict(request.query_params)
        page_error, client_error = _check_request(params)
        if page_error:
            return _refuse_page(page_error)
        if client_error:
            return _back(params["redirect_uri"], error=client_error, state=params.get("state", ""))
        return HTMLResponse(_login_page(realm, params, known_groups.get(realm, ())))

    @app.post("/realms/{realm}/protocol/openid-connect/auth")
    async def approve(realm: str, request: Request) -> Response:
        if realm not in realms:
            return _refuse_page(f"unknown realm {realm!r}")
        form = await request.form()
        params = {k: str(v) for k, v in form.items() if isinstance(v, str)}
        page_error, client_error = _check_request(params)
        if page_error:
            return _refuse_page(page_error)
        if client_error:
            return _back(params["redirect_uri"], error=client_error, state=params.get("state", ""))
        groups = [str(g) for g in form.getlist("group")]
        groups += _GROUP.findall(params.get("other_groups", ""))
        role = params.get("role", "member")
        grant = Grant(
            realm=realm,
            client_id=params["client_id"],
            redirect_uri=params["redirect_uri"],
            code_challenge=params["code_challenge"],
            groups=tuple(dict.fromkeys(groups)),
            role=role if role in ROLES else "member",
            subject=params.get("subject", "").strip() or "developer",
            nonce=params.get("nonce") or None,
            expires_at=time.monotonic() + CODE_LIFETIME_S,
        )
        return _back(grant.redirect_uri, code=grants.issue(grant), state=params.get("state", ""))


def redeem_code(realm: str, form: Mapping[str, Any], grants: Grants) -> Grant | JSONResponse:
    """The grant an authorization_code request at the token endpoint proves, or the OAuth2 error."""
    no_store = {"Cache-Control": "no-store"}

    def refuse(error: str, description: str) -> JSONResponse:
        return JSONResponse({"error": error, "error_description": description}, 400, headers=no_store)

    client_id = str(form.get("client_id", ""))
    if client_id not in PUBLIC_CLIENTS:
        return JSONResponse({"error": "invalid_client"}, 401, headers=no_store)
    verifier = str(form.get("code_verifier", ""))
    if not _VERIFIER.fullmatch(verifier):
        return refuse("invalid_request", "code_verifier must be 43 to 128 unreserved characters (PKCE)")
    grant = grants.redeem(str(form.get("code", "")))
    if grant is None or grant.realm != realm or grant.client_id != client_id:
        return refuse("invalid_grant", "unknown, expired or already used code")
    if grant.redirect_uri != form.get("redirect_uri"):
        return refuse("invalid_grant", "redirect_uri differs from the authorization request's")
    if not hmac.compare_digest(s256(verifier), grant.code_challenge):
        return refuse("invalid_grant", "code_verifier does not match the code_challenge")
    return grant
