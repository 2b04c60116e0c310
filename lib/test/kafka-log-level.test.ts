import { logLevel } from 'kafkajs';
import { kafkaLogLevel } from '../kafka/log-level';

const loading = "The coordinator is loading and hence can't process requests for this group";
const response = (error: string) => ({
  namespace: 'Connection',
  level: logLevel.ERROR,
  log: { timestamp: '', logger: 'kafkajs', message: 'Response InitProducerId(key: 22, version: 1)', error },
});

test("a connection's error answer that kafkajs retries is a warning", () => {
  expect(kafkaLogLevel(response(loading))).toBe('warn');
});

test('an answer kafkajs does not retry stays an error', () => {
  expect(kafkaLogLevel(response('Not authorized to access topics: [Topic authorization failed]'))).toBe('error');
});

test('outside a connection, the same message keeps its level', () => {
  expect(kafkaLogLevel({ ...response(loading), namespace: 'Producer' })).toBe('error');
});

test("kafkajs' own levels map onto the logger's", () => {
  const at = (level: logLevel) => kafkaLogLevel({ namespace: 'Consumer', level, log: response('x').log });
  expect([at(logLevel.ERROR), at(logLevel.WARN), at(logLevel.INFO), at(logLevel.DEBUG)]).toEqual([
    'error',
    'warn',
    'info',
    'debug',
  ]);
});
