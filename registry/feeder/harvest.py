"""What a harvest of one provider yields: its bundle, or why (part by part) it could not be read."""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field
from typing import Literal

from registry.feeder.config import FeederConfig, KubernetesProvider, OpenStackProvider
from resolvers.federation_file import (
    HarvestIn,
    IdentityProviderIn,
    ProjectRef,
    ProviderBundle,
    ProviderIn,
    SLAIn,
    TrustIn,
    UserGroupIn,
)

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

    def blame(self) -> None:
        """After a call failed: when the time is spent, the failure is the deadline's, not the call's."""
        self.left()


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


Outcome = Literal["ok", "partial", "failed"]


@dataclass
class Harvest:
    """A provider's harvest: its bundle (what could not be read is null in it: "unknown, keep"), or none
    when nothing could be read; and the failures, part by part."""

    provider: str
    bundle: ProviderBundle | None = None
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0
    attempted_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    @property
    def ok(self) -> bool:
        return self.bundle is not None and not self.failures

    @property
    def outcome(self) -> Outcome:
        if not self.failures:
            return "ok"
        return "partial" if self.bundle is not None else "failed"

    def record(self) -> HarvestIn:
        """How it went, as the bundle tells the registry (a short, safe error)."""
        error = "; ".join(str(f) for f in self.failures)[:500] or None
        return HarvestIn(attempted_at=self.attempted_at, outcome=self.outcome, error=error)


def failure_bundle(config: FeederConfig, provider: OpenStackProvider | KubernetesProvider) -> ProviderBundle:
    """A provider nothing could be read of: what its configuration says, its regions and projects
    unknown (null), so the registry keeps what it has of them and marks it stale."""
    trusts, idps = trusted_identity(config, provider)
    return ProviderBundle(
        provider=ProviderIn(
            name=provider.name,
            type=provider.type,
            status=provider.status,
            is_public=provider.is_public,
            support_emails=provider.support_emails,
            description=provider.description,
            trusts=trusts,
            regions=None,
            projects=None,
        ),
        identity_providers=idps,
    )


def recorded(
    config: FeederConfig, provider: OpenStackProvider | KubernetesProvider, harvest: Harvest
) -> ProviderBundle:
    """The bundle to write for a harvest, whatever its outcome, carrying how it went."""
    bundle = harvest.bundle or failure_bundle(config, provider)
    return bundle.model_copy(update={"provider": bundle.provider.model_copy(update={"harvest": harvest.record()})})


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
