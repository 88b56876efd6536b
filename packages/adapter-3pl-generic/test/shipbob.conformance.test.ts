import { warehouseConformance } from '@fulfil/core/testing';
import { shipbobWorld } from './setups';

warehouseConformance('generic 3PL, ShipBob preset', async () => (await shipbobWorld()).setup);
