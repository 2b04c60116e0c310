import { graphql } from '../../__generated__/rest';

/** The GraphQL operations behind the inventory routes; their selections are the REST representations. */

export const productFields = graphql(`
  fragment RestProductFields on Product {
    id
    name
    description
    price
    stockQuantity
    minStockLevel
    isLowStock
    stockLevel
    createdAt
    updatedAt
  }
`);

export const stockMovementFields = graphql(`
  fragment RestStockMovementFields on StockMovement {
    id
    product {
      ...RestProductFields
    }
    quantityChange
    balanceAfter
    movementType
    referenceId
    notes
    createdAt
  }
`);

export const listProducts = graphql(`
  query RestListProducts($filter: ProductFilter, $limit: Int, $offset: Int) {
    products(filter: $filter, limit: $limit, offset: $offset) {
      ...RestProductFields
    }
    productCount(filter: $filter)
  }
`);

export const getProduct = graphql(`
  query RestGetProduct($id: ID!) {
    product(id: $id) {
      ...RestProductFields
    }
  }
`);

export const createProduct = graphql(`
  mutation RestCreateProduct($input: CreateProductInput!) {
    createProduct(input: $input) {
      ...RestProductFields
    }
  }
`);

export const updateProduct = graphql(`
  mutation RestUpdateProduct($id: ID!, $input: UpdateProductInput!) {
    updateProduct(id: $id, input: $input) {
      ...RestProductFields
    }
  }
`);

export const adjustStock = graphql(`
  mutation RestAdjustStock($id: ID!, $input: AdjustStockInput!, $idempotencyKey: String) {
    adjustStock(productId: $id, input: $input, idempotencyKey: $idempotencyKey) {
      ...RestStockMovementFields
    }
  }
`);

export const productMovements = graphql(`
  query RestProductMovements($id: ID!, $limit: Int, $offset: Int) {
    product(id: $id) {
      movements(limit: $limit, offset: $offset) {
        ...RestStockMovementFields
      }
      movementCount
    }
  }
`);

export const health = graphql(`
  query RestInventoryHealth {
    productCount
  }
`);
