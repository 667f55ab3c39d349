"""The README's table of examples is true: every query of examples/queries is listed with the token it
needs, and asked with that token (the arguments of `registry dev-token`) it answers data — not `null`
or nothing — while a group's question asked anonymously does not."""

from __future__ import annotations

import argparse
import re
import shlex
from typing import Any

import httpx

from resolvers.federation_file import FederationFile
from tests.conftest import PROJECT, QUERIES, Issuer
from tests.graphql_client import ask, example

_ROW = re.compile(r"^\| `(?P<file>[\w-]+)` \| (?P<token>none|`[^`]+`) \|", re.MULTILINE)


def _rows() -> dict[str, str | None]:
    readme = (PROJECT / "README.md").read_text()
    table = readme[readme.index("| file | token | answers for | question |") :]
    table = table[: table.index("\n\n")]
    return {m["file"]: None if m["token"] == "none" else m["token"].strip("`") for m in _ROW.finditer(table)}


def _token(issuer: Issuer, arguments: str) -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--group", action="append", default=[])
    parser.add_argument("--realm", default="infn")
    parser.add_argument("--admin", action="store_true")
    parser.add_argument("--writer", action="store_true")
    args = parser.parse_args(shlex.split(arguments))
    return issuer.token(*args.group, realm=args.realm, admin=args.admin, writer=args.writer)


def _has_rows(value: Any) -> bool:
    """Some list in the answer holds something."""
    if isinstance(value, list):
        return bool(value)
    if isinstance(value, dict):
        return any(_has_rows(v) for v in value.values())
    return False


def test_every_example_is_in_the_table() -> None:
    assert set(_rows()) == {path.stem for path in QUERIES.glob("*.graphql")}


async def test_every_example_answers_with_the_token_the_readme_names(
    client: httpx.AsyncClient, issuer: Issuer, example_federation: FederationFile
) -> None:
    wrong = []
    for name, arguments in _rows().items():
        query, variables = example(name)
        token = None if arguments is None else _token(issuer, arguments)

        answer = await ask(client, query, variables, token=token)

        if any(v is None for v in answer.data.values()) or not _has_rows(answer.data):
            wrong.append(f"{name} with token {arguments}: {answer.data}")
        elif arguments is not None and "--group" in arguments:
            anonymous = await ask(client, query, variables)
            if anonymous.data == answer.data:
                wrong.append(f"{name}: answers the same without its token")
    assert not wrong, "\n".join(wrong)
