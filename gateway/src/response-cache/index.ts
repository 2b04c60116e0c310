export { ResponseCache, type ResponseCacheOptions } from './response-cache';
export { responseCaching, type ResponseCacheContext } from './plugin';
export { responseCacheOptions } from './options';
export { cacheableSubgraphs, changedByEvent } from './invalidation';
