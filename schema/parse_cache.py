"""The parse and validation caches, bounded in bytes: a document longer than `CACHED_QUERY_MAX_CHARS`
is parsed and validated afresh each time, never kept (six distinct 50 MB queries once kept 614 MB)."""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import ParserCache, ValidationCache

# Every query of examples/ and bench/ is under 2 KB; 256 entries of at most this keep a few MB.
CACHED_QUERY_MAX_CHARS = 16 * 1024
CACHED_DOCUMENTS = 256


def _cacheable(query: str | None) -> bool:
    return query is not None and len(query) <= CACHED_QUERY_MAX_CHARS


class BoundedParserCache(ParserCache):
    def __init__(self) -> None:
        super().__init__(maxsize=CACHED_DOCUMENTS)

    def on_parse(self) -> Iterator[None]:
        if _cacheable(self.execution_context.query):
            yield from super().on_parse()
        else:
            yield  # Strawberry parses it


class BoundedValidationCache(ValidationCache):
    def __init__(self) -> None:
        super().__init__(maxsize=CACHED_DOCUMENTS)

    def on_validate(self) -> Iterator[None]:
        if _cacheable(self.execution_context.query):
            yield from super().on_validate()
        else:
            yield  # Strawberry validates it
