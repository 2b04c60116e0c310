import type * as Failpoints from '@io/fault/failpoints';
import type { Logger } from '@io/logger';

/** Loads the module afresh with FAILPOINTS set as given (it is read once, at load). */
function load(spec: string | undefined): typeof Failpoints {
  if (spec === undefined) delete process.env.FAILPOINTS;
  else process.env.FAILPOINTS = spec;
  let loaded!: typeof Failpoints;
  jest.isolateModules(() => {
    loaded = jest.requireActual('@io/fault/failpoints');
  });
  return loaded;
}

const recordingLogger = () => {
  const warnings: unknown[] = [];
  return { logger: { warn: (...args: unknown[]) => warnings.push(args) } as unknown as Logger, warnings };
};

afterEach(() => {
  delete process.env.FAILPOINTS;
  jest.useRealTimers();
});

test('unset, a failpoint neither logs nor waits', async () => {
  const { failpoint } = load(undefined);
  const { logger, warnings } = recordingLogger();
  await failpoint('consumer.applied', logger);
  expect(warnings).toEqual([]);
});

test('a named failpoint pauses the first time only, after a line that names it', async () => {
  jest.useFakeTimers();
  const { failpoint } = load('consumer.applied=3000, outbox.sent=10');
  const { logger, warnings } = recordingLogger();
  let done = false;
  const first = failpoint('consumer.applied', logger).then(() => (done = true));
  await Promise.resolve();
  expect(warnings).toEqual([[{ failpoint: 'consumer.applied', pauseMs: 3000 }, 'failpoint reached']]);
  await jest.advanceTimersByTimeAsync(2999);
  expect(done).toBe(false);
  await jest.advanceTimersByTimeAsync(1);
  await first;
  expect(done).toBe(true);
  // Once per process: the second pass goes straight through.
  await failpoint('consumer.applied', logger);
  expect(warnings).toHaveLength(1);
});

test('a failpoint that is not named does nothing', async () => {
  const { failpoint } = load('outbox.sent=1000');
  const { logger, warnings } = recordingLogger();
  await failpoint('consumer.applied', logger);
  expect(warnings).toEqual([]);
});

test('a failpoint set to kill SIGKILLs its own process at the pass it names, after a line that names it', async () => {
  const kill = jest.spyOn(process, 'kill').mockImplementation(() => true);
  try {
    const { failpoint } = load('consumer.applied=kill@3, outbox.sent=kill');
    const { logger, warnings } = recordingLogger();
    await failpoint('consumer.applied', logger);
    await failpoint('consumer.applied', logger);
    expect(kill).not.toHaveBeenCalled();
    await failpoint('consumer.applied', logger);
    expect(warnings).toEqual([[{ failpoint: 'consumer.applied', pass: 3 }, 'failpoint reached; killing the process']]);
    expect(kill).toHaveBeenCalledWith(process.pid, 'SIGKILL');
    // `kill` alone: the first pass.
    await failpoint('outbox.sent', logger);
    expect(kill).toHaveBeenCalledTimes(2);
  } finally {
    kill.mockRestore();
  }
});

test('a spec it cannot read stops the process at start, naming the entry', () => {
  expect(() => load('consumer.applied=soon')).toThrow('FAILPOINTS: cannot read "consumer.applied=soon"');
  expect(() => load('=100')).toThrow('FAILPOINTS: cannot read "=100"');
  expect(() => load('=kill')).toThrow('FAILPOINTS: cannot read "=kill"');
  expect(() => load('consumer.applied=kill@0')).toThrow('FAILPOINTS: cannot read "consumer.applied=kill@0"');
  expect(() => load('consumer.applied')).toThrow('FAILPOINTS: cannot read "consumer.applied"');
});
