import { LagHistory } from '../src/domain/lag-history';

test('keeps the samples of the last keepMs, oldest first, and answers those since a moment', () => {
  const history = new LagHistory(10_000);
  for (const at of [0, 4_000, 8_000, 12_000, 16_000]) history.add({ at, lags: { orders: at / 1000 } });

  // 0 is older than 16 s - 10 s and was dropped; 8 s and later are within the last 10 s.
  expect(history.since(0).map((sample) => sample.at)).toEqual([8_000, 12_000, 16_000]);
  expect(history.since(12_000)).toEqual([
    { at: 12_000, lags: { orders: 12 } },
    { at: 16_000, lags: { orders: 16 } },
  ]);
  expect(history.since(17_000)).toEqual([]);
});
