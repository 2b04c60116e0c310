/** Stops the broker only if the suite started it. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__testKafka?.stop();
}
