import { startTracing, tracingConfigured } from './tracing';

// Imported first by every service's entry, before http, express, pg or graphql are loaded: the
// instrumentations patch those modules as they are required.
if (tracingConfigured()) startTracing();
