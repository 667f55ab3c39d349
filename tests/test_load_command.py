"""`registry load` names its Neo4j on the command line (--uri, --user, --password-file, --database) as
well as through NEO4J_URI & co, and says plainly when it cannot reach it."""

from __future__ import annotations

import pytest

from registry.cli import main
from tests.conftest import EXAMPLE_FEDERATION, _free_port


def test_load_writes_to_the_server_its_uri_names(neo4j_uri: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["load", str(EXAMPLE_FEDERATION), "--uri", neo4j_uri, "--database", "neo4j"]) == 0

    assert f"loaded {EXAMPLE_FEDERATION}" in capsys.readouterr().out


def test_load_says_which_server_it_cannot_reach(capsys: pytest.CaptureFixture[str]) -> None:
    nowhere = f"bolt://127.0.0.1:{_free_port()}"

    assert main(["load", str(EXAMPLE_FEDERATION), "--uri", nowhere]) == 3

    assert f"registry load: no Neo4j answers at {nowhere}" in capsys.readouterr().err
