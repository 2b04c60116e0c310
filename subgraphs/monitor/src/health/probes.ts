import type { Admin } from 'kafkajs';
import type { Pool } from 'pg';
import { httpGet, HttpTimeoutError, type HttpAnswer } from '@io/service/http-get';
import type { HealthStatus } from '../__generated__/prisma/client';

interface ProbeOutcome {
  status: HealthStatus;
  error: string | null;
  /** What the service's health answer said of its restarts by the supervisor, when it said. */
  restarts?: number | null;
}

/** Asks one service whether it is well; never throws. */
export type Probe = (timeoutMs: number) => Promise<ProbeOutcome>;

const healthy: ProbeOutcome = { status: 'HEALTHY', error: null };

class ProbeTimeout extends Error {}

function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new ProbeTimeout(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const describe = (error: unknown): string => {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const message = error instanceof Error ? error.message : String(error);
  return cause?.code ?? cause?.message ?? message;
};

/** The `restarts` count of a health answer (lib/service/subgraph-server.ts, the gateway's /health), if any. */
function restartsIn(body: string): number | null {
  try {
    const { restarts } = JSON.parse(body) as { restarts?: unknown };
    return Number.isInteger(restarts) ? (restarts as number) : null;
  } catch {
    return null;
  }
}

/** GET a /health endpoint: 200 is HEALTHY, another answer UNHEALTHY, no answer in time DOWN. */
export function httpProbe(url: string): Probe {
  return async (timeoutMs) => {
    let answer: HttpAnswer;
    try {
      answer = await httpGet(url, timeoutMs);
    } catch (error) {
      // A socket's failure names itself by its code (ECONNREFUSED, ECONNRESET).
      const code = (error as NodeJS.ErrnoException).code;
      return { status: 'DOWN', error: error instanceof HttpTimeoutError ? error.message : (code ?? describe(error)) };
    }
    const restarts = restartsIn(answer.body);
    return answer.status === 200
      ? { ...healthy, restarts }
      : { status: 'UNHEALTHY', error: `HTTP ${answer.status}: ${answer.body.slice(0, 500)}`, restarts };
  };
}

/** The broker answered a metadata request: HEALTHY; a broker error is UNHEALTHY, no broker DOWN. */
export function kafkaProbe(admin: Admin): Probe {
  return async (timeoutMs) => {
    try {
      const { brokers } = await withTimeout(admin.describeCluster(), timeoutMs);
      return brokers.length > 0 ? healthy : { status: 'UNHEALTHY', error: 'no brokers in the cluster' };
    } catch (error) {
      const answered = (error as { type?: string }).type !== undefined;
      return { status: answered ? 'UNHEALTHY' : 'DOWN', error: describe(error) };
    }
  };
}

/** SELECT 1: an SQL error is UNHEALTHY (the server answered), no connection DOWN. */
export function postgresProbe(pool: Pool): Probe {
  return async (timeoutMs) => {
    try {
      await withTimeout(pool.query('SELECT 1'), timeoutMs);
      return healthy;
    } catch (error) {
      const answered =
        typeof (error as { code?: unknown }).code === 'string' &&
        /^[0-9A-Z]{5}$/.test((error as { code: string }).code);
      return { status: answered ? 'UNHEALTHY' : 'DOWN', error: describe(error) };
    }
  };
}
