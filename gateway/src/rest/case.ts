type Rename = (key: string) => string;

const toSnake: Rename = (key) => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
const toCamel: Rename = (key) => key.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());

function renameKeys(value: unknown, rename: Rename): unknown {
  if (Array.isArray(value)) return value.map((item) => renameKeys(item, rename));
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [rename(key), renameKeys(inner, rename)]));
}

/** GraphQL result (camelCase keys) → REST representation (snake_case keys); values are untouched. */
export const snakeCaseKeys = (value: unknown): any => renameKeys(value, toSnake);

/** REST request (snake_case keys) → GraphQL input (camelCase keys); values are untouched. */
export const camelCaseKeys = (value: unknown): any => renameKeys(value, toCamel);

/** A dotted field path of a GraphQL input ("items.0.productId") as the REST client spelled it. */
export const snakeCasePath = (path: string): string => path.split('.').map(toSnake).join('.');
