/** The GraphQL operations behind the orders routes; their selections are the REST representations. */

export const orderFields = `id orderType status customerName customerEmail
  items { productId product { id name } productName quantity unitPrice subtotal }
  totalAmount failureReason history { from to reason at } createdAt updatedAt`;

export const orderStatsFields = `totalOrders byStatus { status count } byType { orderType count }
  confirmedSellRevenue averageOrderValue topProducts { product { id name } quantity revenue }`;

export const listOrders = `query RestListOrders($filter: OrderFilter, $limit: Int, $offset: Int) {
  orders(filter: $filter, limit: $limit, offset: $offset) { ${orderFields} }
  orderCount(filter: $filter)
}`;

export const getOrder = `query RestGetOrder($id: ID!) { order(id: $id) { ${orderFields} } }`;

export const createOrder = `mutation RestCreateOrder($input: CreateOrderInput!) { createOrder(input: $input) { ${orderFields} } }`;

export const updateOrderStatus = `mutation RestUpdateOrderStatus($id: ID!, $status: OrderStatus!, $reason: String) {
  updateOrderStatus(id: $id, status: $status, reason: $reason) { ${orderFields} }
}`;

export const cancelOrder = `mutation RestCancelOrder($id: ID!, $reason: String) { cancelOrder(id: $id, reason: $reason) { ${orderFields} } }`;

export const getOrderStats = `query RestOrderStats { orderStats { ${orderStatsFields} } }`;

export const health = 'query RestOrdersHealth { orderCount }';
