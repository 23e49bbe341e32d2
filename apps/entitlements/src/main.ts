import 'reflect-metadata';
import { EntitlementsModule } from '@burndown/entitlements';
import { runMain } from '@burndown/runtime';

// On its own, a service keeps its own data directory; services reach each other over the bus.
runMain('entitlements', [EntitlementsModule], { dataDir: '.burndown/entitlements', port: 8084 });
