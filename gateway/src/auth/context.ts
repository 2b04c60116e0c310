import type { Identity } from '@io/auth/identity';
import type { ResponseCacheContext } from '../response-cache';

/** What the gateway knows of a request while Apollo runs it: the caller, verified (undefined: anonymous). */
export interface GatewayContext extends ResponseCacheContext {
  identity?: Identity;
}
