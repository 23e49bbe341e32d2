import 'reflect-metadata';
import { WalletsModule } from '@burndown/wallets';
import { runMain } from '@burndown/runtime';

// On its own, a service keeps its own data directory; services reach each other over the bus.
runMain('wallets', [WalletsModule], { dataDir: '.burndown/wallets', port: 8083 });
