import { runMain } from '@io/service/main';
import { startMonitorService } from './service';

runMain('monitor', startMonitorService);
