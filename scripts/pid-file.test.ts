import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runningSystem } from './pid-file';

const file = join(mkdtempSync(join(tmpdir(), 'pid-file-')), 'system.pid');

test('a pid file naming a live process is a running system', () => {
  writeFileSync(file, String(process.pid));
  expect(runningSystem(file)).toBe(process.pid);
});

test('a pid file left by a process that has exited, or none at all, is no running system', () => {
  const exited = spawnSync(process.execPath, ['-e', '']).pid;
  writeFileSync(file, String(exited));
  expect(runningSystem(file)).toBeUndefined();
  expect(runningSystem(join(tmpdir(), 'no-such-dir', 'system.pid'))).toBeUndefined();
});
