import type { Identity } from '@io/auth/identity';

/** What the gateway knows of a request while Apollo runs it: the caller, verified (undefined: anonymous). */
export interface GatewayContext {
  identity?: Identity;
}
