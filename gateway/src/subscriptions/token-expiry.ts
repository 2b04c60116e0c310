// setTimeout holds at most 2^31 - 1 ms (about 24.8 days); a longer-lived token is re-armed.
const maxTimer = 2 ** 31 - 1;

/**
 * Calls `expire` when a token that expires at `expiresAt` (ms since the epoch) runs out, so a
 * connection opened with it ends then; returns the function that cancels it (the connection ended first).
 */
export function whenExpired(expiresAt: number, expire: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const left = expiresAt - Date.now();
    if (left <= 0) {
      expire();
      return;
    }
    timer = setTimeout(arm, Math.min(left, maxTimer));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}
