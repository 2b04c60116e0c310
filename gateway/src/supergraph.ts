import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { fromProjectRoot } from '@io/project-root';
import { schemaFile, subgraphNames, type SubgraphName } from '@io/registry';

export { type SubgraphName };

export const supergraphPath = fromProjectRoot('gateway', 'supergraph.graphql');

export function subgraphTypeDefs(name: SubgraphName): string {
  return readFileSync(fromProjectRoot(schemaFile(name)), 'utf8');
}

class CompositionError extends Error {}

/**
 * Composes the subgraphs' SDL into a supergraph. The URLs written into it are placeholders:
 * the gateway routes by subgraph name to the URLs of its own configuration.
 */
export function composeSupergraph(): string {
  const result = composeServices(
    subgraphNames.map((name) => ({
      name,
      url: `http://${name}.invalid/graphql`,
      typeDefs: parse(subgraphTypeDefs(name)),
    })),
  );
  if (result.errors) {
    throw new CompositionError(
      `supergraph composition failed:\n${result.errors.map((error) => `- ${error.message}`).join('\n')}`,
    );
  }
  return result.supergraphSdl;
}
