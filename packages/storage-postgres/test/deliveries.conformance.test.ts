import { deliveryQueueConformance } from '@fulfil/core/testing';
import { afterAll } from 'vitest';
import { openTestDatabase } from './test-db';

const db = await openTestDatabase();
afterAll(() => db.drop());

deliveryQueueConformance(`postgres (${db.kind})`, async () => {
  await db.truncate();
  return { queue: db.storage().deliveries, connect: async () => db.connect().deliveries };
});
