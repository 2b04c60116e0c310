import { spawnSync } from 'node:child_process';
import { slices } from '@io/db/database';

/**
 * `prisma generate` for every slice. Generation needs no schema engine, but the Prisma CLI insists
 * on locating one and would try to download it (impossible offline): pointing
 * PRISMA_SCHEMA_ENGINE_BINARY at any existing file satisfies that check. A real engine, where one
 * is installed, is used as is.
 */
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
};

for (const slice of slices) {
  const result = spawnSync('npx', ['prisma', 'generate', '--schema', `prisma/${slice}/schema.prisma`], {
    stdio: 'inherit',
    env,
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
