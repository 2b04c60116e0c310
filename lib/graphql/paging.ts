/**
 * The one paging rule of every list of the API: a page size within [0, `max`] (`fallback` when the
 * caller sent null; the SDL's default applies when it sent nothing) and an offset of at least 0.
 */
export function pageSize(limit: number | null | undefined, fallback: number, max: number): number {
  return Math.min(Math.max(limit ?? fallback, 0), max);
}

export function page(
  limit: number | null | undefined,
  offset: number | null | undefined,
  fallback: number,
  max: number,
) {
  return { limit: pageSize(limit, fallback, max), offset: Math.max(offset ?? 0, 0) };
}

/** The one rule of every "last N minutes" figure: whole minutes within [1, 60] (`fallback` for null). */
export function windowMinutes(minutes: number | null | undefined, fallback = 15): number {
  return Math.min(Math.max(minutes ?? fallback, 1), 60);
}
