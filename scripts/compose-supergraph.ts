import { writeFileSync } from 'node:fs';
import { composeSupergraph, supergraphPath } from '../gateway/src/supergraph';

writeFileSync(supergraphPath, composeSupergraph());
console.log(`supergraph: wrote ${supergraphPath}`);
