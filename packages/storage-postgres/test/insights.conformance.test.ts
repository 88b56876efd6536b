import { insightsConformance } from '@fulfil/core/testing';
import { afterAll } from 'vitest';
import { openTestDatabase } from './test-db';

const db = await openTestDatabase();
afterAll(() => db.drop());

insightsConformance(`postgres (${db.kind})`, async () => {
  await db.truncate();
  return { storage: db.storage() };
});
