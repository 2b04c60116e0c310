import { hopSigner, hopVerifier, HopError, signHop, verifyHop } from '@io/auth/hop';
import type { Identity } from '@io/auth/identity';

const secret = 's'.repeat(40);
const customer: Identity = { subject: 'ana', scopes: ['orders:read'], customerEmail: 'ana@example.com' };

test('a signed header carries the identity to the subgraph unchanged', () => {
  expect(verifyHop(secret, signHop(secret, customer, 60))).toEqual(customer);
  expect(verifyHop(secret, signHop(secret, null, 60))).toBeNull();
});

test('a missing, forged, tampered or expired header is refused', () => {
  expect(() => verifyHop(secret, undefined)).toThrow(HopError);
  expect(() => verifyHop(secret, signHop('x'.repeat(40), customer, 60))).toThrow('invalid');
  const [version, , mac] = signHop(secret, customer, 60).split('.');
  const admin = Buffer.from(JSON.stringify({ exp: 9e9, identity: { subject: 'me', scopes: ['alerts:write'] } }));
  expect(() => verifyHop(secret, `${version}.${admin.toString('base64url')}.${mac}`)).toThrow('invalid');
  expect(() => verifyHop(secret, 'garbage')).toThrow(HopError);
  const issued = Date.now() - 120_000;
  expect(() => verifyHop(secret, signHop(secret, customer, 60, issued))).toThrow('expired');
});

test('the signer reuses a header for half its lifetime; the verifier still refuses a forged one it never saw', () => {
  const sign = hopSigner(secret, 60);
  expect(sign(customer)).toBe(sign(customer));
  expect(sign(null)).toBe(sign(null));
  jest.useFakeTimers({ now: Date.now() });
  try {
    const first = sign(customer);
    jest.setSystemTime(Date.now() + 29_000);
    expect(sign(customer)).toBe(first);
    jest.setSystemTime(Date.now() + 2_000);
    const renewed = sign(customer);
    expect(renewed).not.toBe(first);
    expect(verifyHop(secret, renewed)).toEqual(customer);
  } finally {
    jest.useRealTimers();
  }
  const verify = hopVerifier(secret);
  expect(verify(sign(customer))).toEqual(customer);
  expect(verify(sign(customer))).toEqual(customer);
  expect(() => verify(signHop('x'.repeat(40), customer, 60))).toThrow(HopError);
});
