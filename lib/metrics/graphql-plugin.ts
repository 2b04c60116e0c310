import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Response } from 'express';
import { accessRecord, type AccessRecord } from '@io/service/access-log';
import type { ServiceMetrics } from './metrics';

/** Longer names are cut: a label value is kept in memory for as long as the process runs. */
const maxNameLength = 100;

/**
 * Times every GraphQL operation (request received to response sent) by operation name and type,
 * counts the answer's errors by extensions.code, and hands both to the request's access line.
 * `link` ties a request's context (built per request) to its HTTP response, which Apollo's plugins
 * do not see.
 */
export function graphqlMetrics(metrics: ServiceMetrics) {
  const records = new WeakMap<object, AccessRecord>();
  const plugin: ApolloServerPlugin<BaseContext> = {
    requestDidStart: async () => {
      const started = performance.now();
      return {
        willSendResponse: async ({ operation, operationName, response, contextValue }) => {
          const type = operation?.operation ?? 'unknown';
          const name = operation
            ? metrics.operationNames.value((operationName ?? '(anonymous)').slice(0, maxNameLength))
            : '(invalid)';
          metrics.graphqlDuration.observe({ operation: name, type }, (performance.now() - started) / 1000);
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          const codes = errors.map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
          for (const code of codes) metrics.graphqlErrors.inc({ code });
          const record = records.get(contextValue);
          if (record) Object.assign(record, { operation: name, operationType: type, errorCodes: codes });
        },
      };
    },
  };
  return {
    plugin,
    link: <T extends object>(context: T, response: Response): T => {
      records.set(context, accessRecord(response));
      return context;
    },
  };
}
