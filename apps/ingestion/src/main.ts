import 'reflect-metadata';
import { IngestionModule } from '@burndown/ingestion';
import { runMain } from '@burndown/runtime';

// On its own, a service keeps its own data directory; services reach each other over the bus.
runMain('ingestion', [IngestionModule], { dataDir: '.burndown/ingestion', port: 8081 });
