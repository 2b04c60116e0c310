import { runMain } from '@io/service/main';
import { startInventoryService } from './service';

runMain('inventory', startInventoryService);
