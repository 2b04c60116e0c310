type Rename = (key: string) => string;

const snakeCase: Rename = (key) => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
const toCamel: Rename = (key) => key.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());

// Answers' keys are the REST documents' field names, a fixed set: each is converted once. (Requests'
// keys come from clients and are not remembered.) Renaming was a quarter of the gateway's CPU for a
// cached REST list.
const snakeNames = new Map<string, string>();
const toSnake: Rename = (key) => {
  let name = snakeNames.get(key);
  if (name === undefined) {
    name = snakeCase(key);
    snakeNames.set(key, name);
  }
  return name;
};

function renameKeys(value: unknown, rename: Rename): unknown {
  if (Array.isArray(value)) return value.map((item) => renameKeys(item, rename));
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const renamed: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) renamed[rename(key)] = renameKeys(inner, rename);
  return renamed;
}

// The renames above, as types: a typed GraphQL result stays typed as the REST representation it becomes.
type SnakeKey<K extends string> = K extends `${infer Head}${infer Tail}`
  ? `${Head extends Uppercase<Head> ? (Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`) : Head}${SnakeKey<Tail>}`
  : K;
type CamelKey<K extends string> = K extends `${infer Head}_${infer Next}${infer Tail}`
  ? Next extends Lowercase<Next>
    ? `${Head}${Uppercase<Next>}${CamelKey<Tail>}`
    : `${Head}_${CamelKey<`${Next}${Tail}`>}`
  : K;
type RenamedKeys<T, Rename extends 'snake' | 'camel'> = T extends Date
  ? T
  : T extends readonly (infer Item)[]
    ? RenamedKeys<Item, Rename>[]
    : T extends object
      ? {
          [K in keyof T as K extends string ? (Rename extends 'snake' ? SnakeKey<K> : CamelKey<K>) : K]: RenamedKeys<
            T[K],
            Rename
          >;
        }
      : T;
// A value of no known shape (an untyped GraphQL result, a record of anything) stays untyped.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped in, untyped out: callers read arbitrary answers
type Renamed<T, Rename extends 'snake' | 'camel'> = string extends keyof NonNullable<T> ? any : RenamedKeys<T, Rename>;
export type SnakeCased<T> = Renamed<T, 'snake'>;
export type CamelCased<T> = Renamed<T, 'camel'>;

/** GraphQL result (camelCase keys) → REST representation (snake_case keys); values are untouched. */
export const snakeCaseKeys = <T>(value: T) => renameKeys(value, toSnake) as SnakeCased<T>;

/** REST request (snake_case keys) → GraphQL input (camelCase keys); values are untouched. */
export const camelCaseKeys = <T>(value: T) => renameKeys(value, toCamel) as CamelCased<T>;

/** A dotted field path of a GraphQL input ("items.0.productId") as the REST client spelled it. */
export const snakeCasePath = (path: string): string => path.split('.').map(snakeCase).join('.');
