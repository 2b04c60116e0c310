import { DateTimeScalar } from '../../../../lib/graphql/scalars';
import type { Resolvers } from '../__generated__/resolvers-types';
import { Query } from './Query';

export const resolvers: Resolvers = {
  Query,
  Alert: { id: (alert) => String(alert.id) },
  DateTime: DateTimeScalar,
};
