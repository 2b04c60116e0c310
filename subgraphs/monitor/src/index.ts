import { runMain } from '../../../lib/service/main';
import { startMonitorService } from './service';

runMain('monitor', startMonitorService);
