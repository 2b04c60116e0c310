import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { composeSupergraph } from '../gateway/src/supergraph';
import { loadConfig, subgraphUrls } from '@io/config';
import { migrationsDir } from '@io/db/migrate-all';
import { fromProjectRoot } from '@io/project-root';
import { watchedServices } from '../subgraphs/monitor/src/domain/health';
import { schemaFile, services, subgraphNames, subgraphs } from '@io/registry';

let supergraph: string;
beforeAll(() => {
  supergraph = composeSupergraph();
});

/** What "adding a subgraph is its folder and one registry entry" needs to hold, checked for every entry. */
describe.each(services.map((entry) => [entry.name, entry] as const))('registered service %s', (_name, entry) => {
  test('has its folder and its entry file', () => {
    expect(existsSync(fromProjectRoot(entry.folder))).toBe(true);
    expect(existsSync(fromProjectRoot(entry.entry))).toBe(true);
    expect(entry.entry.startsWith(`${entry.folder}/`)).toBe(true);
  });

  test('is configured by its own port and URL variables, defaulting to its registered port', () => {
    const config = loadConfig({});
    expect(config[entry.portVariable]).toBe(entry.defaultPort);
    expect(loadConfig({ [entry.portVariable]: '5999' })[entry.portVariable]).toBe(5999);
    expect(loadConfig({ [entry.urlVariable]: 'http://elsewhere:1/graphql' })[entry.urlVariable]).toBe(
      'http://elsewhere:1/graphql',
    );
  });

  test('is probed by the monitor', () => {
    expect(watchedServices).toContain(entry.name);
  });
});

describe.each(subgraphs.map((entry) => [entry.name, entry] as const))('registered subgraph %s', (name, entry) => {
  test('has a Federation 2 schema.graphql', () => {
    expect(readFileSync(fromProjectRoot(schemaFile(name)), 'utf8')).toMatch(
      /^extend schema\s+@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2/,
    );
  });

  test('declares the GraphQL Code Generator mappers of its resolvers', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- codegen.ts reads it by the same path
    expect(require(fromProjectRoot(entry.folder, 'codegen')).mappers).toEqual(expect.any(Object));
  });

  test('has a Prisma slice with migrations whose client is generated into its folder', () => {
    const prismaSchema = readFileSync(fromProjectRoot('prisma', entry.slice, 'schema.prisma'), 'utf8');
    expect(prismaSchema).toMatch(new RegExp(`output\\s*=\\s*"\\.\\./\\.\\./${entry.folder}/src/__generated__/prisma"`));
    const migrations = readdirSync(migrationsDir(entry.slice)).filter((dir) =>
      existsSync(`${migrationsDir(entry.slice)}/${dir}/migration.sql`),
    );
    expect(migrations.length).toBeGreaterThan(0);
  });

  test('exports the function the test system starts it with', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module is named by the registry
    const module = require(fromProjectRoot(entry.starter.module)) as Record<string, unknown>;
    expect(module[entry.starter.export]).toEqual(expect.any(Function));
  });

  test('exports the list of its event handlers, which the event catalog document reads', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module is named by the registry
    const module = require(fromProjectRoot(entry.eventHandlers.module)) as Record<string, unknown>;
    expect(module[entry.eventHandlers.export]).toEqual(expect.any(Function));
  });

  test('composes into the supergraph, and the gateway routes to it', () => {
    expect(supergraph).toContain(`@join__graph(name: "${name}"`);
    expect(Object.keys(subgraphUrls(loadConfig({})))).toContain(name);
  });
});

test('names, ports, variables and slices are unique', () => {
  for (const key of ['name', 'defaultPort', 'portVariable', 'urlVariable', 'folder', 'entry'] as const) {
    const values = services.map((entry) => entry[key]);
    expect(new Set(values).size).toBe(values.length);
  }
  expect(new Set(subgraphs.map((entry) => entry.slice)).size).toBe(subgraphNames.length);
});
