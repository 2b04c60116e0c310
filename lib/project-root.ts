import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The folder that holds package.json. Files that are not code (SDL, migrations, the supergraph,
 * the dashboard's assets) are found from here, so a module finds them the same way whether it runs
 * from its source (tsx, ts-jest) or compiled one level deeper in dist/.
 */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const projectRoot = findProjectRoot(__dirname);

export const fromProjectRoot = (...parts: string[]): string => join(projectRoot, ...parts);
