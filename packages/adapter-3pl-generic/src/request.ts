import { z } from 'zod';

/** The shipment request fields the adapter relies on (the rest passes through). */
export const ShipmentRequestSchema = z
  .object({
    orderId: z.string().min(1),
    shipment: z.object({ id: z.string().min(1) }).passthrough(),
    locationId: z.string().min(1),
    lines: z
      .array(
        z
          .object({
            lineId: z.string().min(1),
            sku: z.string().min(1),
            quantity: z.number().int().positive(),
            unitPrice: z.number().int(),
          })
          .passthrough(),
      )
      .min(1),
    currency: z.string().length(3),
  })
  .passthrough();
