// First: tracing (when configured) must patch http, express, graphql and pg before they load.
import '@io/telemetry/register';
import { runMain } from '@io/service/main';
import { startMonitorService } from './service';

runMain('monitor', startMonitorService);
