import { runAction } from '../../../lib/action.js';
import { main } from './main.js';

void runAction('pr-comment', main);
