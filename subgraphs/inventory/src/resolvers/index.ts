import { DateTimeScalar, DecimalScalar } from '@io/graphql/scalars';
import type { Resolvers } from '../__generated__/resolvers-types';
import { Dashboard } from './Dashboard';
import { Mutation } from './Mutation';
import { Product } from './Product';
import { Query } from './Query';
import { StockMovement } from './StockMovement';

export const resolvers: Resolvers = {
  Query,
  Mutation,
  Dashboard,
  Product,
  StockMovement,
  Decimal: DecimalScalar,
  DateTime: DateTimeScalar,
};
