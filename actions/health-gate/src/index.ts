import { runAction } from '../../../lib/action.js';
import { main } from './main.js';

void runAction('health-gate', main);
