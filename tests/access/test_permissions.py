"""Writes and administration are gated by entitlements carried in the token (FORBIDDEN otherwise)."""

from __future__ import annotations

import httpx

from tests.conftest import Issuer
from tests.graphql_client import ask, ask_for_errors

APPLY = "mutation { applyConstraints }"


async def test_an_administrator_may_reapply_the_constraints(client: httpx.AsyncClient, issuer: Issuer) -> None:
    answer = await ask(client, APPLY, token=issuer.admin)

    assert answer.data["applyConstraints"] > 30


async def test_anyone_else_is_forbidden(client: httpx.AsyncClient, issuer: Issuer) -> None:
    callers = {
        "anonymous": None,
        "a group member": issuer.token("ml-infn"),
        "the feeder (writer)": issuer.token(writer=True),
        "an EGI member": issuer.token("biomed", realm="egi"),
    }
    for who, token in callers.items():
        [error] = await ask_for_errors(client, APPLY, token=token)
        assert error["extensions"] == {"code": "FORBIDDEN"}, who
        assert error["message"] == "FORBIDDEN: administrators only"
