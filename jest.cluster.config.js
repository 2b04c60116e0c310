/**
 * The cluster suite (`npm run test:cluster`): the system on a local 3-node KRaft cluster whose nodes
 * are killed under load (test/cluster). Same set-up as the fault suite, one file at a time.
 * @type {import('jest').Config}
 */
const faults = require('./jest.faults.config.js');

module.exports = {
  ...faults,
  displayName: 'cluster',
  testMatch: ['<rootDir>/test/cluster/**/*.cluster.ts'],
};
