import { readFileSync } from 'node:fs';
import { catalogEvents, topics } from '@io/events/catalog';
import { eventCatalogPath, renderEventCatalog } from '../scripts/event-catalog-doc';

test('docs/events.md is what the catalog and the consumers say (run `npm run docs` after changing either)', () => {
  expect(readFileSync(eventCatalogPath, 'utf8')).toBe(renderEventCatalog());
});

test('every event of the catalog is documented, with a producer and at least one consumer', () => {
  const rows = renderEventCatalog()
    .split('\n')
    .filter((line) => line.startsWith('| `'));
  expect(catalogEvents.map((event) => event.topic)).toEqual(Object.values(topics));
  expect(rows).toHaveLength(catalogEvents.length);
  for (const row of rows) expect(row).not.toContain('(none)');
});
