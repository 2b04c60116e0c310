import { SessionLock } from '@io/db/session-lock';
import { createLogger } from '@io/logger';
import { createTestDatabase } from '../../../test/support/test-database';
import { createPool, createPrisma, dbSchema } from '../src/data/prisma';
import { startHealthChecker } from '../src/health/checker';

let database: { url: string; drop: () => Promise<void> };

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.drop();
});

/** One monitor replica's checker, probing a fake always-healthy service, with its own pool and leadership lock. */
function replica() {
  const pool = createPool(database.url);
  const prisma = createPrisma(pool);
  const leadership = new SessionLock(pool, `${dbSchema}.health-checker`);
  const sampled: number[] = [];
  const checker = startHealthChecker({
    prisma,
    intervalMs: 3_600_000,
    processingErrorQuietMs: 3_600_000,
    orderRejectedQuietMs: 3_600_000,
    logger: createLogger('test', 'silent'),
    probes: { fake: async () => ({ status: 'HEALTHY', error: null }) },
    alsoEachTick: async () => {
      sampled.push(Date.now());
    },
    isLeader: () => leadership.tryAcquire(),
  });
  let stopped = false;
  return {
    prisma,
    sampled,
    checker,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await checker.stop();
      await leadership.release();
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

test('with two monitor replicas only one probes and records each round; the other takes over when it stops', async () => {
  const [first, second] = [replica(), replica()];
  try {
    await first.checker.checkNow();
    await second.checker.checkNow();
    await second.checker.checkNow();

    expect(await first.prisma.healthCheck.count()).toBe(1);
    expect([first.sampled.length, second.sampled.length]).toEqual([1, 2]);

    await first.stop();
    await second.checker.checkNow();

    expect(await second.prisma.healthCheck.count()).toBe(2);
  } finally {
    await Promise.all([first.stop(), second.stop()]);
  }
});
