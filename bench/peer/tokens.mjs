// Access tokens for the peer: verified against each trusted issuer's JWKS (found through its OpenID
// discovery document), with the registry's rules (registry/auth.py): `iss` exactly one of the trusted
// issuers, `aud` one of its audiences, `exp`/`iat`/`sub` required, RS/ES/PS algorithms only, the
// group names taken from the issuer's groups claim through its `group_pattern`. A verified token is
// kept until it expires (at most 60 s), as the registry keeps it.
import { GraphQLError } from "graphql";
import { decodeJwt, importJWK, jwtVerify } from "jose";

const ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512"];
const VERIFIED_TTL_MS = 60_000;
const VERIFIED_MAX = 4096;
const LEEWAY_S = 30;
const REFETCH_MIN_INTERVAL_MS = 30_000;

function refused(reason) {
  return new GraphQLError(`authentication failed: ${reason}`, {
    extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
  });
}

// The registry's patterns are Python regular expressions: `(?P<group>...)` is `(?<group>...)` here.
function groupPattern(pattern) {
  return new RegExp(`^(?:${pattern.replaceAll("(?P<", "(?<")})$`);
}

// The issuer's signing keys by `kid`, fetched again (at most every 30 s) when a token names an unknown
// one. Not jose's createRemoteJWKSet: that refuses a key whose `key_ops` lacks "verify", and the
// development issuer publishes its public keys with the private key's `key_ops: ["sign"]`
// (registry/dev_issuer.py); PyJWT, on our side, ignores `key_ops`, so this ignores it too.
function issuerKeys(jwksUri) {
  let published = new Map();
  const imported = new Map();
  let fetchedAt = -Infinity;
  async function refetch() {
    fetchedAt = Date.now();
    const response = await fetch(jwksUri);
    if (!response.ok) throw refused(`issuer keys unavailable: HTTP ${response.status}`);
    const { keys } = await response.json();
    published = new Map(keys.filter((k) => k.kid && (k.use ?? "sig") === "sig").map((k) => [k.kid, k]));
    imported.clear();
  }
  return async (header) => {
    if (!published.has(header.kid) && Date.now() - fetchedAt >= REFETCH_MIN_INTERVAL_MS) await refetch();
    const jwk = published.get(header.kid);
    if (!jwk) throw refused("unknown key id");
    if (!imported.has(header.kid)) {
      const { key_ops: _ignored, ...publicKey } = jwk;
      imported.set(header.kid, await importJWK(publicKey, jwk.alg ?? header.alg));
    }
    return imported.get(header.kid);
  };
}

async function discover(settings) {
  const url = `${settings.url.replace(/\/+$/, "")}/.well-known/openid-configuration`;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const document = await response.json();
  if (document.issuer !== settings.url) throw new Error(`${url} names another issuer`);
  return {
    settings,
    keys: issuerKeys(document.jwks_uri),
    pattern: groupPattern(settings.group_pattern ?? "(?P<group>.+)"),
  };
}

/** The trusted issuers (REGISTRY_ISSUERS' list); `caller(authorizationHeader)` is the `jwt` for the library. */
export async function trustedIssuers(list) {
  const byUrl = new Map();
  for (const settings of list) byUrl.set(settings.url, await discover(settings));
  const verified = new Map(); // token -> { until, jwt }, oldest first

  async function verify(token) {
    let unverified;
    try {
      unverified = decodeJwt(token);
    } catch {
      throw refused("malformed token");
    }
    const issuer = byUrl.get(unverified.iss);
    if (!issuer) throw refused("issuer not trusted");
    let payload;
    try {
      ({ payload } = await jwtVerify(token, issuer.keys, {
        issuer: issuer.settings.url,
        audience: issuer.settings.audiences,
        algorithms: ALGORITHMS,
        clockTolerance: LEEWAY_S,
        requiredClaims: ["exp", "iat", "iss", "aud", "sub"],
      }));
    } catch (error) {
      if (error instanceof GraphQLError) throw error;
      throw refused(error.code ?? "invalid token");
    }
    const raw = payload[issuer.settings.groups_claim ?? "groups"];
    const values = typeof raw === "string" ? raw.split(/\s+/).filter(Boolean) : raw;
    if (!Array.isArray(values) || !values.every((v) => typeof v === "string")) {
      throw refused(`claim ${issuer.settings.groups_claim} is not a list of strings`);
    }
    const groups = [...new Set(values.map((v) => issuer.pattern.exec(v)?.groups?.group).filter((g) => g != null))];
    const admins = new Set(issuer.settings.admin_entitlements ?? []);
    return {
      jwt: {
        iss: payload.iss,
        sub: payload.sub,
        groups,
        identityProvider: issuer.settings.identity_provider ?? issuer.settings.url,
        admin: values.some((v) => admins.has(v)),
      },
      until: Math.min(payload.exp * 1000, Date.now() + VERIFIED_TTL_MS),
    };
  }

  return {
    async caller(header) {
      if (header == null) return undefined;
      const [scheme, token] = header.trim().split(/\s+/, 2);
      if (scheme.toLowerCase() !== "bearer" || !token) throw refused("Authorization header is not 'Bearer <token>'");
      const cached = verified.get(token);
      if (cached && Date.now() < cached.until) return cached.jwt;
      verified.delete(token);
      const fresh = await verify(token);
      verified.set(token, fresh);
      if (verified.size > VERIFIED_MAX) verified.delete(verified.keys().next().value);
      return fresh.jwt;
    },
  };
}
