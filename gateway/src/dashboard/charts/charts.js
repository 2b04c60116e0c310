// The dashboard's charts: uPlot (small, fast, no dependencies), bundled at build time by
// scripts/bundle.ts into dist/bundles/charts, so the page loads nothing from elsewhere.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const HEIGHT = 160;

/**
 * A time-series chart in `container`: x is seconds since the epoch, one line per series
 * (`{ label, stroke, dash?, values }`); `tick` formats the y axis' values. `update(x, series)`
 * redraws it; a chart whose series change is rebuilt.
 */
export function timeChart(container, { tick = String } = {}) {
  let plot;
  let shape = '';

  const build = (series, data) => {
    plot?.destroy();
    plot = new uPlot(
      {
        width: Math.max(container.clientWidth, 200),
        height: HEIGHT,
        legend: { live: false },
        cursor: { drag: { x: false, y: false } },
        scales: { y: { range: (_plot, min, max) => [0, Math.max(max, 1)] } },
        axes: [{}, { size: 64, values: (_plot, ticks) => ticks.map(tick) }],
        series: [
          {},
          ...series.map(({ label, stroke, dash }) => ({ label, stroke, dash, width: 2, points: { size: 4 } })),
        ],
      },
      data,
      container,
    );
  };

  new ResizeObserver(() => plot?.setSize({ width: Math.max(container.clientWidth, 200), height: HEIGHT })).observe(
    container,
  );

  return {
    update(x, series) {
      const data = [x, ...series.map((line) => line.values)];
      // What is drawn, for whoever reads the page without seeing the canvas (tests, scripts).
      container.dataset.points = String(x.length);
      container.dataset.total = String(
        series.reduce((sum, line) => sum + line.values.reduce((lineSum, value) => lineSum + (value ?? 0), 0), 0),
      );
      const nextShape = series.map((line) => line.label).join('\u0000');
      if (!plot || nextShape !== shape) {
        shape = nextShape;
        build(series, data);
      } else {
        plot.setData(data);
      }
    },
  };
}
