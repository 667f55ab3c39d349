"""The explorer page as served (no browser): its switch, its policy against anything but its own
assets, the examples it opens on, and the token each example is said to need."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from registry.app import create_app
from registry.explorer import token_need
from registry.settings import Settings
from schema.root import schema
from tests.conftest import QUERIES, Issuer
from tests.graphql_client import example

HTML = {"Accept": "text/html"}


@asynccontextmanager
async def registry(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://registry.test") as http:
            yield http


def config_of(page: str) -> dict[str, object]:
    found = re.search(r'<script id="explorer-config" type="application/json">(.*?)</script>', page, re.S)
    assert found is not None
    config: dict[str, object] = json.loads(found.group(1))
    return config


def need(name: str, settings: Settings) -> tuple[str, str | None]:
    query, variables = example(name)
    return token_need(schema._schema, query, variables, settings.issuers)


def test_each_example_says_which_token_it_needs(settings: Settings, issuer: Issuer) -> None:
    text, login = need("1-matchmaking", settings)
    assert "ml-infn" in text and login == issuer.url("infn")  # its group's issuer is offered for Log in
    text, login = need("2-quotas", settings)
    assert "biomed" in text and login == issuer.url("egi")
    assert need("3-access", settings)[0] == "any token (not anonymous)"  # identity providers: members only
    assert need("5-capabilities", settings)[0] == "any token (not anonymous)"  # its volume types: likewise
    public = "{ providers { nodes { name regions { name location { country } } } } }"
    assert token_need(schema._schema, public, {}, settings.issuers)[0] == "none: the public catalogue"
    assert need("8a-groups-using-a100", settings)[0].startswith("a token listing the groups")
    assert need("8b-cuda-images-in-region", settings)[0].startswith("none for the shared catalogue")


def test_an_examples_own_token_line_wins(settings: Settings) -> None:
    said = "an administrator's (registry dev-token --admin)"
    query = f"# Token: {said}\n{{ providers {{ totalCount }} }}"
    assert token_need(schema._schema, query, {}, settings.issuers)[0] == said


async def test_the_explorer_is_off_unless_turned_on(settings: Settings) -> None:
    assert settings.environment == "production" and settings.graphiql is None
    async with registry(settings) as http:
        page = await http.get("/graphql", headers=HTML)
        assert "explorer-config" not in page.text
        assert (await http.get("/explorer/assets/explorer.js")).status_code == 404


async def test_the_page_loads_only_its_own_assets(settings: Settings, issuer: Issuer) -> None:
    async with registry(settings.model_copy(update={"graphiql": True})) as http:
        page = await http.get("/graphql", headers=HTML)
        assert page.status_code == 200
        policy = page.headers["content-security-policy"]
        assert "script-src 'self';" in policy and "default-src 'none'" in policy
        assert f"connect-src 'self' {issuer.base_url};" in policy  # discovery and the code exchange
        sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert sources and all(s.startswith("/explorer/assets/") or s == "data:," for s in sources)
        for source in sources:
            if source.startswith("/"):
                assert (await http.get(source)).status_code == 200, source
        config = config_of(page.text)
        examples = config["examples"]
        assert isinstance(examples, list)
        assert [e["name"] for e in examples] == sorted(p.stem for p in QUERIES.glob("*.graphql"))
        matchmaking = examples[0]
        assert matchmaking["operation"] == "Matchmaking" and json.loads(matchmaking["variables"])["group"] == "ml-infn"
        assert config["clientId"] == settings.explorer_client_id


async def test_an_example_cannot_break_out_of_the_page(settings: Settings, tmp_path: Path) -> None:
    (tmp_path / "evil.graphql").write_text("# </script><script>alert(1)</script>\n{ providers { totalCount } }\n")
    (tmp_path / "broken.graphql").write_text("{ providers { \n")  # left out, with a warning
    async with registry(settings.model_copy(update={"graphiql": True, "explorer_examples": tmp_path})) as http:
        page = (await http.get("/graphql", headers=HTML)).text
    assert "<script>alert(1)" not in page
    examples = config_of(page)["examples"]
    assert isinstance(examples, list) and [e["name"] for e in examples] == ["evil"]
    assert examples[0]["description"] == "</script><script>alert(1)</script>"
