import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fromProjectRoot } from '@io/project-root';

/**
 * The HS256 key of development mode, kept in a git-ignored file so that `npm run token` and the
 * running gateway agree without any set-up. Created on first use; never used when auth is configured.
 */
export const developmentKeyPath = fromProjectRoot('.auth', 'development-key');

export function developmentKey(path = developmentKeyPath): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(path), { recursive: true });
  try {
    writeFileSync(path, `${randomBytes(32).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    // Another process (the gateway, a test file) created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(path, 'utf8').trim();
}
