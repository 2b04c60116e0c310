import { createLogger } from '@io/logger';
import { createTestDatabase } from '../../../test/support/test-database';
import { createPool, createPrisma } from '../src/data/prisma';
import { housekeepingEveryMs, startHealthChecker } from '../src/health/checker';

let database: { url: string; drop: () => Promise<void> };
let pool: ReturnType<typeof createPool>;
let prisma: ReturnType<typeof createPrisma>;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = createPool(database.url);
  prisma = createPrisma(pool);
});

afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
  await database.drop();
});

test('housekeeping runs at a tenth of the shortest quiet window, at most once a minute', () => {
  expect(housekeepingEveryMs([900_000, 900_000])).toBe(60_000);
  expect(housekeepingEveryMs([30_000, 900_000])).toBe(3_000);
  expect(housekeepingEveryMs([900_000, 5_000])).toBe(500);
});

test('a quiet alert is resolved by the first round that is due for housekeeping, not by every round', async () => {
  const quietMs = 30_000;
  const checker = startHealthChecker({
    prisma,
    intervalMs: 3_600_000,
    processingErrorQuietMs: quietMs,
    orderRejectedQuietMs: quietMs,
    logger: createLogger('test', 'silent'),
    probes: { fake: async () => ({ status: 'HEALTHY', error: null }) },
  });
  const quietAlert = (conditionKey: string) =>
    prisma.alert.create({
      data: {
        alertType: 'PROCESSING_ERROR',
        severity: 'CRITICAL',
        source: 'inventory',
        message: 'dead letters',
        conditionKey,
        lastSeenAt: new Date(Date.now() - 2 * quietMs),
      },
    });
  const stateOf = async (id: number) => (await prisma.alert.findUniqueOrThrow({ where: { id } })).state;
  try {
    const first = await quietAlert('first');
    await checker.checkNow();
    expect(await stateOf(first.id)).toBe('RESOLVED');

    // The next round comes before a tenth of the window has passed: the probes only.
    const second = await quietAlert('second');
    await checker.checkNow();
    expect(await stateOf(second.id)).toBe('OPEN');

    await new Promise((wake) => setTimeout(wake, housekeepingEveryMs([quietMs])));
    await checker.checkNow();
    expect(await stateOf(second.id)).toBe('RESOLVED');
    expect(await prisma.healthCheck.count()).toBe(3);
  } finally {
    await checker.stop();
  }
});
