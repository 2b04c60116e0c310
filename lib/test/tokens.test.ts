import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintToken } from '@io/auth/mint';
import { TokenError, tokenVerifier, type TokenSettings } from '@io/auth/tokens';

const secret = 'k'.repeat(40);
const base: TokenSettings = { secret, clockSkewSeconds: 30, scopeClaim: 'scope', emailClaim: 'email' };

test('an HS256 token gives the identity: subject, scopes, customer email, expiry', async () => {
  const verify = tokenVerifier(base);
  const token = await mintToken({ secret, email: 'ana@example.com', expiresIn: 600 });
  const identity = await verify(token);
  expect(identity).toEqual({
    subject: 'ana@example.com',
    scopes: ['orders:read', 'orders:write', 'inventory:read'],
    customerEmail: 'ana@example.com',
    expiresAt: expect.any(Number),
  });
  expect(Math.abs(identity.expiresAt! - (Date.now() + 600_000))).toBeLessThan(5000);
  expect((await verify(await mintToken({ secret, role: 'viewer' }))).customerEmail).toBeUndefined();
});

test('a token signed with another key, expired beyond the skew, or without exp is refused', async () => {
  const verify = tokenVerifier(base);
  await expect(verify(await mintToken({ secret: 'o'.repeat(40), role: 'admin' }))).rejects.toThrow(
    'the token signature is invalid',
  );
  await expect(verify(await mintToken({ secret, role: 'admin', expiresIn: -60 }))).rejects.toThrow('expired');
  // Within the allowed skew, a just-expired token still passes.
  await expect(verify(await mintToken({ secret, role: 'admin', expiresIn: -10 }))).resolves.toMatchObject({
    subject: 'admin',
  });
  const noExp = await new SignJWT({ scope: 'orders:read' })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(Buffer.from(secret));
  await expect(verify(noExp)).rejects.toThrow(TokenError);
  await expect(verify('not.a.jwt')).rejects.toThrow(TokenError);
});

test('issuer and audience must match when configured', async () => {
  const verify = tokenVerifier({ ...base, issuer: 'https://id.example', audience: 'io-api' });
  const good = await mintToken({ secret, role: 'viewer', issuer: 'https://id.example', audience: 'io-api' });
  await expect(verify(good)).resolves.toMatchObject({ subject: 'viewer' });
  const wrongIssuer = await mintToken({ secret, role: 'viewer', issuer: 'https://evil.example', audience: 'io-api' });
  await expect(verify(wrongIssuer)).rejects.toThrow("the token's iss claim is not accepted");
  const noAudience = await mintToken({ secret, role: 'viewer', issuer: 'https://id.example' });
  await expect(verify(noAudience)).rejects.toThrow("the token's aud claim is not accepted");
});

test('the scope claim is configurable, as a string or an array, nested or namespaced', async () => {
  const sign = (claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(Buffer.from(secret));
  const nested = tokenVerifier({ ...base, scopeClaim: 'realm.permissions' });
  expect((await nested(await sign({ realm: { permissions: ['orders:read', 'monitor:read'] } }))).scopes).toEqual([
    'orders:read',
    'monitor:read',
  ]);
  const namespaced = tokenVerifier({ ...base, scopeClaim: 'https://io.example/scp' });
  expect((await namespaced(await sign({ 'https://io.example/scp': 'inventory:read' }))).scopes).toEqual([
    'inventory:read',
  ]);
});

test('RS256 and ES256 tokens are checked against a JWKS file; an HS256 token is refused there', async () => {
  const rsa = await generateKeyPair('RS256');
  const ec = await generateKeyPair('ES256');
  const keys = [
    { ...(await exportJWK(rsa.publicKey)), kid: 'rsa', alg: 'RS256' },
    { ...(await exportJWK(ec.publicKey)), kid: 'ec', alg: 'ES256' },
  ];
  const file = join(mkdtempSync(join(tmpdir(), 'jwks-')), 'jwks.json');
  writeFileSync(file, JSON.stringify({ keys }));
  const verify = tokenVerifier({ ...base, secret: undefined, jwksFile: file });
  const signed = (alg: string, kid: string, key: KeyLike | Uint8Array) =>
    new SignJWT({ scope: 'orders:read' })
      .setProtectedHeader({ alg, kid })
      .setSubject(kid)
      .setExpirationTime('1h')
      .sign(key);
  await expect(verify(await signed('RS256', 'rsa', rsa.privateKey))).resolves.toMatchObject({
    subject: 'rsa',
  });
  await expect(verify(await signed('ES256', 'ec', ec.privateKey))).resolves.toMatchObject({
    subject: 'ec',
  });
  await expect(verify(await signed('HS256', 'rsa', Buffer.from(secret)))).rejects.toThrow(TokenError);
  const stranger = await generateKeyPair('RS256');
  await expect(verify(await signed('RS256', 'rsa', stranger.privateKey))).rejects.toThrow(
    'the token signature is invalid',
  );
});

test('RS256 tokens are checked against a JWKS URL (fetched by jose), and a key the set does not hold is refused', async () => {
  const rsa = await generateKeyPair('RS256');
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(rsa.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] });
  const server = createServer((_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(jwks);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const verify = tokenVerifier({ ...base, secret: undefined, jwksUrl: `http://127.0.0.1:${port}/jwks.json` });
    const signed = (kid: string, key: KeyLike) =>
      new SignJWT({ scope: 'monitor:read' })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setExpirationTime('1h')
        .sign(key);
    await expect(verify(await signed('k1', rsa.privateKey))).resolves.toMatchObject({ scopes: ['monitor:read'] });
    const other = await generateKeyPair('RS256');
    await expect(verify(await signed('k2', other.privateKey))).rejects.toThrow(TokenError);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
