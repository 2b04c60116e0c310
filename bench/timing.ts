export const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((wake) => setTimeout(wake, ms));

/** Polls `condition` until it holds or `timeoutMs` passes; tells which (never throws on timeout). */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  pollMs = 250,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await sleep(pollMs);
  }
  return condition();
}
