"""The GraphQL contract of the Federation Registry: types, inputs, enums and the exported SDL."""
