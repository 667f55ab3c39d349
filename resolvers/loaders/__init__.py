"""Batch loaders: one per walk of the graph and filter, living for one request."""

from resolvers.loaders.walk import Walk, WalkLoader

__all__ = ["Walk", "WalkLoader"]
