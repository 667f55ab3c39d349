"""The federation file: a whole federation read from YAML or JSON, checked, and written one provider
per transaction through the bundle path (`registry load`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from resolvers.db import Database
from resolvers.federation_file import FederationFile, IdentityProviderIn, ProviderIn, SLAIn, UserGroupIn
from resolvers.federation_graph import federation_graph
from resolvers.reconcile import Actor, Changes, reconcile

# The C loader (libyaml) when PyYAML was built with it: several times faster on big federations.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FederationFileError(ValueError):
    """The file is not a valid federation; the message names each bad field by its path."""


def yaml_load(path: Path) -> Any:
    """The document of a YAML (or JSON) file; a syntax error names the file, line and column."""
    try:
        text = path.read_text()
    except OSError as error:
        raise FederationFileError(f"{path}: {error.strerror}") from None
    try:
        return yaml.load(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else str(path)
        what = " ".join(part for part in (error.context, error.problem) if part)
        raise FederationFileError(f"{where}: {what}") from None
    except yaml.YAMLError as error:
        raise FederationFileError(f"{path}: {error}") from None


def _places(federation: FederationFile) -> Iterator[tuple[str, tuple[Any, ...], str]]:
    """(what, natural key, path) of everything that must be unique, in file order."""
    for i, idp in enumerate(federation.identity_providers):
        yield "identity provider", (idp.endpoint,), f"identityProviders.{i}"
        for j, group in enumerate(idp.user_groups):
            yield "user group", (idp.endpoint, group.name), f"identityProviders.{i}.userGroups.{j}"
            for k, sla in enumerate(group.slas):
                yield "SLA", (sla.doc_uuid,), f"identityProviders.{i}.userGroups.{j}.slas.{k}"
    for i, provider in enumerate(federation.providers):
        at = f"providers.{i}"
        yield "provider", (provider.name, provider.type), at
        for j, region in enumerate(provider.regions or []):
            yield "region", (provider.name, region.name), f"{at}.regions.{j}"
            for k, service in enumerate(region.services or []):
                s_at = f"{at}.regions.{j}.services.{k}"
                s_key = (provider.name, region.name, service.kind, service.endpoint)
                yield "service", s_key, s_at
                for what, items, attr in (
                    ("flavor", service.flavors, "uuid"),
                    ("image", service.images, "uuid"),
                    ("network", service.networks, "uuid"),
                    ("volume type", service.volume_types, "name"),
                ):
                    field = {"flavor": "flavors", "image": "images", "network": "networks"}.get(what, "volumeTypes")
                    for n, item in enumerate(items or []):
                        yield what, (*s_key, getattr(item, attr)), f"{s_at}.{field}.{n}"
        for j, project in enumerate(provider.projects or []):
            yield "project", (provider.name, project.uuid), f"{at}.projects.{j}"
            for k, quota in enumerate(project.quotas or []):
                key = (
                    provider.name,
                    project.uuid,
                    quota.region,
                    quota.service,
                    quota.endpoint,
                    quota.per_user,
                    quota.usage,
                    quota.scope(),
                )
                yield "quota", key, f"{at}.projects.{j}.quotas.{k}"


def check_unique(federation: FederationFile) -> None:
    """Refuse a file that lists something twice (the last copy would silently win), naming both places."""
    seen: dict[tuple[str, tuple[Any, ...]], str] = {}
    clashes = []
    for what, key, path in _places(federation):
        first = seen.setdefault((what, key), path)
        if first != path:
            shown = key[0] if what == "provider" else f"{key[3]} in {key[2]}" if what == "quota" else key[-1]
            clashes.append(f"{path}: {what} {shown!r} is already at {first}")
    if clashes:
        raise FederationFileError("; ".join(clashes))


def read_federation(path: Path) -> FederationFile:
    data = yaml_load(path)
    try:
        federation = FederationFile.model_validate(data or {})
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors())
        raise FederationFileError(f"{path}: {problems}") from None
    try:
        check_unique(federation)
    except FederationFileError as error:
        raise FederationFileError(f"{path}: {error}") from None
    return federation


FEEDER = Actor(issuer="local", subject="registry load")


def _group_with(group: UserGroupIn, slas: list[SLAIn]) -> UserGroupIn:
    return group.model_copy(update={"slas": slas})


def provider_part(federation: FederationFile, provider: ProviderIn) -> FederationFile:
    """The provider with the identity providers, and only the user groups and SLAs covering its projects
    (each SLA narrowed to its projects there): what one provider's transaction writes."""
    idps: list[IdentityProviderIn] = []
    for idp in federation.identity_providers:
        groups = []
        for group in idp.user_groups:
            slas = [
                sla.model_copy(update={"projects": [p for p in sla.projects if p.provider == provider.name]})
                for sla in group.slas
                if any(p.provider == provider.name for p in sla.projects)
            ]
            if slas:
                groups.append(_group_with(group, slas))
        idps.append(idp.model_copy(update={"user_groups": groups}))
    return FederationFile(identity_providers=idps, providers=[provider])


def identity_part(federation: FederationFile) -> FederationFile:
    """Identity providers, every user group, and the SLAs that cover no project (the rest come with
    their providers)."""
    idps = [
        idp.model_copy(
            update={"user_groups": [_group_with(g, [s for s in g.slas if not s.projects]) for g in idp.user_groups]}
        )
        for idp in federation.identity_providers
    ]
    return FederationFile(identity_providers=idps)


def add_changes(total: Changes, changes: Changes) -> None:
    total.created.update(changes.created)
    total.updated.update(changes.updated)
    total.removed.update(changes.removed)
    total.edges_created += changes.edges_created
    total.edges_updated += changes.edges_updated
    total.edges_removed += changes.edges_removed


async def load_federation(database: Database, federation: FederationFile, *, actor: Actor = FEEDER) -> Changes:
    """Reconcile the file's identity providers, then each provider, one write transaction each (the
    bundle code path): a big federation never needs one huge transaction. Every part is built (and its
    references checked) before the first is written."""
    parts = [identity_part(federation), *(provider_part(federation, p) for p in federation.providers)]
    for part in parts:
        federation_graph(part)  # raises BundleError on a dangling reference
    total = Changes()
    for part in parts:
        add_changes(total, await reconcile(database, federation_graph(part), actor=actor))
    return total


__all__ = ["FEEDER", "FederationFileError", "load_federation", "read_federation"]
