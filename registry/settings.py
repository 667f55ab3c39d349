"""Settings of the service, from the environment (prefix REGISTRY_) or a .env file."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal, Self

import yaml
from pydantic import AliasChoices, BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from resolvers.db import STATEMENT_SUBQUERIES_MAX
from schema.cost import DEFAULT_COST_LIMIT

# An origin as browsers send it in `Origin`: lowercase scheme and host, a port only when not the default.
_ORIGIN = re.compile(r"https?://[a-z0-9.-]+(:[0-9]{1,5})?|https?://\[[0-9a-f:.]+\](:[0-9]{1,5})?")


class IssuerSettings(BaseModel):
    """One trusted OpenID Connect issuer. Tokens from any issuer not listed are refused."""

    url: str = Field(description="The issuer, exactly as tokens carry it in `iss`.")
    audiences: list[str] = Field(min_length=1, description="Accepted `aud` values; a token must carry one.")
    groups_claim: str = Field("groups", description="The claim listing the caller's groups and entitlements.")
    group_pattern: str = Field(
        r"(?P<group>.+)",
        description="Regex with a `group` capture that turns a claim value into a user group name; values "
        "that do not match are not groups (EGI Check-in: see README).",
    )
    admin_entitlements: list[str] = Field([], description="Claim values that make the caller an administrator.")
    writer_entitlements: list[str] = Field([], description="Claim values that make the caller a writer (the feeder).")
    identity_provider: str | None = Field(
        None,
        description="Endpoint of the IdentityProvider whose user groups this issuer asserts (default: `url`).",
    )

    @field_validator("group_pattern")
    @classmethod
    def _has_group_capture(cls, value: str) -> str:
        if "group" not in re.compile(value).groupindex:
            raise ValueError("group_pattern needs a named capture `group`")
        return value

    @property
    def graph_endpoint(self) -> str:
        return self.identity_provider or self.url


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REGISTRY_", env_file=".env", extra="ignore", populate_by_name=True)

    environment: Literal["development", "production"] = Field(
        "production", description="development turns GraphiQL on unless `graphiql` says otherwise."
    )
    neo4j_uri: str = Field("bolt://127.0.0.1:7687", validation_alias=AliasChoices("NEO4J_URI", "REGISTRY_NEO4J_URI"))
    neo4j_user: str = Field("neo4j", validation_alias=AliasChoices("NEO4J_USER", "REGISTRY_NEO4J_USER"))
    neo4j_password: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("NEO4J_PASSWORD", "REGISTRY_NEO4J_PASSWORD"),
        description="Unset: connect without authentication (the local development server).",
    )
    neo4j_database: str = Field("neo4j", validation_alias=AliasChoices("NEO4J_DATABASE", "REGISTRY_NEO4J_DATABASE"))
    neo4j_max_pool_size: int = Field(50, ge=1)
    neo4j_new_statements_at_once: int = Field(
        2,
        ge=1,
        description="Reads of statements this process has not read before (each a plan Neo4j must make, ~1 s of "
        "its CPU for a deep question) sent at once; the others wait their turn, reads of known statements never.",
    )
    graphiql: bool | None = Field(
        None, description="Serve the explorer (GraphiQL, examples, Log in) at /graphql; default: on in development."
    )
    explorer_client_id: str = Field(
        "federation-registry-explorer",
        description="The OAuth2 public client the explorer logs in as (registered at each issuer with the "
        "redirect URI <the registry>/graphql).",
    )
    explorer_scope: str = Field("openid", description="The scopes the explorer asks for at log in.")
    explorer_examples: Path | None = Field(
        None, description="The folder of example queries the explorer opens; default: examples/queries."
    )

    # Limits of a GraphQL operation (README, "Limits and production settings").
    max_query_depth: int = Field(15, ge=2, description="Deepest field nesting of an operation.")
    stored_scalar_shortcut: bool = Field(
        True, description="Complete stored scalars without graphql-core's per-field steps (same answers, less CPU)."
    )
    compiled_reads: bool = Field(
        True, description="Read each query in one Cypher statement before its resolvers run (same answers)."
    )
    tune_garbage_collector: bool = Field(
        True,
        description="At start, move the objects that live as long as the process out of Python's cyclic garbage "
        "collector's sight (gc.freeze) and collect young objects every 10,000 allocations rather than 700.",
    )
    answers_from_rows: bool = Field(
        True,
        description="Build a compiled read's answer straight from its statement's rows when the plan knows every "
        "field, without resolvers (same answers, less CPU).",
    )
    prepared_operations: bool = Field(
        True,
        description="Run a query asked before (same text and operation name) without Strawberry's per-request "
        "pipeline: only its cost, execution and errors are worked out again (same answers, less CPU).",
    )
    max_aliases: int = Field(30, ge=1, description="Most aliases in an operation.")
    max_statement_subqueries: int = Field(
        STATEMENT_SUBQUERIES_MAX,
        ge=1,
        description="Most subqueries (what Neo4j plans, ~30 ms each on a new text) in a statement a read sends; "
        "the reads past them are made by further statements.",
    )
    max_tokens: int = Field(5000, ge=100, description="Most lexical tokens in a document.")
    max_query_chars: int = Field(64 * 1024, ge=1024, description="Longest `query` text.")
    max_variable_values: int = Field(
        10_000,
        ge=100,
        description="Most values (list items and object fields, at any depth) in a request's `variables`, for "
        "callers who may not write: each costs graphql-core's coercion (~7 µs) before any resolver runs. A "
        "writer's provider bundle is bounded by the body size only.",
    )
    cost_limit: int = Field(
        DEFAULT_COST_LIMIT, ge=1, description="Largest cost (most objects the answer can hold) of an operation."
    )
    request_deadline_s: float = Field(
        10.0, gt=0, description="Time a request may take, body read included; its Cypher and work stop then."
    )
    write_deadline_s: float = Field(
        120.0, gt=0, description="Time a mutation may take once it runs (a big provider's bundle takes long)."
    )
    introspection: Literal["off", "authenticated", "anyone"] = Field(
        "authenticated", description="Who may query __schema and __type."
    )
    field_suggestions: bool | None = Field(
        None, description='"Did you mean" hints in validation errors; default: on in development only.'
    )
    # Limits of the HTTP request.
    max_json_body_bytes: int = Field(4 * 1024 * 1024, ge=1024, description="Largest JSON request body.")
    max_multipart_body_bytes: int | None = Field(
        None, ge=1024, description="Largest multipart (upload) body; default: document_max_bytes + 1 MiB."
    )
    max_header_bytes: int = Field(16 * 1024, ge=1024, description="Request line and headers, in bytes.")
    max_header_count: int = Field(100, ge=10, description="Most header lines of a request.")
    header_read_timeout_s: float = Field(
        10.0, gt=0, description="Time a connection may take to send a request's headers (slow clients)."
    )
    keep_alive_timeout_s: float = Field(5.0, gt=0, description="An idle kept-alive connection is closed after this.")
    metrics: bool | None = Field(None, description="Serve /metrics on the main port; default: on in development.")
    metrics_port: int | None = Field(None, description="Serve /metrics on this port instead (on metrics_host).")
    metrics_host: str = Field("127.0.0.1", description="Where the metrics port listens.")
    # Browser dashboards on other sites (registry/cors.py) and cacheable reads over GET.
    cors_origins: Annotated[list[str], NoDecode] = Field(
        [], description="Origins (scheme://host[:port], comma-separated; * any) whose pages may call the API."
    )
    cors_max_age_s: int = Field(600, ge=0, description="How long a browser may keep a preflight's answer.")
    get_queries: bool = Field(True, description="Answer queries (never mutations) sent with GET.")
    get_cache_max_age_s: int = Field(
        60, ge=0, description="Cache-Control max-age of an anonymous GET answer without errors (0: no-cache)."
    )

    # Neo4j outages: how long to wait before answering SERVICE_UNAVAILABLE.
    neo4j_connection_timeout_s: float = Field(2.0, gt=0, description="Opening a connection (TCP and Bolt).")
    neo4j_acquisition_timeout_s: float = Field(3.0, gt=0, description="Getting a connection from the pool.")
    neo4j_silent_after_s: float = Field(
        1.0, gt=0, description="A read silent this long has Neo4j probed on another connection."
    )
    neo4j_probe_timeout_s: float = Field(
        3.0, gt=0, description="A probe unanswered this long: Neo4j is down, the read fails at once."
    )
    readiness_timeout_s: float = Field(1.5, gt=0, description="/readyz answers 503 when Neo4j is slower than this.")

    issuers: list[IssuerSettings] = Field([], description="Trusted issuers (JSON in REGISTRY_ISSUERS).")
    issuers_file: Path | None = Field(None, description="A YAML file with `issuers: [...]`, added to `issuers`.")
    anonymous_read: bool | None = Field(
        None, description="Let callers without a token read the public catalogue; default: on in development."
    )
    token_leeway_s: float = Field(30.0, ge=0, le=300, description="Clock skew allowed on exp, nbf and iat.")
    token_max_lifetime_s: float = Field(
        24 * 3600.0, gt=0, description="Tokens whose exp - iat is longer are refused (a leaked token lives long)."
    )
    jwks_refresh_min_interval_s: float = Field(
        60.0, ge=0, description="An unknown `kid` refetches an issuer's keys at most this often."
    )
    jwks_max_age_s: float = Field(3600.0, gt=0, description="Keys are refetched after this long anyway.")

    s3_endpoint_url: str | None = Field(None, description="S3-compatible endpoint; unset: AWS itself.")
    s3_public_endpoint_url: str | None = Field(
        None, description="The endpoint download links name, when readers reach the store by another address."
    )
    s3_bucket: str = "sla-documents"
    s3_region: str = "us-east-1"
    s3_access_key: str | None = None
    s3_secret_key: SecretStr | None = None
    s3_create_bucket: bool = Field(False, description="Create the bucket at start if it is missing.")
    document_max_bytes: int = Field(20 * 1024 * 1024, gt=0, description="Largest SLA document accepted.")
    download_url_ttl_s: int = Field(300, gt=0, le=7 * 24 * 3600, description="Lifetime of a download link.")
    document_sweep_interval_s: float = Field(3600.0, gt=0, description="How often unreferenced objects are swept.")

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            value = [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("cors_origins")
    @classmethod
    def _plain_origins(cls, origins: list[str]) -> list[str]:
        for origin in origins:
            if origin != "*" and not _ORIGIN.fullmatch(origin):
                raise ValueError(f"{origin!r} is not an origin: scheme://host[:port], lowercase, no path")
        return origins

    @model_validator(mode="after")
    def _read_issuers_file(self) -> Self:
        if self.issuers_file is not None:
            data = yaml.safe_load(self.issuers_file.read_text()) or {}
            listed = [IssuerSettings.model_validate(i) for i in data.get("issuers", [])]
            self.issuers = [*self.issuers, *listed]
        urls = [i.url for i in self.issuers]
        if len(urls) != len(set(urls)):
            raise ValueError("an issuer is listed twice")
        return self

    @property
    def multipart_body_limit(self) -> int:
        return self.max_multipart_body_bytes or self.document_max_bytes + 1024 * 1024

    @property
    def metrics_on_main_port(self) -> bool:
        return self.metrics if self.metrics is not None else self.environment == "development"

    @property
    def field_suggestions_enabled(self) -> bool:
        return self.field_suggestions if self.field_suggestions is not None else self.environment == "development"

    @property
    def graphiql_enabled(self) -> bool:
        return self.graphiql if self.graphiql is not None else self.environment == "development"

    @property
    def documents_enabled(self) -> bool:
        """SLA documents need an object store: an endpoint or credentials must be configured."""
        return self.s3_endpoint_url is not None or self.s3_access_key is not None

    @property
    def anonymous_read_enabled(self) -> bool:
        return self.anonymous_read if self.anonymous_read is not None else self.environment == "development"


@lru_cache
def get_settings() -> Settings:
    return Settings()
