import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromProjectRoot } from '@io/project-root';

/** Processes that start together (two gateways, npm run token) must all get the same, complete key. */
test('eight processes creating the development key at once all read the same non-empty key', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'dev-key-'));
  const path = join(folder, 'development-key');
  const module = fromProjectRoot('lib', 'auth', 'development-key.ts');
  const keys = await Promise.all(
    Array.from(
      { length: 8 },
      () =>
        new Promise<string>((resolve, reject) => {
          const child = spawn(
            process.execPath,
            [
              '--import',
              'tsx',
              '-e',
              `const { developmentKey } = require(${JSON.stringify(module)}); process.stdout.write(developmentKey(${JSON.stringify(path)}));`,
            ],
            { cwd: fromProjectRoot(), stdio: ['ignore', 'pipe', 'inherit'] },
          );
          let out = '';
          child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
          child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
        }),
    ),
  );
  expect(keys[0]).toMatch(/^[\w-]{43}$/);
  expect(new Set(keys)).toEqual(new Set([keys[0]]));
  expect(readdirSync(folder)).toEqual(['development-key']);
}, 60_000);
