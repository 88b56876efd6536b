import type { InventorySnapshot, Location } from '@fulfil/core';

/** A sellable item. Prices are integer minor units (USD cents). */
export interface Product {
  sku: string;
  title: string;
  category: 'apparel' | 'home' | 'paper';
  price: number;
  /** Relative demand weight (how often it lands in a cart). */
  popularity: number;
  fragile?: boolean;
  /** Mugs and journals can be monogrammed (a line property). */
  personalizable?: boolean;
}

/** A bundle sold as one line that ships as its components. */
export interface Kit {
  sku: string;
  title: string;
  price: number;
  components: { sku: string; quantity: number }[];
  /** May the components ship from different locations? */
  splittable: boolean;
  popularity: number;
}

export interface Catalog {
  products: Product[];
  kits: Kit[];
}

export type LocationId = 'east' | 'west';

function product(
  sku: string,
  title: string,
  category: Product['category'],
  price: number,
  popularity: number,
  extra: Pick<Product, 'fragile' | 'personalizable'> = {},
): Product {
  return { sku, title, category, price, popularity, ...extra };
}

/** The simulated Shopify store (ids and links in generated orders use it). */
export const STORE = {
  channel: 'shopify',
  domain: 'demo-store.myshopify.com',
  handle: 'demo-store',
  timeZone: 'America/New_York',
  /** Fixed UTC offset used for the daily order curve (EST). */
  utcOffsetHours: -5,
} as const;

/** A small apparel and home-goods store. */
export const CATALOG: Catalog = {
  products: [
    product('TEE-BLK-S', 'Classic Tee - Black / S', 'apparel', 2800, 5),
    product('TEE-BLK-M', 'Classic Tee - Black / M', 'apparel', 2800, 9),
    product('TEE-BLK-L', 'Classic Tee - Black / L', 'apparel', 2800, 8),
    product('TEE-BLK-XL', 'Classic Tee - Black / XL', 'apparel', 2800, 4),
    product('TEE-WHT-S', 'Classic Tee - White / S', 'apparel', 2800, 3),
    product('TEE-WHT-M', 'Classic Tee - White / M', 'apparel', 2800, 6),
    product('TEE-WHT-L', 'Classic Tee - White / L', 'apparel', 2800, 5),
    product('HOOD-GRY-M', 'Heavyweight Hoodie - Grey / M', 'apparel', 6800, 6),
    product('HOOD-GRY-L', 'Heavyweight Hoodie - Grey / L', 'apparel', 6800, 5),
    product('CAP-NVY', 'Canvas Cap - Navy', 'apparel', 3200, 4),
    product('SOCK-MER-3PK', 'Merino Socks (3-pack)', 'apparel', 2400, 7),
    product('TOTE-NAT', 'Canvas Tote - Natural', 'apparel', 2200, 5),
    product('MUG-STN-12', 'Stoneware Mug 12oz', 'home', 2400, 8, { personalizable: true }),
    product('MUG-STN-SET4', 'Stoneware Mug Set of 4', 'home', 8800, 3),
    product('CNDL-CED-8', 'Cedar & Smoke Candle 8oz', 'home', 3400, 7),
    product('CNDL-FIG-8', 'Fig Leaf Candle 8oz', 'home', 3400, 6),
    product('CARD-THX', 'Letterpress Thank You Card', 'paper', 600, 4),
    product('JOUR-LIN-A5', 'Linen Journal A5', 'paper', 1800, 4, { personalizable: true }),
    product('THRW-WOOL-GRY', 'Wool Throw Blanket - Grey', 'home', 14800, 3),
    product('PLNT-CER-M', 'Ceramic Planter - Medium', 'home', 4200, 3, { fragile: true }),
    product('VASE-GLS-TALL', 'Tall Glass Vase', 'home', 5600, 2, { fragile: true }),
    product('BOARD-OAK', 'Oak Serving Board', 'home', 7200, 3),
    product('TOWEL-LIN-2', 'Linen Tea Towels (set of 2)', 'home', 2600, 4),
    product('PILW-LIN-18', 'Linen Pillow Cover 18"', 'home', 3800, 3),
    product('LAMP-BRS', 'Brass Table Lamp', 'home', 18900, 1.5, { fragile: true }),
  ],
  kits: [
    {
      sku: 'GIFT-BOX-1',
      title: 'Cozy Gift Box (candle, mug, card)',
      price: 5400,
      components: [
        { sku: 'CNDL-CED-8', quantity: 1 },
        { sku: 'MUG-STN-12', quantity: 1 },
        { sku: 'CARD-THX', quantity: 1 },
      ],
      splittable: false,
      popularity: 5,
    },
    {
      sku: 'GIFT-BOX-HOST',
      title: 'Host Gift Set (board, towels, candle, card)',
      price: 11200,
      components: [
        { sku: 'BOARD-OAK', quantity: 1 },
        { sku: 'TOWEL-LIN-2', quantity: 1 },
        { sku: 'CNDL-FIG-8', quantity: 1 },
        { sku: 'CARD-THX', quantity: 1 },
      ],
      splittable: true,
      popularity: 3,
    },
    {
      sku: 'TEE-3PK-BLK-M',
      title: 'Classic Tee 3-Pack - Black / M',
      price: 7200,
      components: [{ sku: 'TEE-BLK-M', quantity: 3 }],
      splittable: false,
      popularity: 2,
    },
  ],
};

