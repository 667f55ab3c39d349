"""The committed SDL is the schema the code builds (regenerate with `registry export-schema`)."""

from pathlib import Path

from schema.root import schema

SDL = Path(__file__).resolve().parent.parent / "schema" / "schema.graphql"


def test_committed_sdl_matches_the_code() -> None:
    assert SDL.read_text() == schema.as_str() + "\n", "schema/schema.graphql is stale: run `make schema`"
