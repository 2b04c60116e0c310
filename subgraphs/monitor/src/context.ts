import type { AlertUseCases } from './domain/alerts';
import type { DeadLetterUseCases } from './domain/dead-letters';
import type { HealthUseCases } from './domain/health';
import type { KafkaStatsUseCases } from './domain/kafka-stats';

export interface Context {
  alerts: AlertUseCases;
  deadLetters: DeadLetterUseCases;
  health: HealthUseCases;
  kafka: KafkaStatsUseCases;
}

export const createContext = (useCases: Context): Context => useCases;
