import { page, pageSize } from '@io/graphql/paging';

test('a page size stays within [0, max]; null means the fallback', () => {
  expect([
    pageSize(10, 50, 500),
    pageSize(null, 50, 500),
    pageSize(undefined, 50, 500),
    pageSize(-3, 50, 500),
    pageSize(9999, 50, 500),
  ]).toEqual([10, 50, 50, 0, 500]);
});

test('an offset is never negative', () => {
  expect([page(5, null, 50, 500), page(5, -1, 50, 500), page(5, 40, 50, 500)]).toEqual([
    { limit: 5, offset: 0 },
    { limit: 5, offset: 0 },
    { limit: 5, offset: 40 },
  ]);
});
