import { z } from 'zod';

/** Order statuses of ShipStation API v1. */
export const SHIPSTATION_ORDER_STATUSES = [
  'awaiting_payment',
  'awaiting_shipment',
  'pending_fulfillment',
  'shipped',
  'on_hold',
  'cancelled',
  'rejected_fulfillment',
] as const;
export type ShipStationOrderStatus = (typeof SHIPSTATION_ORDER_STATUSES)[number];

/** Statuses `createorder` may still update (ShipStation refuses the others). */
export const OPEN_STATUSES: ReadonlySet<string> = new Set([
  'awaiting_payment',
  'awaiting_shipment',
  'on_hold',
]);

const text = z.string().nullish();

/** A ShipStation address (`billTo`, `shipTo`). */
export const ShipStationAddress = z.looseObject({
  name: z.string().nullish(),
  company: text,
  street1: text,
  street2: text,
  street3: text,
  city: text,
  state: text,
  postalCode: text,
  country: text,
  phone: text,
  residential: z.boolean().nullish(),
});
export type ShipStationAddress = z.infer<typeof ShipStationAddress>;

export const ShipStationItem = z.looseObject({
  lineItemKey: text,
  sku: text,
  name: text,
  quantity: z.number().int(),
  unitPrice: z.number().nullish(),
  options: z.array(z.looseObject({ name: z.string(), value: z.string() })).nullish(),
});
export type ShipStationItem = z.infer<typeof ShipStationItem>;

export const ShipStationAdvancedOptions = z.looseObject({
  warehouseId: z.number().int().nullish(),
  customField1: text,
  customField2: text,
  customField3: text,
  source: text,
  mergedOrSplit: z.boolean().nullish(),
  parentId: z.number().int().nullish(),
});

/** An order as ShipStation returns it (unknown fields kept: updates resend the whole order). */
export const ShipStationOrder = z.looseObject({
  orderId: z.number().int(),
  orderNumber: z.string(),
  orderKey: z.string().nullish(),
  orderDate: text,
  orderStatus: z.string(),
  holdUntilDate: text,
  billTo: ShipStationAddress.nullish(),
  shipTo: ShipStationAddress.nullish(),
  items: z.array(ShipStationItem).default([]),
  advancedOptions: ShipStationAdvancedOptions.nullish(),
});
export type ShipStationOrder = z.infer<typeof ShipStationOrder>;

/** What `createorder` takes (the writable part of an order). */
export interface ShipStationOrderInput {
  orderId?: number;
  orderNumber: string;
  orderKey: string;
  orderDate: string;
  orderStatus: ShipStationOrderStatus;
  billTo: Partial<ShipStationAddress>;
  shipTo: ShipStationAddress;
  items: {
    lineItemKey: string;
    sku: string;
    name: string;
    quantity: number;
    unitPrice: number;
    options: { name: string; value: string }[];
  }[];
  amountPaid?: number;
  customerNotes: string | null;
  internalNotes: string | null;
  gift: boolean;
  giftMessage: string | null;
  requestedShippingService: string | null;
  advancedOptions: {
    warehouseId: number;
    customField1: string;
    customField2: string;
    customField3: string | null;
    source: string;
  };
}

/** A shipment (a label) as `GET /shipments` lists it. */
export const ShipStationShipment = z.looseObject({
  shipmentId: z.number().int(),
  /** Null for a label made without an order (`POST /shipments/createlabel` documents `orderId: null`). */
  orderId: z.number().int().nullish(),
  orderKey: text,
  orderNumber: text,
  createDate: z.string(),
  shipDate: text,
  trackingNumber: text,
  carrierCode: text,
  serviceCode: text,
  voided: z.boolean().default(false),
  shipmentItems: z
    .array(
      z.looseObject({
        lineItemKey: text,
        sku: text,
        quantity: z.number().int(),
      }),
    )
    .nullish(),
});
export type ShipStationShipment = z.infer<typeof ShipStationShipment>;

/** A page of a list endpoint. */
const page = {
  total: z.number().int().default(0),
  page: z.number().int().default(1),
  pages: z.number().int().default(0),
};
/** A page of `GET /shipments`: rows are checked one by one (see `listShipments`). */
export const ShipmentPage = z.looseObject({ shipments: z.array(z.unknown()), ...page });
export const OrderPage = z.looseObject({ orders: z.array(ShipStationOrder), ...page });

/** The body of a ShipStation webhook call: only a hint where to look. */
export const WebhookBody = z.object({
  resource_url: z.string().min(1).max(2000),
  resource_type: z.string().min(1).max(64),
});
