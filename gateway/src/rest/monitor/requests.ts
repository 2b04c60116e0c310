import { z } from 'zod';
import { dateTimeParam, enumValue, limitParam, offsetParam } from '../params';
import { AlertSeverity, AlertState, AlertType } from '../../__generated__/api-enums';

export const defaultAlertLimit = 50;
export const defaultHistoryLimit = 100;

export const servicePath = z.strictObject({
  service: z
    .string()
    .min(1)
    .max(100)
    .meta({ description: 'inventory, orders, monitor, gateway, kafka or postgres.', examples: ['inventory'] }),
});

export const historyQuery = z.strictObject({
  since: dateTimeParam.optional().meta({ description: 'Only probes at or after (ISO-8601 date or date-time).' }),
  limit: limitParam(defaultHistoryLimit),
});

export const alertListQuery = z.strictObject({
  state: enumValue(AlertState).optional(),
  severity: enumValue(AlertSeverity).optional(),
  alert_type: enumValue(AlertType).optional(),
  limit: limitParam(defaultAlertLimit),
  offset: offsetParam,
});
