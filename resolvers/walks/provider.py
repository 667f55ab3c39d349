"""Walks of `schema/provider.py` beyond single edges: how providers trust issuers (the TRUSTS edge)."""

from __future__ import annotations

from resolvers.walks import Walk

# The TRUSTS edge carries how a provider trusts an issuer; each row holds both ends' properties.
TRUSTS_BY_PROVIDER = Walk(
    "TrustsByProvider",
    "MATCH (prov:Provider {uid: key})-[t:TRUSTS]->(n:IdentityProvider)",
    "IdentityProvider",
    row="{trust: properties(t), provider: prov {.*}, identityProvider: n {.*}}",
    carry=("t", "prov"),
    labels=(("prov", "Provider"),),
    result="Trust",
)
TRUSTS_BY_IDENTITY_PROVIDER = Walk(
    "TrustsByIdentityProvider",
    "MATCH (idp:IdentityProvider {uid: key})<-[t:TRUSTS]-(n:Provider)",
    "Provider",
    row="{trust: properties(t), provider: n {.*}, identityProvider: idp {.*}}",
    carry=("t", "idp"),
    labels=(("idp", "IdentityProvider"),),
    result="Trust",
)
