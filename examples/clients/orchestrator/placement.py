"""The orchestrator's matchmaking question asked with the generated typed client (`registry_client`):
where may a user group deploy, with which GPU flavors and CUDA images? One request; one line per
(SLA, provider, region, compute service, flavor).

    python examples/clients/orchestrator/placement.py --group ml-infn --token "$TOKEN"

The token must list the group (a member's token); anonymous callers and other groups' members get no
user group at all (`userGroup` is null for them, as for a group that does not exist).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from dataclasses import dataclass

import httpx
from registry_client import GraphQLClientError, RegistryClient  # beside this file (a script's folder is on the path)


@dataclass(frozen=True)
class Placement:
    sla: str  # the SLA document's uuid
    provider: str
    region: str
    compute_endpoint: str
    flavor: str
    gpus: int
    gpu_model: str | None
    cuda_images: tuple[str, ...]


async def placements(client: RegistryClient, group: str, issuer: str, min_gpus: int) -> list[Placement]:
    answer = await client.matchmaking(group=group, issuer=issuer, min_gpus=min_gpus)
    if answer.user_group is None:
        raise LookupError(f"no user group {group!r} at {issuer} for this token")
    found = []
    for sla in answer.user_group.slas:
        for project in sla.projects:
            for place in project.regions:
                for compute in place.compute_services:
                    images = tuple(sorted(image.name for image in compute.images))
                    found += [
                        Placement(sla.doc_uuid, project.provider.name, place.region.name,
                                  compute.service.endpoint, flavor.name, flavor.gpus, flavor.gpu_model, images)
                        for flavor in compute.flavors
                    ]  # fmt: skip
    return found


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8000/graphql")
    parser.add_argument("--token", default=os.environ.get("REGISTRY_TOKEN"), help="default: $REGISTRY_TOKEN")
    parser.add_argument("--group", default="ml-infn")
    parser.add_argument("--issuer", default="https://iam.cloud.infn.it/", help="the group's identity provider")
    parser.add_argument("--min-gpus", type=int, default=1)
    args = parser.parse_args()
    headers = {"Authorization": f"Bearer {args.token}"} if args.token else {}
    async with httpx.AsyncClient(headers=headers, timeout=30) as http:
        client = RegistryClient(url=args.url, http_client=http)
        try:
            rows = await placements(client, args.group, args.issuer, args.min_gpus)
        except (LookupError, GraphQLClientError) as error:  # an HTTP status, or the answer's errors
            print(f"placement: {error}", file=sys.stderr)
            return 1
    for row in rows:
        print(f"{row.provider:14} {row.region:12} {row.flavor:20} {row.gpus} × {row.gpu_model or '?':8} "
              f"images: {', '.join(row.cuda_images) or '-'}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