/** Two warehouses: the east coast one is preferred on ties and does gift wrap. */
export const LOCATIONS: Location[] = [
  {
    id: 'east',
    name: 'East DC (Newark, NJ)',
    warehouse: 'east-wh',
    priority: 10,
    address: {
      name: 'East DC',
      line1: '200 Port St',
      country: 'US',
      province: 'NJ',
      city: 'Newark',
      postalCode: '07114',
      lat: 40.6943,
      lon: -74.1527,
    },
    capabilities: ['gift_wrap', 'fragile', 'express', 'personalization'],
    open: true,
  },
  {
    id: 'west',
    name: 'West DC (Reno, NV)',
    warehouse: 'west-wh',
    priority: 20,
    address: {
      name: 'West DC',
      line1: '1455 Greg St',
      country: 'US',
      province: 'NV',
      city: 'Reno',
      postalCode: '89431',
      lat: 39.5243,
      lon: -119.7713,
    },
    capabilities: ['fragile', 'express'],
    open: true,
  },
];

/**
 * Units on hand at the start, sized for 500 orders over 3 days (see `initialStock`).
 * Most SKUs are comfortable at both locations. Thin at one location (orders ship from
 * the far one or split): HOOD-GRY-M and CNDL-CED-8 east, MUG-STN-12 and TOWEL-LIN-2
 * west. One location only: JOUR-LIN-A5 and VASE-GLS-TALL east, THRW-WOOL-GRY and
 * PLNT-CER-M west. Sell out everywhere (backorders): TEE-WHT-S and LAMP-BRS (never
 * restocked), PILW-LIN-18 (restocked west); HOOD-GRY-M, MUG-STN-12 and CNDL-CED-8 are thin
 * everywhere until restocked. With 500 orders, ~10-40% of orders cannot
 * be served whole by their nearest location.
 */
const BASE_STOCK: Record<LocationId, Record<string, number>> = {
  // biome-ignore format: a table
  east: {
    'TEE-BLK-S': 60, 'TEE-BLK-M': 110, 'TEE-BLK-L': 80, 'TEE-BLK-XL': 60,
    'TEE-WHT-S': 5, 'TEE-WHT-M': 60, 'TEE-WHT-L': 55,
    'HOOD-GRY-M': 6, 'HOOD-GRY-L': 70, 'CAP-NVY': 45, 'SOCK-MER-3PK': 50, 'TOTE-NAT': 50,
    'MUG-STN-12': 20, 'MUG-STN-SET4': 40, 'CNDL-CED-8': 6, 'CNDL-FIG-8': 65, 'CARD-THX': 80,
    'JOUR-LIN-A5': 60, 'THRW-WOOL-GRY': 0, 'PLNT-CER-M': 0, 'VASE-GLS-TALL': 35,
    'BOARD-OAK': 55, 'TOWEL-LIN-2': 55, 'PILW-LIN-18': 3, 'LAMP-BRS': 2,
  },
  // biome-ignore format: a table
  west: {
    'TEE-BLK-S': 40, 'TEE-BLK-M': 70, 'TEE-BLK-L': 45, 'TEE-BLK-XL': 45,
    'TEE-WHT-S': 3, 'TEE-WHT-M': 40, 'TEE-WHT-L': 40,
    'HOOD-GRY-M': 14, 'HOOD-GRY-L': 50, 'CAP-NVY': 35, 'SOCK-MER-3PK': 45, 'TOTE-NAT': 35,
    'MUG-STN-12': 6, 'MUG-STN-SET4': 30, 'CNDL-CED-8': 12, 'CNDL-FIG-8': 50, 'CARD-THX': 60,
    'JOUR-LIN-A5': 0, 'THRW-WOOL-GRY': 60, 'PLNT-CER-M': 45, 'VASE-GLS-TALL': 0,
    'BOARD-OAK': 40, 'TOWEL-LIN-2': 10, 'PILW-LIN-18': 2, 'LAMP-BRS': 4,
  },
};

/**
 * Restocks during the run: which SKUs each location receives, and how many units per
 * delivery (for 500 orders). SKUs not listed here never come back (holds on them expire).
 */
export const RESTOCK_PLAN: Record<LocationId, { sku: string; units: number }[]> = {
  east: [
    { sku: 'HOOD-GRY-M', units: 20 },
    { sku: 'CNDL-CED-8', units: 25 },
    { sku: 'TEE-BLK-M', units: 30 },
    { sku: 'SOCK-MER-3PK', units: 20 },
  ],
  west: [
    { sku: 'MUG-STN-12', units: 20 },
    { sku: 'TOWEL-LIN-2', units: 15 },
    { sku: 'PILW-LIN-18', units: 12 },
    { sku: 'TEE-BLK-L', units: 20 },
  ],
};

function scaled(units: number, scale: number): number {
  return units === 0 ? 0 : Math.max(1, Math.round(units * scale));
}

/** Starting stock for a run of `orders` orders (scaled linearly from 500). */
export function initialStock(orders: number): InventorySnapshot {
  const scale = orders / 500;
  const out: InventorySnapshot = {};
  for (const [locationId, skus] of Object.entries(BASE_STOCK)) {
    const row: Record<string, number> = {};
    for (const product of CATALOG.products)
      row[product.sku] = scaled(skus[product.sku] ?? 0, scale);
    out[locationId] = row;
  }
  return out;
}

/** Units one restock delivery brings for a run of `orders` orders. */
export function restockUnits(units: number, orders: number): number {
  return scaled(units, orders / 500);
}

/** The product with this SKU, or undefined. */
export function findProduct(sku: string): Product | undefined {
  return CATALOG.products.find((p) => p.sku === sku);
}
