import 'reflect-metadata';
import { EMBEDDED_DEFAULTS, runMain } from '@burndown/runtime';
import { EMBEDDED_MAIN_THREAD, EMBEDDED_SERVICE_THREAD } from './services';

runMain('burndown', EMBEDDED_MAIN_THREAD, EMBEDDED_DEFAULTS, EMBEDDED_SERVICE_THREAD);
