import type { Config } from '@io/config';
import type { ResponseCacheOptions } from './response-cache';

export const responseCacheOptions = (config: Config): Pick<ResponseCacheOptions, 'maxBytes' | 'ttlMs'> => ({
  maxBytes: config.RESPONSE_CACHE_BYTES,
  ttlMs: config.RESPONSE_CACHE_TTL_MS,
});
