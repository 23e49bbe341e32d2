import 'reflect-metadata';
import { RatingModule } from '@burndown/rating';
import { runMain } from '@burndown/runtime';

// On its own, a service keeps its own data directory; services reach each other over the bus.
runMain('rating', [RatingModule], { dataDir: '.burndown/rating', port: 8082 });
