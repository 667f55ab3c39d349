// Benchmark peer: the Neo4j GraphQL Library over the registry's stored graph, served by GraphQL Yoga.
//
// Env: NEO4J_URI (bolt://127.0.0.1:7687), NEO4J_USER / NEO4J_PASSWORD (unset password: no auth, as
// the local server runs), NEO4J_DATABASE (neo4j), NEO4J_MAX_POOL_SIZE (50), HOST (127.0.0.1), PORT (4000),
// REGISTRY_ISSUERS: the trusted OpenID Connect issuers, the same JSON list the registry reads
// (url, audiences, groups_claim, group_pattern, admin_entitlements, identity_provider).
// Read-only: it never creates or alters constraints or indexes (assertIndexesAndConstraints is not called).
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

import { trustedIssuers } from "./tokens.mjs";

// Production mode unless told otherwise, set before the libraries load (some read it at import).
process.env.NODE_ENV ??= "production";
const { Neo4jGraphQL } = await import("@neo4j/graphql");
const { createYoga } = await import("graphql-yoga");
const { default: neo4j } = await import("neo4j-driver");

const uri = process.env.NEO4J_URI ?? "bolt://127.0.0.1:7687";
const database = process.env.NEO4J_DATABASE || "neo4j";
const host = process.env.HOST || "127.0.0.1";
const port = Number(process.env.PORT || 4000);
const password = process.env.NEO4J_PASSWORD;
const auth = password ? neo4j.auth.basic(process.env.NEO4J_USER || "neo4j", password) : undefined;

// The registry's pool size (REGISTRY_NEO4J_MAX_POOL_SIZE defaults to 50). neo4j-driver >= 6.3 sets
// TCP_NODELAY on its Bolt sockets (up to 6.2 it only set keep-alive, so Nagle's algorithm delayed small writes);
// `make bench` checks the option on this process's sockets from outside (bench/sockets.py).
const driver = neo4j.driver(uri, auth, { maxConnectionPoolSize: Number(process.env.NEO4J_MAX_POOL_SIZE || 50) });
await driver.verifyConnectivity({ database });

const issuers = await trustedIssuers(JSON.parse(process.env.REGISTRY_ISSUERS || "[]"));

const typeDefs = readFileSync(new URL("./typeDefs.graphql", import.meta.url), "utf8");
const neoSchema = new Neo4jGraphQL({
  typeDefs,
  driver,
  // Leave out the library's deprecated (pre-v7 syntax) filter and mutation fields: a smaller schema.
  features: {
    excludeDeprecatedFields: {
      mutationOperations: true,
      aggregationFilters: true,
      aggregationFiltersOutsideConnection: true,
      relationshipFilters: true,
      attributeFilters: true,
    },
  },
});
const schema = await neoSchema.getSchema();

const yoga = createYoga({
  schema,
  graphqlEndpoint: "/graphql",
  graphiql: false,
  landingPage: false,
  logging: false,
  maskedErrors: true,
  // A verified token becomes the library's `jwt` (trusted as already verified): its `@authorization`
  // rules read `groups`, `identityProvider` and `admin` from it. No token: `jwt` is absent and every
  // rule that needs one refuses; a bad token is an error, as in the registry.
  context: async ({ request }) => {
    const jwt = await issuers.caller(request.headers.get("authorization"));
    return jwt ? { sessionConfig: { database }, jwt } : { sessionConfig: { database } };
  },
});

const server = createServer(yoga);
server.listen(port, host, () => {
  console.log(`peer: listening on http://${host}:${port}/graphql`);
});

const stop = () => {
  server.close();
  driver.close().finally(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
