import type { AlertUseCases } from './domain/alerts';

export interface Context {
  alerts: AlertUseCases;
}

export const createContext = (alerts: AlertUseCases): Context => ({ alerts });
