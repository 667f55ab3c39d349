"""The feeder: fills the registry from providers' own APIs (`registry feed`) or from a federation
file (`registry load`)."""

from registry.feeder.federation_file import FEEDER, FederationFileError, load_federation, read_federation

__all__ = ["FEEDER", "FederationFileError", "load_federation", "read_federation"]
