import { runMain } from '../../../lib/service/main';
import { startInventoryService } from './service';

runMain('inventory', startInventoryService);
