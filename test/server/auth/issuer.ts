/**
 * A small OAuth authorization server for tests: an ES256 key pair, its JWKS and RFC 8414 metadata served
 * over real HTTP on 127.0.0.1, and a signer for access tokens. Counts the requests it answers, and can be
 * told to fail them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';

export interface TestIssuer {
  /** `http://127.0.0.1:<port>`: the issuer identifier and the base of its endpoints. */
  issuer: string;
  jwksUrl: string;
  /** Paths requested so far, in order. */
  requests: string[];
  /** Status for the JWKS and metadata answers (200 by default). */
  failWith: number | undefined;
  /** Overrides the metadata's `issuer` (to test that a document naming another issuer is not used). */
  metadataIssuer: string | undefined;
  privateKey: CryptoKey;
  publicJwk: JWK;
  /** Signs claims with the issuer's key (or `key`), `kid` k1, ES256 unless `alg` says otherwise. */
  sign(
    claims: JWTPayload,
    options?: { key?: CryptoKey | Uint8Array; alg?: string; kid?: string },
  ): Promise<string>;
  close(): Promise<void>;
}

export async function startIssuer(): Promise<TestIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  let base = '';
  const state: Pick<TestIssuer, 'requests' | 'failWith' | 'metadataIssuer'> = {
    requests: [],
    failWith: undefined,
    metadataIssuer: undefined,
  };
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    state.requests.push(path);
    const send = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (state.failWith !== undefined) return send(state.failWith, { error: 'failing on purpose' });
    if (path === '/jwks.json') return send(200, { keys: [publicJwk] });
    if (path === '/.well-known/oauth-authorization-server')
      return send(200, {
        issuer: state.metadataIssuer ?? base,
        jwks_uri: `${base}/jwks.json`,
        authorization_endpoint: `${base}/authorize`,
        token_endpoint: `${base}/token`,
      });
    return send(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return Object.assign(state, {
    issuer: base,
    jwksUrl: `${base}/jwks.json`,
    privateKey,
    publicJwk,
    sign: (claims: JWTPayload, options: { key?: CryptoKey | Uint8Array; alg?: string; kid?: string } = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: options.alg ?? 'ES256', kid: options.kid ?? 'k1', typ: 'at+jwt' })
        .sign(options.key ?? privateKey),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}

/** Parses a `WWW-Authenticate` challenge; throws unless it is one well-formed Bearer challenge. */
export function parseChallenge(header: string): Record<string, string> {
  const match = /^Bearer (.*)$/.exec(header);
  if (!match) throw new Error(`not a Bearer challenge: ${header}`);
  const params: Record<string, string> = {};
  const rest = (match[1] as string).replace(
    /([a-z_]+)="([^"\\]*)"(, |$)/g,
    (_all, key: string, value: string) => {
      if (key in params) throw new Error(`parameter ${key} twice in ${header}`);
      params[key] = value;
      return '';
    },
  );
  if (rest !== '') throw new Error(`unparsed rest "${rest}" in ${header}`);
  return params;
}
