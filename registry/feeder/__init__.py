"""The feeder: fills the registry from providers' own APIs (`registry feed`) or from a federation
file (`registry load`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from registry.feeder.federation_file import FEEDER, FederationFileError, load_federation, read_federation

__all__ = ["FEEDER", "FederationFileError", "load_federation", "read_federation"]


def __getattr__(name: str) -> Any:
    # Loaded when asked for: a harvest worker process imports the feeder's modules without the
    # federation file's writer and the Neo4j driver it brings.
    if name in __all__:
        from registry.feeder import federation_file

        return getattr(federation_file, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
