import { z } from 'zod';
import type { StockTable } from './memory-inventory';

/**
 * A stock table, checked by shape and kept by reference (the caller's object is the one
 * read and updated, never a copy).
 */
export const StockTableOption: z.ZodType<StockTable, StockTable> = z.custom<StockTable>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every(
      (units) => typeof units === 'object' && units !== null && !Array.isArray(units),
    ),
  { message: 'expected a stock table { [locationId]: { [sku]: units } }' },
);
