import { graphql } from '../../__generated__/rest';

/** The GraphQL operations behind the orders routes; their selections are the REST representations. */

export const orderFields = graphql(`
  fragment RestOrderFields on Order {
    id
    orderType
    status
    customerName
    customerEmail
    items {
      productId
      product {
        id
        name
      }
      productName
      quantity
      unitPrice
      subtotal
    }
    totalAmount
    failureReason
    history {
      from
      to
      reason
      at
    }
    createdAt
    updatedAt
  }
`);

export const orderStatsFields = graphql(`
  fragment RestOrderStatsFields on OrderStats {
    totalOrders
    byStatus {
      status
      count
    }
    byType {
      orderType
      count
    }
    confirmedSellRevenue
    averageOrderValue
    topProducts {
      product {
        id
        name
      }
      quantity
      revenue
    }
  }
`);

export const listOrders = graphql(`
  query RestListOrders($filter: OrderFilter, $limit: Int, $offset: Int) {
    orders(filter: $filter, limit: $limit, offset: $offset) {
      ...RestOrderFields
    }
    orderCount(filter: $filter)
  }
`);

export const getOrder = graphql(`
  query RestGetOrder($id: ID!) {
    order(id: $id) {
      ...RestOrderFields
    }
  }
`);

export const createOrder = graphql(`
  mutation RestCreateOrder($input: CreateOrderInput!, $idempotencyKey: String) {
    createOrder(input: $input, idempotencyKey: $idempotencyKey) {
      ...RestOrderFields
    }
  }
`);

export const updateOrderStatus = graphql(`
  mutation RestUpdateOrderStatus($id: ID!, $status: OrderStatus!, $reason: String) {
    updateOrderStatus(id: $id, status: $status, reason: $reason) {
      ...RestOrderFields
    }
  }
`);

export const cancelOrder = graphql(`
  mutation RestCancelOrder($id: ID!, $reason: String, $idempotencyKey: String) {
    cancelOrder(id: $id, reason: $reason, idempotencyKey: $idempotencyKey) {
      ...RestOrderFields
    }
  }
`);

export const getOrderStats = graphql(`
  query RestOrderStats {
    orderStats {
      ...RestOrderStatsFields
    }
  }
`);

export const health = graphql(`
  query RestOrdersHealth {
    orderCount
  }
`);
