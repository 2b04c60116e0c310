/**
 * The fault suite (`npm run test:faults`): whole-system scenarios with real processes killed, stopped
 * and restarted, one file at a time (they load the machine), each ending with the ledger check
 * (test/faults/support/ledger.ts). Sized by FAULT_SCALE (1 = the sizes the issue names).
 * @type {import('jest').Config}
 */
const { projects } = require('./jest.config.js');
const e2e = projects.find((project) => project.displayName === 'e2e');

module.exports = {
  ...e2e,
  displayName: 'faults',
  testMatch: ['<rootDir>/test/faults/**/*.fault.ts'],
  testTimeout: 600_000,
  maxWorkers: 1,
  // Scenarios kill brokers and gateways under clients; kafkajs and graphql-ws keep reconnect timers
  // for peers that are gone, which must not hold CI after the last scenario has reported.
  forceExit: true,
};
