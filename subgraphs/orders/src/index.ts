import { runMain } from '../../../lib/service/main';
import { startOrdersService } from './service';

runMain('orders', startOrdersService);
