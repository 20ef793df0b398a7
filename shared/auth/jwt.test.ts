import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnauthorizedError } from '../errors.ts';
import { createJwtVerifier } from './jwt.ts';

const SECRET = 'x'.repeat(16) + 'y'.repeat(16) + 'z'.repeat(8);
const TENANT = '0d8a4b4e-5c0e-4b6e-9a53-2f3f3c1c8b11';
const AUDIENCE = 'freight';

function hs256(claims: JWTPayload, options: { secret?: string; audience?: string; expiresIn?: string | number; issuer?: string } = {}) {
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setAudience(options.audience ?? AUDIENCE);
  jwt = jwt.setExpirationTime(options.expiresIn ?? '5m');
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  return jwt.sign(new TextEncoder().encode(options.secret ?? SECRET));
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function rejected(promise: Promise<unknown>): Promise<UnauthorizedError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(UnauthorizedError);
  return err as UnauthorizedError;
}

describe('HS256 tokens', () => {
  const verify = createJwtVerifier({ secret: SECRET, audience: AUDIENCE, issuer: 'https://idp.example' });
  const good = { sub: 'alice', role: 'engineer', tenant_id: TENANT };

  it('accepts a valid token and maps its claims', async () => {
    const token = await hs256(good, { issuer: 'https://idp.example' });
    await expect(verify(token)).resolves.toEqual({ actorType: 'jwt', actorId: 'alice', role: 'engineer', tenantId: TENANT });
  });

  it('accepts an admin token without a tenant', async () => {
    const token = await hs256({ sub: 'root', role: 'admin' }, { issuer: 'https://idp.example' });
    await expect(verify(token)).resolves.toMatchObject({ role: 'admin', tenantId: null });
  });

  it('rejects a bad signature', async () => {
    const token = await hs256(good, { secret: 'another secret that is long enough!!', issuer: 'https://idp.example' });
    expect((await rejected(verify(token))).message).toMatch(/signature/);
  });

  it('rejects a tampered payload', async () => {
    const [h, , s] = (await hs256(good, { issuer: 'https://idp.example' })).split('.');
    const forged = `${h}.${b64({ ...good, role: 'admin', aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 300, iss: 'https://idp.example' })}.${s}`;
    await rejected(verify(forged));
  });

  it('rejects alg none', async () => {
    const payload = { ...good, aud: AUDIENCE, iss: 'https://idp.example', exp: Math.floor(Date.now() / 1000) + 300 };
    await rejected(verify(`${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`));
    await rejected(verify(`${b64({ alg: 'none' })}.${b64(payload)}.${b64('sig')}`));
  });

  it('rejects the wrong audience and the wrong issuer', async () => {
    expect((await rejected(verify(await hs256(good, { audience: 'someone-else', issuer: 'https://idp.example' })))).message).toMatch(/aud/);
    expect((await rejected(verify(await hs256(good, { issuer: 'https://evil.example' })))).message).toMatch(/iss/);
  });

  it('rejects an expired token and one without exp', async () => {
    const expired = await hs256(good, { issuer: 'https://idp.example', expiresIn: Math.floor(Date.now() / 1000) - 60 });
    expect((await rejected(verify(expired))).message).toMatch(/expired/);
    const noExp = await new SignJWT(good).setProtectedHeader({ alg: 'HS256' }).setAudience(AUDIENCE).setIssuer('https://idp.example')
      .sign(new TextEncoder().encode(SECRET));
    await rejected(verify(noExp));
  });

  it('rejects missing or invalid role and tenant claims', async () => {
    for (const claims of [{ sub: 'a', role: 'owner', tenant_id: TENANT }, { sub: 'a', role: 'viewer' }, { sub: 'a', role: 'viewer', tenant_id: 'acme' }, { role: 'viewer', tenant_id: TENANT }]) {
      await rejected(verify(await hs256(claims, { issuer: 'https://idp.example' })));
    }
  });

  it('rejects garbage', async () => {
    for (const token of ['a.b.c', 'not-a-jwt', '..', `${b64({ alg: 'HS256' })}.e30.`]) await rejected(verify(token));
  });
});

describe('JWKS tokens', () => {
  let server: Server;
  let url: string;
  let rsa: Awaited<ReturnType<typeof generateKeyPair>>;
  let ec: Awaited<ReturnType<typeof generateKeyPair>>;
  let stranger: Awaited<ReturnType<typeof generateKeyPair>>;

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256');
    ec = await generateKeyPair('ES256');
    stranger = await generateKeyPair('RS256');
    const keys = [
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
    ];
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const claims = { sub: 'bob', role: 'viewer', tenant_id: TENANT };
  const sign = (key: Parameters<SignJWT['sign']>[0], alg: string, kid: string, audience = AUDIENCE) =>
    new SignJWT(claims).setProtectedHeader({ alg, kid }).setAudience(audience).setExpirationTime('5m').sign(key);

  it('accepts RS256 and ES256 tokens signed by keys in the set', async () => {
    const verify = createJwtVerifier({ jwksUrl: url, audience: AUDIENCE });
    await expect(verify(await sign(rsa.privateKey, 'RS256', 'rsa-1'))).resolves.toMatchObject({ actorId: 'bob', role: 'viewer' });
    await expect(verify(await sign(ec.privateKey, 'ES256', 'ec-1'))).resolves.toMatchObject({ tenantId: TENANT });
  });

  it('rejects a key not in the set, and the wrong audience', async () => {
    const verify = createJwtVerifier({ jwksUrl: url, audience: AUDIENCE });
    await rejected(verify(await sign(stranger.privateKey, 'RS256', 'rsa-1')));
    await rejected(verify(await sign(stranger.privateKey, 'RS256', 'unknown-kid')));
    await rejected(verify(await sign(rsa.privateKey, 'RS256', 'rsa-1', 'other')));
  });

  it('never accepts HS256 when only a JWKS is configured (key confusion)', async () => {
    const verify = createJwtVerifier({ jwksUrl: url, audience: AUDIENCE });
    await rejected(verify(await hs256(claims)));
  });

  it('routes by algorithm when both a secret and a JWKS are configured', async () => {
    const verify = createJwtVerifier({ jwksUrl: url, secret: SECRET, audience: AUDIENCE });
    await expect(verify(await hs256(claims))).resolves.toMatchObject({ actorId: 'bob' });
    await expect(verify(await sign(rsa.privateKey, 'RS256', 'rsa-1'))).resolves.toMatchObject({ actorId: 'bob' });
  });

  it('fails closed when the key set is unreachable', async () => {
    const verify = createJwtVerifier({ jwksUrl: 'http://127.0.0.1:9/jwks.json', audience: AUDIENCE });
    await rejected(verify(await sign(rsa.privateKey, 'RS256', 'rsa-1')));
  });
});
