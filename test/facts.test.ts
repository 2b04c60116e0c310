import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildASTSchema, GraphQLEnumType, parse } from 'graphql';
import { quantityLimits } from '@io/domain/limits';
import { catalogEnums } from '@io/events/catalog';
import * as inventoryEnums from '../subgraphs/inventory/src/__generated__/prisma/enums';
import * as monitorEnums from '../subgraphs/monitor/src/__generated__/prisma/enums';
import * as ordersEnums from '../subgraphs/orders/src/__generated__/prisma/enums';

/**
 * Facts that live in more than one language and cannot be derived from one another (SQL types,
 * the cross-service event contract, the API's SDL): every copy must say the same.
 */
const api = buildASTSchema(parse(readFileSync(resolve(__dirname, '../gateway/supergraph.graphql'), 'utf8')), {
  assumeValidSDL: true,
});
const apiEnum = (name: string) => {
  const type = api.getType(name);
  if (!(type instanceof GraphQLEnumType)) throw new Error(`${name} is not an enum of the API`);
  return type.getValues().map((value) => value.name);
};

test.each([
  ['OrderType', ordersEnums.OrderType],
  ['OrderStatus', ordersEnums.OrderStatus],
  ['MovementType', inventoryEnums.MovementType],
  ['AlertType', monitorEnums.AlertType],
  ['AlertSeverity', monitorEnums.AlertSeverity],
  ['AlertState', monitorEnums.AlertState],
  ['ServiceStatus', monitorEnums.HealthStatus],
])("the database enum behind %s has the API's values, in its order", (name, prismaEnum) => {
  expect(Object.values(prismaEnum)).toEqual(apiEnum(name));
});

test.each(Object.entries(catalogEnums))("the events' %s has the API's values, in its order", (name, schema) => {
  expect(schema.options).toEqual(apiEnum(name));
});

/** The statements of a migration that build the outbox and the processed-events record (a `$$` body kept whole). */
function outboxStatements(slice: string): string[] {
  const sql = readFileSync(
    resolve(__dirname, `../prisma/${slice}/migrations/20261127000000_init/migration.sql`),
    'utf8',
  );
  const statements = sql
    .split(/;\s*(?=(?:[^$]*\$\$[^$]*\$\$)*[^$]*$)/)
    .map((statement) => statement.replace(/^(--.*\n|\s)+/gm, '').trim());
  return statements.filter((statement) => /outbox|processed_events/.test(statement));
}

test("every service's outbox, its NOTIFY trigger and its processed-events record are built by the same SQL", () => {
  const [inventory, orders, monitor] = ['inventory', 'orders', 'monitor'].map(outboxStatements);
  expect(inventory.length).toBeGreaterThanOrEqual(6);
  expect(orders).toEqual(inventory);
  expect(monitor).toEqual(inventory);
});

test('the CHECK constraints hold the quantity limits of lib/domain/limits.ts', () => {
  const migration = (slice: string) =>
    readFileSync(
      resolve(__dirname, `../prisma/${slice}/migrations/20261128120000_quantity_limits/migration.sql`),
      'utf8',
    );
  const { maxItemQuantity, maxStock } = quantityLimits;
  expect(migration('orders')).toContain(`CHECK ("quantity" <= ${maxItemQuantity})`);
  const inventory = migration('inventory');
  expect(inventory).toContain(`CHECK ("stock_quantity" <= ${maxStock})`);
  expect(inventory).toContain(`CHECK ("min_stock_level" <= ${maxStock})`);
  expect(inventory).toContain(`CHECK ("balance_after" BETWEEN 0 AND ${maxStock})`);
});
