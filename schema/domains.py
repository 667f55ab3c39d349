"""The schema's domain modules, imported together: importing this binds every type to its kind."""

from schema import flavor, identity, image, network, project, provider, quota, service, sla

__all__ = ["flavor", "identity", "image", "network", "project", "provider", "quota", "service", "sla"]
