import 'reflect-metadata';
import { InvoicingModule } from '@burndown/invoicing';
import { runMain } from '@burndown/runtime';

// On its own, a service keeps its own data directory; services reach each other over the bus.
runMain('invoicing', [InvoicingModule], { dataDir: '.burndown/invoicing', port: 8085 });
