import type { BenchConfig } from './config';
import type { LedgerReport } from './ledger';
import type { MachineInfo } from './machine';
import type { PgbenchResult } from './pgbench';
import type { IdleMeasurement } from './idle';
import type { ProductListReads, ReadResult } from './reads';
import { formatTable, type StepRow } from './report';

export interface Reads {
  gateway: ReadResult;
  gatewayUncached: ReadResult;
  subgraph: ReadResult;
  gatewayAtFixedRate: ReadResult;
  gatewayUncachedAtFixedRate: ReadResult;
}

export interface BenchOutcome {
  config: BenchConfig;
  machine: MachineInfo;
  pgbench: PgbenchResult;
  rows: StepRow[];
  ledger: LedgerReport;
  reads?: Reads;
  productList?: ProductListReads;
  idle?: IdleMeasurement;
  /** npm start until the gateway answered healthy, in seconds. */
  startSeconds?: number;
  watcher: { announcedDrops: number; problems: string[] };
  failuresByMessage: Record<string, number>;
  /** Final statuses in the database at the end, and how many of them the subscriber received. */
  finals: { inDatabase: number; received: number };
  logFile: string;
  loadAverageAtEnd: [number, number, number];
}

const f = (value: number, digits = 1) => value.toFixed(digits);

/** The whole run as one Markdown section of bench/RESULTS.md. */
export function formatSection(outcome: BenchOutcome): string {
  const { machine, config, pgbench, ledger, reads } = outcome;
  const baselineTps = 'tps' in pgbench ? pgbench.tps : undefined;
  const lines = [
    `## ${machine.date}${config.resultsLabel ? ` — ${config.resultsLabel}` : ''}`,
    '',
    `- Commit ${machine.commit}; ${machine.processors} × ${machine.cpuModel}, ${f(machine.memoryGiB)} GiB, Node ${machine.node}; load average ${machine.loadAverage.map((value) => value.toFixed(2)).join(' / ')} at the start, ${outcome.loadAverageAtEnd.map((value) => value.toFixed(2)).join(' / ')} at the end (1 / 5 / 15 min; the machine is shared, and other engineers' processes count in it).`,
    `- System: \`npm start\` (separate processes), database \`${config.benchDatabase}\`, topic prefix \`${config.topicPrefix}\`, gateway port ${config.ports.gateway}; ${config.productCount} products (${config.shortProducts} of them with ${config.shortStock} units, the rest ${config.stockPerProduct}), one unit of one product per order; warmed up by one order per product${config.warmUp ? ` and ${config.warmUp.ratePerSecond} orders/s for ${config.warmUp.durationSeconds} s` : ''} before any measurement.`,
    'tps' in pgbench
      ? `- pgbench baseline (hot-row conditional UPDATE + INSERT, ${pgbench.clients} clients, ${pgbench.seconds} s, scratch database): **${f(pgbench.tps, 0)} tps**.`
      : `- pgbench baseline: skipped (${pgbench.skipped}).`,
    '',
    formatTable(outcome.rows, baselineTps),
    '',
    `- Ledger (SQL on ${config.benchDatabase}: stock = Σ movements and ≥ 0 for ${ledger.products} products, no order PENDING, confirmed SELL quantities = initial − final stock): **${ledger.passed ? 'PASS' : 'FAIL'}**; orders by status ${JSON.stringify(ledger.orders)}.`,
    ...ledger.failures.slice(0, 5).map((failure) => `  - ${failure}`),
    ...(ledger.failures.length > 5 ? [`  - … and ${ledger.failures.length - 5} more`] : []),
    `- Subscriber (\`orderStatusChanged\`, all orders): received the final status of ${outcome.finals.received} of the ${outcome.finals.inDatabase} orders final in the database (missed ${outcome.finals.inDatabase - outcome.finals.received}, including orders whose createOrder request failed on the client); droppedEvents announced ${outcome.watcher.announcedDrops}${outcome.watcher.problems.length > 0 ? `; problems: ${outcome.watcher.problems.slice(0, 3).join('; ')}` : ''}.`,
    ...(Object.keys(outcome.failuresByMessage).length > 0
      ? [
          `- Failed createOrder requests (all steps): ${Object.entries(outcome.failuresByMessage)
            .sort(([, a], [, b]) => b - a)
            .map(([message, count]) => `${count} × \`${message}\``)
            .join(', ')}. A request that timed out on the client may still have created its order.`,
        ]
      : []),
  ];
  const rate = (read: ReadResult) =>
    `**${f(read.requestsPerSecond)} req/s** (p50 ${f(read.p50Ms)} / p99 ${f(read.p99Ms)} ms${read.failures > 0 ? `, ${read.failures} failed` : ''})`;
  if (outcome.startSeconds !== undefined)
    lines.push(`- \`npm start\` until the gateway answered healthy: **${f(outcome.startSeconds)} s**.`);
  if (outcome.idle) {
    const total = outcome.idle.processes
      .filter(({ name }) => name !== 'postgres')
      .reduce((sum, { cpuPercent }) => sum + cpuPercent, 0);
    lines.push(
      `- Idle system, ${outcome.idle.seconds} s of quiet right after start-up (CPU % of one core, from /proc; RSS at the end): ${outcome.idle.processes
        .map(
          ({ name, cpuPercent, rssMB }) =>
            `${name} ${f(cpuPercent, 2)} %${rssMB === undefined ? '' : ` / ${f(rssMB, 0)} MB`}`,
        )
        .join(', ')}; **${f(total, 2)} %** in all without PostgreSQL (a shared cluster).`,
    );
  }
  if (outcome.productList) {
    const list = outcome.productList;
    lines.push(
      `- \`products(limit: 20)\` + \`productCount\`, ${config.readConnections} connections, ${config.readSeconds} s each after ${config.readWarmUpSeconds} s of the same load: gateway GraphQL ${rate(list.graphql)}, with \`Cache-Control: no-cache\` ${rate(list.graphqlUncached)}; REST \`GET /api/inventory/products?limit=20\` ${rate(list.rest)}, no-cache ${rate(list.restUncached)}; inventory subgraph alone ${rate(list.subgraph)}. REST ÷ GraphQL **${f(list.rest.requestsPerSecond / list.graphql.requestsPerSecond, 2)}** (no-cache ${f(list.restUncached.requestsPerSecond / list.graphqlUncached.requestsPerSecond, 2)}).`,
    );
  }
  if (reads) {
    lines.push(
      `- Read path, \`orders(limit: 20)\` with items, ${config.readConnections} connections, ${config.readSeconds} s each after ${config.readWarmUpSeconds} s of the same load: gateway (products from inventory) ${rate(reads.gateway)}, with \`Cache-Control: no-cache\` ${rate(reads.gatewayUncached)}, orders subgraph alone ${rate(reads.subgraph)}: ratio **${f(reads.gateway.requestsPerSecond / reads.subgraph.requestsPerSecond, 2)}** (no-cache **${f(reads.gatewayUncached.requestsPerSecond / reads.subgraph.requestsPerSecond, 2)}**).`,
      `- Gateway query at a fixed ${config.readFixedRate} req/s for ${config.readSeconds} s: achieved ${rate(reads.gatewayAtFixedRate)}; no-cache ${rate(reads.gatewayUncachedAtFixedRate)}.`,
    );
  }
  return lines.join('\n');
}
