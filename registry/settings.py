"""Settings of the service, from the environment (prefix REGISTRY_) or a .env file."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    graphiql: bool | None = Field(None, description="Serve GraphiQL at /graphql; default: on in development.")
    max_query_depth: int = Field(15, ge=2)

    @property
    def graphiql_enabled(self) -> bool:
        return self.graphiql if self.graphiql is not None else self.environment == "development"


@lru_cache
def get_settings() -> Settings:
    return Settings()
