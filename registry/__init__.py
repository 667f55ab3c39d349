"""The service around the schema and resolvers: settings, app, Neo4j lifecycle, CLI and feeder."""
