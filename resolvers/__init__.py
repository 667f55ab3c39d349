"""How each field of the federation graph is fetched or written: Cypher, loaders, the may-use rule."""
