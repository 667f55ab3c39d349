"""The feeder's file: a whole federation read from YAML or JSON and written through the bundle path."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from resolvers.db import Database
from resolvers.federation_file import FederationFile
from resolvers.federation_graph import federation_graph
from resolvers.reconcile import Actor, Changes, reconcile


class FederationFileError(ValueError):
    """The file is not a valid federation; the message names each bad field by its path."""


def read_federation(path: Path) -> FederationFile:
    try:
        data = yaml.safe_load(path.read_text())
    except (OSError, yaml.YAMLError) as error:
        raise FederationFileError(f"{path}: {error}") from None
    try:
        return FederationFile.model_validate(data or {})
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors())
        raise FederationFileError(f"{path}: {problems}") from None


FEEDER = Actor(issuer="local", subject="registry load")


async def load_federation(database: Database, federation: FederationFile, *, actor: Actor = FEEDER) -> Changes:
    """Reconcile every provider of the file to it in ONE write transaction (the bundle code path)."""
    graph = federation_graph(federation)
    return await reconcile(database, graph, actor=actor)
