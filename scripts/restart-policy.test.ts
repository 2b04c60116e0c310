import { CrashHistory } from './restart-policy';

const policy = { initialDelayMs: 500, maxDelayMs: 3000, crashLoopCrashes: 5, windowMs: 60_000 };

test('the wait before a restart doubles with each crash in the window, up to the cap', () => {
  const history = new CrashHistory({ ...policy, crashLoopCrashes: 10 });
  const delays = [0, 1, 2, 3, 4, 5].map((second) => history.crashed(second * 1000));
  expect(delays.map((verdict) => verdict.restart && verdict.delayMs)).toEqual([500, 1000, 2000, 3000, 3000, 3000]);
});

test('the fifth crash within a minute is a crash loop: no restart', () => {
  const history = new CrashHistory(policy);
  const verdicts = [0, 10, 20, 30, 40].map((second) => history.crashed(second * 1000));
  expect(verdicts.map((verdict) => verdict.restart)).toEqual([true, true, true, true, false]);
  expect(verdicts[4]).toEqual({ restart: false, recentCrashes: 5 });
});

test('crashes older than the window are forgotten: a service that crashes now and then restarts quickly each time', () => {
  const history = new CrashHistory(policy);
  const verdicts = [0, 61, 122, 183, 244, 305].map((second) => history.crashed(second * 1000));
  expect(verdicts).toEqual(Array(6).fill({ restart: true, delayMs: 500, recentCrashes: 1 }));
});
