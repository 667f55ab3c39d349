"""Every question is asked of both executors: with the stored-scalar shortcut (`schema/execution.py`)
and with graphql-core completing every field. Their answers must be the same, so every assertion of
this folder holds for both."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from registry.app import create_app
from registry.settings import Settings


@pytest.fixture(scope="session", params=["shortcut", "graphql-core"])
async def client(request: pytest.FixtureRequest, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings.model_copy(update={"stored_scalar_shortcut": request.param == "shortcut"}))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://registry.test") as http:
            yield http
