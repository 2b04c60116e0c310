/** The GraphQL operations behind the inventory routes; their selections are the REST representations. */

const product = 'id name description price stockQuantity minStockLevel isLowStock stockLevel createdAt updatedAt';
const movement = `id product { ${product} } quantityChange balanceAfter movementType referenceId notes createdAt`;

export const listProducts = `query RestListProducts($filter: ProductFilter, $limit: Int, $offset: Int) {
  products(filter: $filter, limit: $limit, offset: $offset) { ${product} }
  productCount(filter: $filter)
}`;

export const getProduct = `query RestGetProduct($id: ID!) { product(id: $id) { ${product} } }`;

export const createProduct = `mutation RestCreateProduct($input: CreateProductInput!) { createProduct(input: $input) { ${product} } }`;

export const updateProduct = `mutation RestUpdateProduct($id: ID!, $input: UpdateProductInput!) {
  updateProduct(id: $id, input: $input) { ${product} }
}`;

export const adjustStock = `mutation RestAdjustStock($id: ID!, $input: AdjustStockInput!) {
  adjustStock(productId: $id, input: $input) { ${movement} }
}`;

export const productMovements = `query RestProductMovements($id: ID!, $limit: Int, $offset: Int) {
  product(id: $id) { movements(limit: $limit, offset: $offset) { ${movement} } movementCount }
}`;

export const health = 'query RestInventoryHealth { productCount }';
