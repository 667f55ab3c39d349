"""The federation as graph nodes and edges with stable ids, built from validated bundle input."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from resolvers.errors import BundleError
from resolvers.federation_file import FederationFile, HarvestIn, ProviderIn, RegionIn, ServiceIn
from resolvers.kinds import OFFERED, QUOTA_LABELS, SERVICE_LABELS

# Ids are derived from natural keys, so loading the same file again updates the same nodes.
_NAMESPACE = uuid.UUID("6f1c1f6e-1d55-4c47-9b1e-0e7f3c1a5b2d")
_NAMESPACE_BYTES = _NAMESPACE.bytes


def stable_uid(*parts: str) -> str:
    """`str(uuid.uuid5(_NAMESPACE, "\\x1f".join(parts)))`, without building the UUID object: a bundle
    of a big provider derives thousands of ids, and the object was half of building its graph."""
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + "\x1f".join(parts).encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # the RFC 4122 variant
    text = digest.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


@dataclass(frozen=True)
class GraphNode:
    labels: tuple[str, ...]  # the first one is the label its uid is unique in
    uid: str
    props: Mapping[str, Any]


@dataclass(frozen=True)
class GraphEdge:
    type: str
    source: tuple[str, str]  # (label, uid)
    target: tuple[str, str]
    props: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Unknown:
    """Part of the stored graph a bundle could not read: kept as it is, and marked stale.

    `what` is `regions` (of a provider: with their services, what they offer and the quotas on them),
    `projects` (of a provider: with their quotas and links), `services` (of a region: with what they
    offer and the quotas on them), `offers` (of a service, of the kind `label`), `quotas` (of a
    project) or `private` (a project's CAN_USE links to resources of the kind `label`)."""

    what: str
    anchor: str  # uid of the node the part hangs off
    label: str | None = None


@dataclass
class FederationGraph:
    """Nodes and edges to merge into the stored graph (deduplicated by uid / by ends and type), and the
    parts it does not know (to keep)."""

    nodes: dict[str, GraphNode] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], GraphEdge] = field(default_factory=dict)
    unknown: list[Unknown] = field(default_factory=list)

    def add_node(self, labels: tuple[str, ...], uid: str, props: Mapping[str, Any]) -> str:
        self.nodes[uid] = GraphNode(labels, uid, props)
        return uid

    def add_edge(self, type_: str, source: tuple[str, str], target: tuple[str, str], **props: Any) -> None:
        self.edges[(type_, source[1], target[1])] = GraphEdge(type_, source, target, props)


