"""The parse and validation caches, bounded in bytes: a document longer than `CACHED_QUERY_MAX_CHARS`
is parsed and validated afresh each time, never kept (six distinct 50 MB queries once kept 614 MB).

What else is worked out from a parsed document alone (its validation, its cost, the properties it
names) is kept per document by identity (`DocumentMemo`): the parse cache hands back the same
document object for the same text, so nothing has to hash or walk the document again."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from typing import Any, TypeVar

from graphql import DocumentNode
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.schema.schema import validate_document

T = TypeVar("T")

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


class DocumentMemo:
    """Values worked out from a parsed document, kept by the document's identity (least recently used
    dropped; each entry holds its document, so no other document can take its id while it is kept).
    A document too long for the parse cache is worked out afresh every time."""

    def __init__(self, size: int = CACHED_DOCUMENTS) -> None:
        self.size = size
        self._kept: OrderedDict[tuple[int, Hashable], tuple[DocumentNode, Any]] = OrderedDict()

    def get(self, document: DocumentNode, key: Hashable, work_out: Callable[[], T]) -> T:
        location = document.loc
        if location is None or len(location.source.body) > CACHED_QUERY_MAX_CHARS:
            return work_out()
        entry = (id(document), key)
        kept = self._kept.get(entry)
        if kept is not None and kept[0] is document:
            self._kept.move_to_end(entry)
            return kept[1]  # type: ignore[no-any-return]
        value = work_out()  # an exception is not kept: the next request works it out again
        self._kept[entry] = (document, value)
        if len(self._kept) > self.size:
            self._kept.popitem(last=False)
        return value


_VALIDATIONS = DocumentMemo()


class BoundedValidationCache(ValidationCache):
    """Validation once per document (by identity, not by hashing the whole document on every request
    as Strawberry's cache does), afresh for a document too long for the parse cache."""

    def __init__(self) -> None:
        super().__init__(maxsize=CACHED_DOCUMENTS)

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        if document is None or not _cacheable(context.query):
            yield  # Strawberry validates it
            return
        schema = context.schema._schema
        rules = tuple(context.validation_rules)
        context.pre_execution_errors = _VALIDATIONS.get(
            document, (id(schema), rules), lambda: validate_document(schema, document, rules)
        )
        yield
