import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fromProjectRoot, projectRoot } from '@io/project-root';
import { schemaFile, services, subgraphs } from '@io/registry';

/**
 * `npm run build`: generated code (Prisma clients, supergraph, GraphQL Code Generator) and the
 * compiled output in dist/, each step run only when its inputs changed since it last succeeded.
 * A step's stamp is a hash of its command and of every input file's path and content, kept in
 * node_modules/.cache (a fresh `npm ci` starts over); its outputs must exist too. A second
 * `npm start` with nothing changed goes straight to the services. `--force` runs every step.
 */

interface Step {
  name: string;
  /** Files, or folders read recursively for files ending in one of `extensions`. */
  inputs: string[];
  extensions: string[];
  outputs: string[];
  command: string[];
}

const bin = (name: string) => fromProjectRoot('node_modules', '.bin', name);
const generated = (folder: string, name: string) => `${folder}/src/__generated__/${name}`;
const schemas = subgraphs.map((entry) => schemaFile(entry.name));
// Any dependency upgrade may change what a generator or the compiler writes.
const lockfile = 'package-lock.json';

/**
 * A browser app bundled by scripts/bundle.ts from `entry` into dist/bundles/<name>, rebuilt when a
 * file of its folder or a dependency changes. The gateway serves it from there.
 */
const bundleStep = (name: string, entry: string): Step => ({
  name: `${name} bundle`,
  inputs: [dirname(entry), 'scripts/bundle.ts', lockfile],
  extensions: ['.js', '.ts', '.css', '.html'],
  outputs: [`dist/bundles/${name}`],
  command: [bin('tsx'), 'scripts/bundle.ts', entry, `dist/bundles/${name}`],
});

const steps: Step[] = [
  {
    name: 'Prisma clients',
    inputs: ['prisma', 'scripts/generate-prisma.ts', 'services.ts', lockfile],
    extensions: ['.prisma'],
    outputs: services.flatMap((entry) => (entry.slice === null ? [] : [generated(entry.folder, 'prisma')])),
    command: [bin('tsx'), 'scripts/generate-prisma.ts'],
  },
  // uPlot, for the dashboard's charts (served under /dashboard/vendor/charts/).
  bundleStep('charts', 'gateway/src/dashboard/charts/charts.js'),
  {
    name: 'supergraph',
    inputs: [...schemas, 'services.ts', 'gateway/src/supergraph.ts', 'scripts/compose-supergraph.ts', lockfile],
    extensions: [],
    outputs: ['gateway/supergraph.graphql'],
    command: [bin('tsx'), 'scripts/compose-supergraph.ts'],
  },
  {
    name: 'GraphQL types',
    inputs: [
      'codegen.ts',
      'services.ts',
      'gateway/supergraph.graphql',
      'gateway/src/rest',
      ...schemas,
      ...subgraphs.map((entry) => `${entry.folder}/codegen.ts`),
      lockfile,
    ],
    extensions: ['operations.ts'],
    outputs: [
      'gateway/src/__generated__/api-enums.ts',
      'gateway/src/__generated__/rest',
      ...subgraphs.map((entry) => generated(entry.folder, 'resolvers-types.ts')),
    ],
    command: [bin('graphql-codegen'), '--config', 'codegen.ts'],
  },
  {
    name: 'compiled JavaScript',
    inputs: ['services.ts', 'lib', 'subgraphs', 'gateway', 'scripts', 'tsconfig.json', 'tsconfig.build.json', lockfile],
    // Generated code included: tsc reads it like any other source.
    extensions: ['.ts', '.js'],
    outputs: ['dist'],
    command: ['sh', '-c', `"${bin('tsc')}" -p tsconfig.build.json && "${bin('tsc-alias')}" -p tsconfig.build.json`],
  },
  // GraphiQL, served at /graphiql: the explorer that needs no internet.
  bundleStep('explorer', 'gateway/src/explorer/app/main.js'),
];

const skippedFolders = new Set(['node_modules', 'dist', '.kafka', '.data', 'test']);

function inputFiles(step: Step): string[] {
  const files: string[] = [];
  const walk = (path: string) => {
    for (const entry of readdirSync(fromProjectRoot(path), { withFileTypes: true })) {
      const child = `${path}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!skippedFolders.has(entry.name)) walk(child);
      } else if (step.extensions.some((extension) => entry.name.endsWith(extension))) {
        files.push(child);
      }
    }
  };
  for (const input of step.inputs) {
    if (!existsSync(fromProjectRoot(input))) continue; // an output of an earlier step, not yet written
    if (statSync(fromProjectRoot(input)).isDirectory()) walk(input);
    else files.push(input);
  }
  return files.sort();
}

function stampOf(step: Step): string {
  const hash = createHash('sha256').update(step.command.join(' '));
  for (const file of inputFiles(step)) hash.update(`\0${file}\0`).update(readFileSync(fromProjectRoot(file)));
  return hash.digest('hex');
}

const stampsFile = fromProjectRoot('node_modules', '.cache', 'io-build', 'stamps.json');

function readStamps(): Record<string, string> {
  if (!existsSync(stampsFile)) return {};
  return JSON.parse(readFileSync(stampsFile, 'utf8')) as Record<string, string>;
}

function main(): void {
  const force = process.argv.includes('--force');
  const stamps = readStamps();
  for (const step of steps) {
    const stamp = stampOf(step);
    const built = step.outputs.every((output) => existsSync(fromProjectRoot(output)));
    if (!force && built && stamps[step.name] === stamp) {
      console.log(`build: ${step.name} up to date`);
      continue;
    }
    const started = Date.now();
    const [command, ...args] = step.command;
    const result = spawnSync(command, args, { cwd: projectRoot, stdio: 'inherit' });
    if (result.status !== 0) {
      console.error(`build: ${step.name} failed`);
      process.exit(result.status ?? 1);
    }
    // The stamp of the inputs as they were when the step started: an edit made meanwhile builds again next time.
    stamps[step.name] = stamp;
    mkdirSync(dirname(stampsFile), { recursive: true });
    writeFileSync(stampsFile, JSON.stringify(stamps, null, 2));
    console.log(`build: ${step.name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

main();
