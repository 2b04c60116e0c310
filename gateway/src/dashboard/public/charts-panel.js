import { timeChart } from '/dashboard/vendor/charts/charts.js';
import { $ } from './dom.js';

/**
 * The "last 15 minutes" charts: orders per minute by outcome and created → decided latency from
 * orders' timeline, consumer lag from the monitor's samples. Colours follow the page's theme.
 */
export const CHART_MINUTES = 15;

const colour = (name) => getComputedStyle(document.documentElement).getPropertyValue(`--${name}`).trim();
const palette = ['info', 'ok', 'warn', 'bad', 'accent', 'muted'];
const seconds = (iso) => new Date(iso).getTime() / 1000;

let charts;
const chartsOf = () =>
  (charts ??= {
    orders: timeChart($('#chart-orders')),
    latency: timeChart($('#chart-latency'), { tick: duration }),
    lag: timeChart($('#chart-lag')),
  });

export function drawOrderCharts(timeline) {
  const x = timeline.map((minute) => seconds(minute.minute));
  const values = (field) => timeline.map((minute) => minute[field]);
  chartsOf().orders.update(x, [
    { label: 'Created', stroke: colour('info'), dash: [4, 4], values: values('created') },
    { label: 'Confirmed', stroke: colour('ok'), values: values('confirmed') },
    { label: 'Rejected', stroke: colour('bad'), values: values('rejected') },
    { label: 'Cancelled', stroke: colour('muted'), values: values('cancelled') },
  ]);
  // A minute with no decision has no latency: a gap in the line, not a zero.
  chartsOf().latency.update(x, [
    { label: 'p50', stroke: colour('info'), values: values('latencyP50Ms').map(round) },
    { label: 'p99', stroke: colour('warn'), values: values('latencyP99Ms').map(round) },
  ]);
}

export function drawLagChart(samples) {
  const groups = [...new Set(samples.flatMap((sample) => sample.groups.map((group) => group.groupId)))].sort();
  chartsOf().lag.update(
    samples.map((sample) => seconds(sample.at)),
    groups.map((groupId, index) => ({
      label: groupId,
      stroke: colour(palette[index % palette.length]),
      values: samples.map((sample) => sample.groups.find((group) => group.groupId === groupId)?.lag ?? null),
    })),
  );
}

const round = (value) => (value === null ? null : Math.round(value));
const duration = (ms) => (ms >= 1000 ? `${Number((ms / 1000).toFixed(1))} s` : `${ms} ms`);
