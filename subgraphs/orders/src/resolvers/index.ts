import { DateTimeScalar, DecimalScalar } from '@io/graphql/scalars';
import type { Resolvers } from '../__generated__/resolvers-types';
import { Dashboard } from './Dashboard';
import { Mutation } from './Mutation';
import { Order } from './Order';
import { OrderItem } from './OrderItem';
import { OrderStats } from './OrderStats';
import { OrderStatusChange } from './OrderStatusChange';
import { Product } from './Product';
import { Query } from './Query';

export const resolvers: Resolvers = {
  Query,
  Mutation,
  Dashboard,
  Order,
  OrderItem,
  OrderStats,
  OrderStatusChange,
  Product,
  Decimal: DecimalScalar,
  DateTime: DateTimeScalar,
};
