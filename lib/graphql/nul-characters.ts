import type { ApolloServerPlugin } from '@apollo/server';
import { BREAK, GraphQLError, visit, type DocumentNode } from 'graphql';

const hasNul = (text: string) => text.includes('\u0000');

/** The path of the first string holding a NUL character in a variables value, if any. */
function nulIn(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return hasNul(value) ? path : undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = nulIn(item, `${path}.${index}`);
      if (found) return found;
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const found = nulIn(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

function literalHasNul(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    StringValue: (node) => {
      if (!hasNul(node.value)) return undefined;
      found = true;
      return BREAK;
    },
  });
  return found;
}

/**
 * PostgreSQL text cannot hold a NUL character (the driver fails with an internal error), so any
 * string argument or variable that carries one — a search, a name, a description, notes — is
 * refused with BAD_USER_INPUT before anything runs. Literals are checked once per document.
 */
export function refuseNulCharacters(): ApolloServerPlugin {
  const literals = new WeakMap<DocumentNode, boolean>();
  return {
    requestDidStart: async () => ({
      didResolveOperation: async ({ document, request }) => {
        let inLiterals = literals.get(document);
        if (inLiterals === undefined) {
          inLiterals = literalHasNul(document);
          literals.set(document, inLiterals);
        }
        const field = inLiterals ? 'query' : nulIn(request.variables, 'variables');
        if (field)
          throw new GraphQLError(`${field}: text must not contain NUL (\\u0000) characters`, {
            extensions: { code: 'BAD_USER_INPUT', field, http: { status: 400 } },
          });
      },
    }),
  };
}
