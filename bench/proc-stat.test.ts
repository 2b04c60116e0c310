import { descendantsOf, listeningInodes, parseProcStat, type ProcStat } from './proc-stat';
import { clockTicksPerSecond, postgresTicks, sampleCpu } from './cpu-sampler';

const statLine = (pid: number, comm: string, ppid: number, times: [number, number, number, number]) =>
  `${pid} (${comm}) S ${ppid} ${pid} ${pid} 0 -1 4194560 1000 0 0 0 ${times.join(' ')} 20 0 1 0 100 1000000 200 18446744073709551615`;

describe('parseProcStat', () => {
  it('reads pid, name, parent, process group and the four CPU times', () => {
    expect(parseProcStat(statLine(4242, 'node', 17, [310, 45, 7, 2]))).toEqual({
      pid: 4242,
      comm: 'node',
      ppid: 17,
      pgrp: 4242,
      utime: 310,
      stime: 45,
      cutime: 7,
      cstime: 2,
    });
  });

  it('counts fields from the last parenthesis, so a name with spaces and parentheses does not shift them', () => {
    const stat = parseProcStat(statLine(9, 'weird (name) x', 1, [11, 12, 13, 14]));
    expect(stat).toMatchObject({ comm: 'weird (name) x', ppid: 1, utime: 11, stime: 12, cutime: 13, cstime: 14 });
  });

  it('refuses text that is not a stat line', () => {
    expect(() => parseProcStat('garbage')).toThrow('not a /proc/<pid>/stat line');
  });
});

describe('postgresTicks', () => {
  const processes = (stats: ProcStat[]) => new Map(stats.map((stat) => [stat.pid, stat]));
  const stat = (
    pid: number,
    comm: string,
    ppid: number,
    utime: number,
    stime: number,
    cutime = 0,
    cstime = 0,
  ): ProcStat => ({ pid, comm, ppid, pgrp: pid, utime, stime, cutime, cstime });

  it('adds every postgres process and the children the postmaster reaped, but not other programs', () => {
    const ticks = postgresTicks(
      processes([
        stat(100, 'postgres', 1, 50, 10, 400, 100), // postmaster: reaped backends used 500 ticks
        stat(101, 'postgres', 100, 20, 5, 999, 999), // a backend: its own cutime is not the cluster's
        stat(102, 'postgres', 100, 30, 5),
        stat(200, 'node', 1, 1000, 1000),
      ]),
    );
    expect(ticks).toBe(60 + 500 + 25 + 35);
  });
});

describe('descendantsOf', () => {
  it('finds children and grandchildren, not siblings', () => {
    const tree = new Map(
      [
        [1, 0],
        [10, 1],
        [11, 10],
        [12, 11],
        [20, 1],
      ].map(([pid, ppid]) => [pid, { pid, ppid, comm: 'x', pgrp: pid, utime: 0, stime: 0, cutime: 0, cstime: 0 }]),
    );
    expect(descendantsOf(10, tree).sort()).toEqual([11, 12]);
  });
});

describe('listeningInodes', () => {
  const procNetTcp = [
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
    '   0: 0100007F:1004 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5551 1 0000000000000000 100 0 0 10 0',
    '   1: 0100007F:1004 0100007F:D2A4 01 00000000:00000000 00:00000000 00000000     0        0 5552 1 0000000000000000 20 4 30 10 -1',
    '   2: 0100007F:2384 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 7777 1 0000000000000000 100 0 0 10 0',
  ].join('\n');

  it('keeps only sockets in LISTEN state on the port', () => {
    expect(listeningInodes(procNetTcp, 4100)).toEqual([5551]);
    expect(listeningInodes(procNetTcp, 9092)).toEqual([7777]);
    expect(listeningInodes(procNetTcp, 4101)).toEqual([]);
  });
});

describe('sampleCpu', () => {
  const stat = (pid: number, comm: string, ppid: number, utime: number): ProcStat => ({
    pid,
    comm,
    ppid,
    pgrp: 1,
    utime,
    stime: 0,
    cutime: 0,
    cstime: 0,
  });

  it("counts a service's children with it and every other process of npm start as the launcher", () => {
    const processes = new Map(
      [
        stat(1, 'npm', 0, 5),
        stat(2, 'sh', 1, 1),
        stat(3, 'node', 2, 10), // npm start → sh → start script
        stat(10, 'node', 3, 200),
        stat(11, 'esbuild', 10, 50), // a service and its transpiler
        stat(20, 'java', 0, 300),
        stat(30, 'postgres', 0, 40),
      ].map((entry) => [entry.pid, entry]),
    );
    const sample = sampleCpu({ services: { gateway: 10 }, kafka: 20, launcherRoot: 1 }, processes);
    expect(sample).toEqual({
      gateway: 250 / clockTicksPerSecond,
      kafka: 300 / clockTicksPerSecond,
      postgres: 40 / clockTicksPerSecond,
      launcher: 16 / clockTicksPerSecond,
    });
  });
});