class _Builder:
    def __init__(self, federation: FederationFile, confirmed_at: dt.datetime) -> None:
        self.federation = federation
        self.graph = FederationGraph()
        self.now = confirmed_at
        self.issuers: dict[str, str] = {}
        self.projects: dict[tuple[str, str], str] = {}
        self.provider_uids: dict[str, str] = {}
        self.unknown_projects: set[str] = set()  # providers whose projects the bundle does not know

    def node(self, labels: tuple[str, ...], uid: str, description: str = "", **props: Any) -> tuple[str, str]:
        clean = {k: v for k, v in props.items() if v is not None}
        self.graph.add_node(labels, uid, {**clean, "uid": uid, "description": description, "updatedAt": self.now})
        return labels[0], uid

    def build(self) -> FederationGraph:
        for idp in self.federation.identity_providers:
            ref = self.node(
                ("IdentityProvider",),
                stable_uid("IdentityProvider", idp.endpoint),
                idp.description,
                endpoint=idp.endpoint,
                groupClaim=idp.group_claim,
            )
            self.issuers[idp.endpoint] = ref[1]
        for provider in self.federation.providers:
            self.provider(provider)
        for idp in self.federation.identity_providers:
            idp_ref = ("IdentityProvider", self.issuers[idp.endpoint])
            for group in idp.user_groups:
                group_ref = self.node(
                    ("UserGroup",),
                    stable_uid("UserGroup", idp.endpoint, group.name),
                    group.description,
                    name=group.name,
                    naturalKey=f"{idp_ref[1]}/{group.name}",
                )
                self.graph.add_edge("BELONGS_TO", group_ref, idp_ref)
                for sla in group.slas:
                    sla_ref = self.node(
                        ("SLA",),
                        stable_uid("SLA", sla.doc_uuid),
                        sla.description,
                        docUuid=sla.doc_uuid,
                        startDate=sla.start_date,
                        endDate=sla.end_date,
                    )
                    self.graph.add_edge("AGREES", group_ref, sla_ref)
                    for covered in sla.projects:
                        project = self.projects.get((covered.provider, covered.project))
                        if project is None and covered.provider in self.unknown_projects:
                            # Not read this time: the stored project, if there is one, keeps its SLA.
                            provider_uid = self.provider_uids[covered.provider]
                            project = stable_uid("Project", provider_uid, covered.project)
                        if project is None:
                            raise BundleError(
                                "bundle",
                                f"SLA {sla.doc_uuid}: no project {covered.project!r} at provider {covered.provider!r}",
                            )
                        self.graph.add_edge("COVERS", sla_ref, ("Project", project))
        return self.graph

    def provider(self, provider: ProviderIn) -> None:
        ref = self.node(
            ("Provider",),
            stable_uid("Provider", provider.name, provider.type),
            provider.description,
            name=provider.name,
            type=provider.type,
            status=provider.status,
            isPublic=provider.is_public,
            supportEmails=list(provider.support_emails),
            **_harvest(provider.harvest),
        )
        for trust in provider.trusts:
            if trust.issuer not in self.issuers:
                raise BundleError("bundle", f"provider {provider.name}: trusts unknown issuer {trust.issuer!r}")
            props = {"idpName": trust.idp_name, "protocol": trust.protocol}
            if trust.audience is not None:
                props["audience"] = trust.audience
            self.graph.add_edge("TRUSTS", ref, ("IdentityProvider", self.issuers[trust.issuer]), **props)
        services: dict[tuple[str, str], list[tuple[str, str]]] = {}
        offered: dict[tuple[str, str], list[tuple[str, str]]] = {}  # (label, uuid) -> nodes
        if provider.regions is None:
            self.graph.unknown.append(Unknown("regions", ref[1]))
        if provider.projects is None:
            self.graph.unknown.append(Unknown("projects", ref[1]))
            self.unknown_projects.add(provider.name)
        self.provider_uids[provider.name] = ref[1]
        for region in provider.regions or []:
            self.region(ref, region, services, offered, _region_harvest(provider.harvest, region.harvest))
        for project in provider.projects or []:
            project_ref = self.node(
                ("Project",),
                stable_uid("Project", ref[1], project.uuid),
                project.description,
                uuid=project.uuid,
                name=project.name,
                naturalKey=f"{ref[1]}/{project.uuid}",
            )
            self.projects[(provider.name, project.uuid)] = project_ref[1]
            self.graph.add_edge("HOSTS", ref, project_ref)
            for label, uuids in (
                ("Flavor", project.private_flavors),
                ("Image", project.private_images),
                ("Network", project.private_networks),
            ):
                if uuids is None:
                    self.graph.unknown.append(Unknown("private", project_ref[1], label))
                    continue
                for resource_uuid in uuids:
                    targets = offered.get((label, resource_uuid))
                    if not targets:
                        raise BundleError(
                            "bundle", f"project {project.uuid} at {provider.name}: no {label.lower()} {resource_uuid!r}"
                        )
                    for target in targets:
                        self.graph.add_edge("CAN_USE", project_ref, target)
            if project.quotas is None:
                self.graph.unknown.append(Unknown("quotas", project_ref[1]))
            for quota in project.quotas or []:
                candidates = services.get((quota.region, quota.service), [])
                if quota.endpoint is not None:
                    candidates = [c for c in candidates if self.graph.nodes[c[1]].props["endpoint"] == quota.endpoint]
                if len(candidates) != 1:
                    raise BundleError(
                        "bundle",
                        f"project {project.uuid} at {provider.name}: quota on {quota.service} in region "
                        f"{quota.region!r} matches {len(candidates)} services (name one by endpoint)",
                    )
                service_ref = candidates[0]
                # A scoped quota's key (and id) adds its scope; an unscoped one's is what it always was.
                scope = (quota.scope(),) if quota.scope() else ()
                key = (project_ref[1], service_ref[1], str(quota.per_user), str(quota.usage), *scope)
                quota_ref = self.node(
                    ("Quota", QUOTA_LABELS[quota.service]),
                    stable_uid("Quota", *key),
                    quota.description,
                    kind=quota.service,
                    perUser=quota.per_user,
                    usage=quota.usage,
                    naturalKey="/".join(key),
                    **quota.scope_properties(),
                    **quota.figures(),
                )
                self.graph.add_edge("HAS_QUOTA", project_ref, quota_ref)
                self.graph.add_edge("ON", quota_ref, service_ref)

    def region(
        self,
        provider_ref: tuple[str, str],
        region: RegionIn,
        services: dict[tuple[str, str], list[tuple[str, str]]],
        offered: dict[tuple[str, str], list[tuple[str, str]]],
        harvest: HarvestIn | None,
    ) -> None:
        ref = self.node(
            ("Region",),
            stable_uid("Region", provider_ref[1], region.name),
            region.description,
            name=region.name,
            overbookingCpu=region.overbooking_cpu,
            overbookingRam=region.overbooking_ram,
            bandwidthIn=region.bandwidth_in,
            bandwidthOut=region.bandwidth_out,
            publicIpAssignable=region.public_ip_assignable,
            naturalKey=f"{provider_ref[1]}/{region.name}",
            **_harvest(harvest),
        )
        self.graph.add_edge("DIVIDED_INTO", provider_ref, ref)
        if region.location is not None:
            loc = region.location
            country, code = loc.country_record
            loc_ref = self.node(
                ("Location",),
                stable_uid("Location", loc.site),
                loc.description,
                site=loc.site,
                country=country,
                countryCode=code,
                latitude=loc.latitude,
                longitude=loc.longitude,
            )
            self.graph.add_edge("LOCATED_AT", ref, loc_ref)
        if region.services is None:
            self.graph.unknown.append(Unknown("services", ref[1]))
        for service in region.services or []:
            service_ref = self.service(ref, service, provider_ref, offered)
            services.setdefault((region.name, service.kind), []).append(service_ref)

    def service(
        self,
        region_ref: tuple[str, str],
        service: ServiceIn,
        provider_ref: tuple[str, str],
        offered: dict[tuple[str, str], list[tuple[str, str]]],
    ) -> tuple[str, str]:
        label = SERVICE_LABELS[service.kind]
        ref = self.node(
            (label, "Service"),
            stable_uid(label, region_ref[1], service.endpoint),
            service.description,
            endpoint=service.endpoint,
            name=service.name,
            microversion=service.microversion,
            dataLocation=service.data_location,
            naturalKey=f"{region_ref[1]}/{service.kind}/{service.endpoint}",
        )
        self.graph.add_edge("SUPPLIES", region_ref, ref)
        # What a service offers belongs to it, keyed within it; an image may be offered by several
        # compute services of its provider, so it is one node keyed within the provider.
        for kind in OFFERED:
            scope = provider_ref[1] if kind.keyed_within_provider else ref[1]
            resources = getattr(service, kind.offered_in or "")
            if resources is None:
                self.graph.unknown.append(Unknown("offers", ref[1], kind.label))
                continue
            for resource in resources:
                key = getattr(resource, kind.key_field)
                props = resource.model_dump(by_alias=True, exclude={"description"})
                resource_ref = self.node(
                    (kind.label,), stable_uid(kind.label, scope, key), resource.description,
                    naturalKey=f"{scope}/{key}", **props,
                )  # fmt: skip
                self.graph.add_edge("OFFERS", ref, resource_ref)
                linkable = offered.setdefault((kind.label, key), [])
                if resource_ref not in linkable:
                    linkable.append(resource_ref)
        return ref


def _harvest(harvest: HarvestIn | None) -> dict[str, Any]:
    """How a harvest went, as stored properties; `stale` when it failed (a partial one marks the parts it
    could not read). The last success is the attempt when it went well; otherwise the stored one stays
    (the reconcile keeps it)."""
    if harvest is None:
        return {}
    ok = harvest.outcome == "ok"
    return {
        "harvestLastAttemptAt": harvest.attempted_at,
        "harvestLastSuccessAt": harvest.attempted_at if ok else None,
        "harvestOutcome": harvest.outcome,
        "harvestError": harvest.error,
        "stale": harvest.outcome == "failed",
    }


def _region_harvest(provider: HarvestIn | None, region: HarvestIn | None) -> HarvestIn | None:
    """A region's harvest: its own where it went otherwise; else the provider's, which for a region
    failed only when the whole provider failed (a partial provider harvest is about other regions)."""
    if region is not None or provider is None:
        return region
    if provider.outcome == "failed":
        return provider
    return HarvestIn(attempted_at=provider.attempted_at, outcome="ok")


def federation_graph(federation: FederationFile, *, confirmed_at: dt.datetime | None = None) -> FederationGraph:
    return _Builder(federation, confirmed_at or dt.datetime.now(dt.UTC)).build()
