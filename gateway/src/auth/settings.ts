import { authMode, hopSecret } from '@io/auth/mode';
import type { Config } from '@io/config';
import type { GatewayOptions } from '../server';

/** The gateway's auth options from the configuration; throws ConfigError where it must not start. */
export function gatewayAuth(config: Config): GatewayOptions['auth'] {
  const production = config.NODE_ENV === 'production';
  return {
    mode: authMode(config),
    hopSecret: hopSecret(config),
    hopTtlSeconds: config.SUBGRAPH_HOP_TTL_SECONDS,
    introspection: config.GRAPHQL_INTROSPECTION ?? !production,
    sandbox: config.GRAPHQL_SANDBOX ?? !production,
  };
}
