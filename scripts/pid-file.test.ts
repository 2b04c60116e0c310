import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runningSystem } from './pid-file';

const file = join(mkdtempSync(join(tmpdir(), 'pid-file-')), 'system.pid');

test('a pid file naming a live start script is a running system; one naming another live process is not', async () => {
  const start = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10_000)', 'scripts/start.ts']);
  try {
    await new Promise((settle) => start.once('spawn', settle));
    writeFileSync(file, String(start.pid));
    expect(runningSystem(file)).toBe(start.pid);
    // This test's own process is alive but is no `npm start` (a pid reused after a crash).
    writeFileSync(file, String(process.pid));
    expect(runningSystem(file)).toBeUndefined();
  } finally {
    start.kill();
  }
});

test('a pid file left by a process that has exited, or none at all, is no running system', () => {
  const exited = spawnSync(process.execPath, ['-e', '']).pid;
  writeFileSync(file, String(exited));
  expect(runningSystem(file)).toBeUndefined();
  expect(runningSystem(join(tmpdir(), 'no-such-dir', 'system.pid'))).toBeUndefined();
});
