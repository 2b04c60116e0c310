import { existsSync, readFileSync } from 'node:fs';
import { subgraphUrl } from '../../lib/config';
import { runMain } from '../../lib/service/main';
import { startGateway } from './server';
import { supergraphPath } from './supergraph';

runMain('gateway', async (config, logger) => {
  if (!existsSync(supergraphPath)) throw new Error(`${supergraphPath} is missing: run \`npm run build\` first`);
  return startGateway({
    supergraphSdl: readFileSync(supergraphPath, 'utf8'),
    subgraphUrls: {
      inventory: subgraphUrl(config, 'inventory'),
      orders: subgraphUrl(config, 'orders'),
      monitor: subgraphUrl(config, 'monitor'),
    },
    logger,
    port: config.GATEWAY_PORT,
    host: config.HOST,
  });
});
