"""Every type, field, argument and enum value of the committed SDL says what it is (issue 14, item 4).

The check reads schema/schema.graphql with graphql-core, so it sees what clients see; a new element
without a description fails it, wherever it was added.
"""

from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
)

from resolvers.federation_file import FlavorIn, ProviderIn, QuotaIn
from tests.test_schema_sdl import SDL


def undescribed(schema: GraphQLSchema) -> list[str]:
    """Coordinates (`Type`, `Type.field`, `Type.field(argument:)`, `Enum.VALUE`) with no description."""
    missing: list[str] = []
    for name, named in sorted(schema.type_map.items()):
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        if _lacks(named.description):
            missing.append(name)
        missing.extend(_undescribed_members(named))
    return missing


def _lacks(description: str | None) -> bool:
    return not (description and description.strip())


def _undescribed_members(named: GraphQLNamedType) -> list[str]:
    missing: list[str] = []
    if isinstance(named, (GraphQLObjectType, GraphQLInterfaceType)):
        for field_name, field in named.fields.items():
            if _lacks(field.description):
                missing.append(f"{named.name}.{field_name}")
            missing.extend(
                f"{named.name}.{field_name}({arg_name}:)"
                for arg_name, arg in field.args.items()
                if _lacks(arg.description)
            )
    elif isinstance(named, GraphQLInputObjectType):
        missing.extend(f"{named.name}.{n}" for n, f in named.fields.items() if _lacks(f.description))
    elif isinstance(named, GraphQLEnumType):
        missing.extend(f"{named.name}.{n}" for n, v in named.values.items() if _lacks(v.description))
    return missing


def test_every_element_of_the_sdl_is_described() -> None:
    missing = undescribed(build_schema(SDL.read_text()))
    assert not missing, f"{len(missing)} SDL elements have no description: {', '.join(missing[:40])}…"


def test_the_check_sees_each_kind_of_element() -> None:
    """The check itself finds an undescribed type, field, argument, input field and enum value."""
    schema = build_schema(
        '''
        """Described."""
        type Query {
          """Described."""
          a(x: Int): Int
          b: E
          c(y: I): Int
        }
        enum E { ONE }
        """Described."""
        input I { z: Int }
        '''
    )
    assert undescribed(schema) == ["E", "E.ONE", "I.z", "Query.a(x:)", "Query.b", "Query.c", "Query.c(y:)"]


def test_a_property_is_described_once_for_its_output_and_its_inputs() -> None:
    """The model's field is the one source: the output type, the create input and the patch say the same."""
    schema = build_schema(SDL.read_text())
    for type_name, model, field, python_name in [
        ("Flavor", FlavorIn, "ram", "ram"),
        ("ObjectStoreQuota", QuotaIn, "bytes", "bytes"),
        ("Provider", ProviderIn, "type", "type"),
    ]:
        said = model.model_fields[python_name].description
        output = schema.get_type(type_name)
        create = schema.get_type(f"{type_name}Input")
        patch = schema.get_type(f"{type_name}Patch")
        assert isinstance(output, GraphQLObjectType)
        assert isinstance(create, GraphQLInputObjectType) and isinstance(patch, GraphQLInputObjectType)
        assert said and output.fields[field].description == create.fields[field].description == said
        assert patch.fields[field].description == said
