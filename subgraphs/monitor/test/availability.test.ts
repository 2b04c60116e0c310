import { availability } from '../src/domain/availability';

test('availability is the share of healthy probes, unhealthy and down ones counting against it', () => {
  expect(availability({ HEALTHY: 3, UNHEALTHY: 1 })).toBe(0.75);
  expect(availability({ HEALTHY: 1, DOWN: 3 })).toBe(0.25);
  expect(availability({ HEALTHY: 8, UNHEALTHY: 1, DOWN: 1 })).toBe(0.8);
});

test('availability is 1 when every probe was healthy and 0 when none was', () => {
  expect(availability({ HEALTHY: 12 })).toBe(1);
  expect(availability({ DOWN: 2, UNHEALTHY: 5 })).toBe(0);
});

test('availability is unknown (null) without any probe in the window', () => {
  expect(availability({})).toBeNull();
});
