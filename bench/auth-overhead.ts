/**
 * What auth adds to the gateway's hot path, per request, measured in process:
 *   npx tsx bench/auth-overhead.ts
 * The authorization check of a repeated operation (memoised per document and identity shape), the
 * same check on a document never seen (the TypeInfo walk), the hop header (signed once per identity
 * per ttl/2) and its verification in the subgraph (remembered), and a repeated bearer token.
 */
import { ApolloGateway } from '@apollo/gateway';
import { parse } from 'graphql';
import { hopSigner, hopVerifier, signHop, verifyHop } from '@io/auth/hop';
import { roleScopes, type Identity } from '@io/auth/identity';
import { mintToken } from '@io/auth/mint';
import { tokenVerifier } from '@io/auth/tokens';
import { accessRules, supergraphForPlanner } from '../gateway/src/auth/access-rules';
import { Authorizer } from '../gateway/src/auth/authorize';
import { composeSupergraph } from '../gateway/src/supergraph';

async function perCall(label: string, iterations: number, run: (index: number) => unknown): Promise<void> {
  for (let index = 0; index < Math.min(iterations, 1000); index += 1) await run(index);
  const started = process.hrtime.bigint();
  for (let index = 0; index < iterations; index += 1) await run(index);
  const nanos = Number(process.hrtime.bigint() - started) / iterations;
  console.log(`| ${label} | ${iterations} | ${(nanos / 1000).toFixed(2)} µs |`);
}

async function main(): Promise<void> {
  const supergraph = composeSupergraph();
  const gateway = new ApolloGateway({ supergraphSdl: supergraphForPlanner(supergraph) });
  const { schema } = await gateway.load();
  const authorizer = new Authorizer(schema, accessRules(supergraph));
  const query = `query Orders { orders(limit: 20) { ...O } } fragment O on Order { id status items { quantity product { name stockQuantity quantitySold } } }`;
  const document = parse(query);
  const viewer: Identity = { subject: 'v', scopes: roleScopes.viewer, expiresAt: Date.now() + 3_600_000 };
  const secret = 's'.repeat(43);
  const sign = hopSigner(secret, 60);
  const verify = hopVerifier(secret);
  const header = sign(viewer);
  const token = await mintToken({ secret, role: 'viewer' });
  const verifyToken = tokenVerifier({ secret, clockSkewSeconds: 30, scopeClaim: 'scope', emailClaim: 'email' });
  const fresh = Array.from({ length: 2000 }, (_, index) => parse(query.replace('limit: 20', `limit: ${index}`)));
  console.log('| step | calls | per call |\n|---|---|---|');
  await perCall('authorize, repeated operation (memoised)', 1_000_000, () =>
    authorizer.check(document, 'Orders', viewer),
  );
  await perCall('authorize, new document (TypeInfo walk)', 2000, (index) =>
    authorizer.check(fresh[index], 'Orders', viewer),
  );
  await perCall('hop header, cached signature', 1_000_000, () => sign(viewer));
  await perCall('hop header, signing (uncached)', 100_000, () => signHop(secret, viewer, 60));
  await perCall('hop check in the subgraph, remembered header', 1_000_000, () => verify(header));
  await perCall('hop check in the subgraph, uncached', 100_000, () => verifyHop(secret, header));
  await perCall('bearer token, repeated (remembered)', 100_000, () => verifyToken(token));
  await gateway.stop();
}

void main();
