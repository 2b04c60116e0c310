import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
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
  // Written whole under a private name, then linked into place: a process starting at the same
  // moment (two gateways, a test file) either finds no key or the complete key, never an empty file.
  const draft = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, `${randomBytes(32).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
  try {
    linkSync(draft, path);
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(draft);
  }
  return readFileSync(path, 'utf8').trim();
}
