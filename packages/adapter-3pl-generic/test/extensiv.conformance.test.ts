import { warehouseConformance } from '@fulfil/core/testing';
import { extensivWorld } from './setups';

warehouseConformance('generic 3PL, Extensiv preset', async () => (await extensivWorld()).setup);
