import type { AlertUseCases } from './domain/alerts';
import type { HealthUseCases } from './domain/health';
import type { KafkaStatsUseCases } from './domain/kafka-stats';

export interface Context {
  alerts: AlertUseCases;
  health: HealthUseCases;
  kafka: KafkaStatsUseCases;
}

export const createContext = (useCases: Context): Context => useCases;
