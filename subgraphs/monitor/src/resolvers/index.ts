import { DateTimeScalar } from '@io/graphql/scalars';
import type { Resolvers } from '../__generated__/resolvers-types';
import { Alert } from './Alert';
import { Dashboard } from './Dashboard';
import { DeadLetter } from './DeadLetter';
import { Mutation } from './Mutation';
import { Query } from './Query';
import { ServiceHealth } from './ServiceHealth';

export const resolvers: Resolvers = {
  Query,
  Mutation,
  Alert,
  Dashboard,
  DeadLetter,
  ServiceHealth,
  DateTime: DateTimeScalar,
};
