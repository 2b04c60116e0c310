import type { AlertResolvers } from '../__generated__/resolvers-types';

/** Product and Order are owned by other subgraphs: an alert only hands over their key. */
export const Alert: AlertResolvers = {
  id: (alert) => String(alert.id),
  product: (alert) => (alert.entityType === 'Product' && alert.entityId ? { id: alert.entityId } : null),
  order: (alert) => (alert.entityType === 'Order' && alert.entityId ? { id: alert.entityId } : null),
};
