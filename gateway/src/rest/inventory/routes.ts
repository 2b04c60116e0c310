import type { ProductFilter } from '../../__generated__/rest/graphql';
import type { ExecuteGraphQL } from '../../execute';
import { camelCaseKeys, snakeCaseKeys } from '../case';
import { notFound } from '../errors';
import { healthRoute } from '../health';
import { runOperation } from '../operation';
import { defineRoute } from '../route';
import * as operations from './operations';
import { product, productList, stockMovement, stockMovementList } from './representations';
import {
  adjustStockBody,
  createProductBody,
  defaultMovementLimit,
  defaultProductLimit,
  pageQuery,
  productListQuery,
  productPath,
  updateProductBody,
} from './requests';

const service = 'inventory';

async function listProducts(execute: ExecuteGraphQL, filter: ProductFilter, limit = defaultProductLimit, offset = 0) {
  const data = await runOperation(execute, operations.listProducts, { filter, limit, offset });
  return { items: snakeCaseKeys(data.products), total: data.productCount, limit, offset };
}

export const inventoryRoutes = [
  defineRoute({
    service,
    method: 'get',
    path: '/inventory/products',
    operationId: 'listProducts',
    summary: 'List products',
    description: 'GraphQL: `products` and `productCount`.',
    query: productListQuery,
    success: { status: 200, schema: productList, description: 'A page of products' },
    handle: ({ query: { limit, offset, ...filter } }, execute) =>
      listProducts(execute, camelCaseKeys(filter), limit, offset),
  }),
  defineRoute({
    service,
    method: 'post',
    path: '/inventory/products',
    operationId: 'createProduct',
    summary: 'Create a product',
    description: 'GraphQL: `createProduct`. Its initial stock enters the ledger as an INITIAL movement.',
    body: createProductBody,
    success: { status: 201, schema: product, description: 'The product created' },
    handle: async ({ body }, execute) =>
      snakeCaseKeys(
        (await runOperation(execute, operations.createProduct, { input: camelCaseKeys(body) }, 'body')).createProduct,
      ),
  }),
  defineRoute({
    service,
    method: 'get',
    path: '/inventory/products/low-stock',
    operationId: 'listLowStockProducts',
    summary: 'Products at or below their minimum stock level',
    description: 'GraphQL: `products(filter: {lowStock: true})` and `productCount`.',
    query: pageQuery(defaultProductLimit),
    success: { status: 200, schema: productList, description: 'A page of low-stock products' },
    handle: ({ query: { limit, offset } }, execute) => listProducts(execute, { lowStock: true }, limit, offset),
  }),
  defineRoute({
    service,
    method: 'get',
    path: '/inventory/products/{id}',
    operationId: 'getProduct',
    summary: 'Get a product',
    description: 'GraphQL: `product(id)`.',
    params: productPath,
    errors: [404],
    success: { status: 200, schema: product, description: 'The product' },
    handle: async ({ params: { id } }, execute) => {
      const data = await runOperation(execute, operations.getProduct, { id });
      if (!data.product) throw notFound(`Product ${id} not found`);
      return snakeCaseKeys(data.product);
    },
  }),
  defineRoute({
    service,
    method: 'put',
    path: '/inventory/products/{id}',
    operationId: 'updateProduct',
    summary: 'Update a product',
    description: 'GraphQL: `updateProduct`. Only the fields given change; stock changes go through POST …/stock.',
    params: productPath,
    body: updateProductBody,
    errors: [404],
    success: { status: 200, schema: product, description: 'The product as updated' },
    handle: async ({ params: { id }, body }, execute) =>
      snakeCaseKeys(
        (await runOperation(execute, operations.updateProduct, { id, input: camelCaseKeys(body) }, 'body'))
          .updateProduct,
      ),
  }),
  defineRoute({
    service,
    method: 'post',
    path: '/inventory/products/{id}/stock',
    operationId: 'adjustStock',
    summary: "Change a product's stock",
    description: 'GraphQL: `adjustStock`. Taking more than there is answers 409 and changes nothing.',
    params: productPath,
    body: adjustStockBody,
    errors: [404, 409],
    idempotent: true,
    success: {
      status: 201,
      schema: stockMovement,
      description: 'The movement recorded, with the product as it now is',
    },
    handle: async ({ params: { id }, body, idempotencyKey }, execute) =>
      snakeCaseKeys(
        (
          await runOperation(
            execute,
            operations.adjustStock,
            { id, input: camelCaseKeys(body), idempotencyKey },
            'body',
          )
        ).adjustStock,
      ),
  }),
  defineRoute({
    service,
    method: 'get',
    path: '/inventory/products/{id}/movements',
    operationId: 'listStockMovements',
    summary: "A product's stock movements, newest first",
    description: 'GraphQL: `product(id) { movements movementCount }`.',
    params: productPath,
    query: pageQuery(defaultMovementLimit),
    errors: [404],
    success: { status: 200, schema: stockMovementList, description: 'A page of movements' },
    handle: async ({ params: { id }, query: { limit = defaultMovementLimit, offset = 0 } }, execute) => {
      const data = await runOperation(execute, operations.productMovements, { id, limit, offset });
      if (!data.product) throw notFound(`Product ${id} not found`);
      return { items: snakeCaseKeys(data.product.movements), total: data.product.movementCount, limit, offset };
    },
  }),
  healthRoute(service, operations.health),
];
