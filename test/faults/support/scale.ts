/**
 * FAULT_SCALE sizes every scenario: 1 runs the sizes the reliability issue names (2,000 orders over
 * 100 products, ...); CI runs a fraction so the suite fits its time. Never below 10 % of a scenario.
 */
const scale = Math.max(0.1, Number(process.env.FAULT_SCALE ?? '0.25'));

export const scaled = (full: number): number => Math.max(1, Math.round(full * scale));
