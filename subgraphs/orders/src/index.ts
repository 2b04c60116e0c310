import { runMain } from '@io/service/main';
import { startOrdersService } from './service';

runMain('orders', startOrdersService);
