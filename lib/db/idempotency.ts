import { createHash } from 'node:crypto';
import { badInput, conflict } from '@io/graphql/errors';

/**
 * Idempotent mutations: a caller's key names one request. The first request with a key claims it
 * in the transaction that does the work and records what it produced; a retry with the same key
 * and the same request gets that result back and changes nothing; the same key with another
 * request is a CONFLICT. The claim is a row of the slice's `idempotency_keys` table (primary key:
 * caller and key), so concurrent requests with one key wait for the first to commit, then replay.
 * The events the first request wrote carry ids derived from the key (`eventId`), so a consumer's
 * deduplication by event id covers the same request, too.
 */
export interface IdempotentRequest {
  /** Who asks (the identity's subject): keys of different callers never meet. */
  caller: string;
  key: string;
  /** The operation and its arguments, hashed: the same key may only ever mean this request. */
  fingerprint: string;
}

/** What a slice's transaction client offers (every slice with idempotent mutations has the table). */
interface RawSql {
  $queryRaw<T = unknown>(query: TemplateStringsArray, ...values: unknown[]): PromiseLike<T>;
  $executeRaw(query: TemplateStringsArray, ...values: unknown[]): PromiseLike<number>;
}

const maxKeyLength = 200;

/** Object keys sorted at every level, so `{a, b}` and `{b, a}` are one request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, field]) => `${JSON.stringify(name)}:${canonicalJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The request a key names, or null without a key; a key that is empty, too long or not printable is BAD_USER_INPUT. */
export function idempotentRequest(
  caller: string,
  key: string | null | undefined,
  operation: string,
  args: unknown,
): IdempotentRequest | null {
  if (key === null || key === undefined) return null;
  if (key.length === 0 || key.length > maxKeyLength || !/^[\x21-\x7e]+$/.test(key)) {
    throw badInput(
      'idempotencyKey',
      `idempotencyKey: 1 to ${maxKeyLength} printable ASCII characters without spaces (a UUID, say)`,
    );
  }
  const fingerprint = createHash('sha256')
    .update(`${operation}\n${canonicalJson(args)}`)
    .digest('hex');
  return { caller, key, fingerprint };
}

/**
 * Claims the key inside the caller's transaction. Returns null when the key is new (do the work,
 * then `recordResult`), or the id the first request produced (return it; do nothing). A key held
 * by a transaction in flight makes this wait for its commit (or rollback, which frees it).
 */
export async function claimKey(tx: RawSql, request: IdempotentRequest): Promise<number | null> {
  const claimed = await tx.$queryRaw<unknown[]>`
    INSERT INTO idempotency_keys (caller, key, fingerprint) VALUES (${request.caller}, ${request.key}, ${request.fingerprint})
    ON CONFLICT (caller, key) DO NOTHING RETURNING 1`;
  if (claimed.length > 0) return null;
  const [earlier] = await tx.$queryRaw<{ fingerprint: string; resultId: number | null }[]>`
    SELECT fingerprint, result_id AS "resultId" FROM idempotency_keys WHERE caller = ${request.caller} AND key = ${request.key}`;
  if (earlier.fingerprint !== request.fingerprint) {
    throw conflict(`idempotency key ${request.key} was already used for another request`, {
      reason: 'IDEMPOTENCY_KEY_REUSED',
    });
  }
  return earlier.resultId;
}

/** Records what the request produced, in the transaction that claimed its key. */
export async function recordResult(tx: RawSql, request: IdempotentRequest, resultId: number): Promise<void> {
  await tx.$executeRaw`
    UPDATE idempotency_keys SET result_id = ${resultId} WHERE caller = ${request.caller} AND key = ${request.key}`;
}

/** The id of the request's event of `type`: the same for every retry (an RFC 9562 version 8 UUID from a hash). */
export function eventId(request: IdempotentRequest, type: string): string {
  const bytes = createHash('sha256').update(`${request.caller}\n${request.key}\n${type}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
