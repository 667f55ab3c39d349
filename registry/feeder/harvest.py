"""What a harvest of one provider yields: its bundle, or why (part by part) it could not be read."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from registry.feeder.config import FeederConfig, KubernetesProvider, OpenStackProvider
from resolvers.federation_file import IdentityProviderIn, ProjectRef, ProviderBundle, SLAIn, TrustIn, UserGroupIn

_URL_SECRETS = re.compile(r"(https?://)[^\s'\"]+")


class DeadlineExceeded(TimeoutError):
    """The provider's harvest ran out of its time."""


@dataclass
class Deadline:
    """The time a provider's harvest may still take; every call is bounded by what is left."""

    seconds: float
    started: float = field(default_factory=time.monotonic)

    def left(self) -> float:
        left = self.seconds - (time.monotonic() - self.started)
        if left <= 0:
            raise DeadlineExceeded(f"no answer within the provider's timeout of {self.seconds:g} s")
        return left


@dataclass(frozen=True)
class Failure:
    """One part that could not be read: where (region, or '' for the whole provider), what, and why."""

    region: str
    part: str
    error: str

    def __str__(self) -> str:
        where = "/".join(p for p in (self.region, self.part) if p)
        return f"{where}: {self.error}" if where else self.error


def safe_message(error: BaseException, limit: int = 200) -> str:
    """A short message fit to log and store: no URLs (they may carry tokens or project ids), no secrets."""
    text = " ".join(str(error).split()) or type(error).__name__
    text = _URL_SECRETS.sub(r"\1…", text)
    return text[:limit]


@dataclass
class Harvest:
    """A provider's harvest: the bundle when every part was read, else the failures."""

    provider: str
    bundle: ProviderBundle | None = None
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.bundle is not None and not self.failures


def trusted_identity(
    config: FeederConfig, provider: OpenStackProvider | KubernetesProvider
) -> tuple[list[TrustIn], list[IdentityProviderIn]]:
    """The provider's trusts, and the identity providers it trusts with only the user groups and SLAs
    covering its projects (each SLA listing those projects): the identity half of its bundle."""
    trusts = [
        TrustIn(issuer=t.endpoint, idp_name=t.idp_name, protocol=t.protocol, audience=t.audience)
        for t in provider.identity_providers
    ]
    if isinstance(provider, OpenStackProvider):
        by_sla = [(p.sla, p.id) for p in provider.projects]
    else:
        by_sla = [(n.sla, n.project_uuid) for n in provider.namespaces]
    idps = []
    for idp in config.identity_providers:
        groups = []
        for group in idp.user_groups:
            slas = []
            for sla in group.slas:
                covered = [ProjectRef(provider=provider.name, project=p) for s, p in by_sla if s == sla.doc_uuid]
                if covered:
                    slas.append(SLAIn.model_validate({**sla.model_dump(), "projects": covered}))
            if slas:
                groups.append(UserGroupIn(name=group.name, description=group.description, slas=slas))
        if groups or any(t.issuer == idp.endpoint for t in trusts):
            idps.append(idp.model_copy(update={"user_groups": groups}))
    return trusts, idps
