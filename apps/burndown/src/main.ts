import 'reflect-metadata';
import { EMBEDDED_DEFAULTS, runMain } from '@burndown/runtime';
import { EMBEDDED_SERVICES } from './services';

runMain('burndown', EMBEDDED_SERVICES, EMBEDDED_DEFAULTS);
