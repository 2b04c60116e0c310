import { loadConfig } from '@io/config';
import { migrateAll } from '@io/db/migrate-all';

/** `npm run migrate`: create the database if missing and apply every slice's pending migrations. */
migrateAll(loadConfig().DATABASE_URL, console.log).then(
  () => console.log('migrations up to date'),
  (error) => {
    console.error(`migrate: ${(error as Error).message}`);
    process.exit(1);
  },
);
