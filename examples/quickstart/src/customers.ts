import type { Address, OrderInput } from '@fulfil/core';
import type { Product } from './catalog';
import { CATALOG, STORE } from './catalog';
import type { City } from './data';
import {
  AREA_CODES,
  DISPOSABLE_DOMAINS,
  EMAIL_DOMAINS,
  FIRST_NAMES,
  GIFT_MESSAGES,
  INTL_CITIES,
  LAST_NAMES,
  MISMATCH_BILLING,
  MONOGRAMS,
  NO_SALES_TAX,
  NOTES,
  STREETS,
  US_CITIES,
} from './data';
import type { Random } from './random';

/** A shopper. `placed` counts orders placed during the run. */
export interface Customer {
  id: string;
  first: string;
  last: string;
  email: string;
  phone?: string;
  address: Address;
  vip: boolean;
  newsletter: boolean;
  /** Orders placed before the run. 0: a first-time customer. */
  prior: number;
  placed: number;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function phoneFor(rng: Random, city: City): string | undefined {
  if (rng.chance(0.3)) return undefined;
  const tail = pad(rng.int(0, 99), 2);
  if (city.country === 'US' || city.country === 'CA') {
    return `+1${AREA_CODES[city.province ?? ''] ?? '212'}55501${tail}`;
  }
  if (city.country === 'GB') return `+44207946${pad(rng.int(0, 999), 4)}`;
  return `+4930${pad(rng.int(0, 99_999_999), 8)}`;
}

function addressIn(rng: Random, city: City, name: string, phone?: string): Address {
  return {
    name,
    line1: `${rng.int(2, 4999)} ${rng.pick(STREETS)}`,
    ...(rng.chance(0.2) ? { line2: `Apt ${rng.int(1, 30)}${rng.pick(['A', 'B', 'C', 'D'])}` } : {}),
    city: city.city,
    ...(city.province === undefined ? {} : { province: city.province }),
    postalCode: city.postalCode,
    country: city.country,
    ...(phone === undefined ? {} : { phone }),
    lat: Math.round((city.lat + rng.float(-0.04, 0.04)) * 1e4) / 1e4,
    lon: Math.round((city.lon + rng.float(-0.04, 0.04)) * 1e4) / 1e4,
  };
}

function makeCustomer(rng: Random, n: number, international: boolean): Customer {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const cities = international ? INTL_CITIES : US_CITIES;
  const city = rng.weighted(cities.map((c) => [c, c.weight] as const));
  const phone = phoneFor(rng, city);
  const handle = `${first}.${last}${rng.chance(0.4) ? rng.int(1, 99) : ''}`.toLowerCase();
  const vip = rng.chance(0.1);
  return {
    id: `cus_${pad(n, 5)}`,
    first,
    last,
    email: `${handle}@${rng.weighted(EMAIL_DOMAINS)}`,
    ...(phone === undefined ? {} : { phone }),
    address: addressIn(rng, city, `${first} ${last}`, phone),
    vip,
    newsletter: rng.chance(0.35),
    prior: vip
      ? rng.int(6, 40)
      : rng.weighted([
          [0, 45],
          [rng.int(1, 3), 40],
          [rng.int(4, 12), 15],
        ]),
    placed: 0,
  };
}

/** A pool of `count` customers: ~4% abroad (CA, GB, DE), ~10% VIP. */
export function createCustomers(rng: Random, count: number): Customer[] {
  return Array.from({ length: count }, (_, i) => makeCustomer(rng, i + 1, rng.chance(0.04)));
}

/** A new, one-off customer behind a risky order, often with a throwaway email. */
export function riskyCustomer(rng: Random, n: number): Customer {
  const customer = makeCustomer(rng, n, false);
  return { ...customer, vip: false, newsletter: false, prior: 0 };
}

function pickProducts(rng: Random, count: number, pool: readonly Product[]): Product[] {
  const chosen = new Set<Product>();
  const pairs = pool.map((p) => [p, p.popularity] as const);
  while (chosen.size < Math.min(count, pool.length)) chosen.add(rng.weighted(pairs));
  return [...chosen];
}

const dateFmt = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  timeZone: STORE.timeZone,
});
const weekdayFmt = new Intl.DateTimeFormat('en-US', {
  weekday: 'long',
  timeZone: STORE.timeZone,
});

function writeNote(rng: Random, at: number, seq: number): string {
  const day = 86_400_000;
  const fill: Record<string, () => string> = {
    shipAfter: () => dateFmt.format(at + rng.int(4, 12) * day),
    needByDate: () => dateFmt.format(at + rng.int(3, 6) * day),
    needBy: () => weekdayFmt.format(at + rng.int(2, 5) * day),
    size: () => rng.pick(['S', 'M', 'L', 'XL']),
    newAddress: () => {
      const c = rng.pick(US_CITIES);
      return `${rng.int(2, 999)} ${rng.pick(STREETS)}, ${c.city} ${c.province} ${c.postalCode}`;
    },
    orderRef: () => `#${1000 + Math.max(1, seq - rng.int(1, 40))}`,
    gateCode: () => `${rng.int(1000, 9999)}#`,
  };
  return rng.weighted(NOTES).replace(/\{(\w+)\}/g, (m, key: string) => fill[key]?.() ?? m);
}

type Signal = 'storeRisk' | 'billingMismatch' | 'disposableEmail' | 'highTotal';

/** Builds one order (valid against the core `Order` schema). Money in integer cents. */
export function buildOrder(
  rng: Random,
  input: { seq: number; at: number; customer: Customer; risky: boolean; externalId: bigint },
): OrderInput {
  const { seq, at, customer, risky } = input;
  const id = `ord_${pad(seq, 6)}`;
  const signals = new Set<Signal>(
    risky
      ? rng
          .shuffle<Signal>(['storeRisk', 'billingMismatch', 'disposableEmail', 'highTotal'])
          .slice(0, rng.int(2, 4))
      : [],
  );
  const createdAt = new Date(at).toISOString();

  // Lines: mostly 1-4 distinct products, occasionally a big order or a team order.
  const shape = signals.has('highTotal')
    ? 'luxury'
    : rng.weighted<'normal' | 'big' | 'team'>([
        ['normal', 97],
        ['big', 2],
        ['team', 1],
      ]);
  const lines: OrderInput['lines'] = [];
  const addLine = (product: Product, quantity: number) => {
    const properties =
      product.personalizable && rng.chance(0.1)
        ? [{ name: 'Monogram', value: rng.pick(MONOGRAMS) }]
        : [];
    lines.push({
      id: `li_${pad(seq, 6)}_${lines.length + 1}`,
      sku: product.sku,
      title: product.title,
      quantity,
      unitPrice: product.price,
      ...(properties.length > 0 ? { properties } : {}),
    });
  };
  if (shape === 'luxury') {
    const pricey = CATALOG.products.filter((p) => p.price >= 6800);
    for (const p of pickProducts(rng, rng.int(2, 3), pricey)) addLine(p, rng.int(3, 6));
  } else if (shape === 'team') {
    const tee = rng.pick(CATALOG.products.filter((p) => p.sku.startsWith('TEE-')));
    addLine(tee, rng.int(12, 24));
  } else {
    const count =
      shape === 'big'
        ? rng.int(6, 10)
        : rng.weighted([
            [1, 45],
            [2, 30],
            [3, 16],
            [4, 9],
          ]);
    const qty = () =>
      rng.weighted([
        [1, 82],
        [2, 13],
        [3, 3],
        [4, 2],
      ]);
    for (const p of pickProducts(rng, count, CATALOG.products)) addLine(p, qty());
  }
  if (!risky && rng.chance(0.08)) {
    const kit = rng.weighted(CATALOG.kits.map((k) => [k, k.popularity] as const));
    const line = {
      id: `li_${pad(seq, 6)}_${lines.length + 1}`,
      sku: kit.sku,
      title: kit.title,
      quantity: rng.weighted([
        [1, 9],
        [2, 1],
      ]),
      unitPrice: kit.price,
      kit: { components: kit.components, splittable: kit.splittable },
    };
    if (lines.length > 1 && rng.chance(0.5)) lines[0] = { ...line, id: lines[0]!.id };
    else lines.push(line);
  }

  // Money.
  const ship = customer.address;
  const domestic = ship.country === 'US';
  const expedited = rng.chance(risky ? 0.6 : 0.15);
  const subtotal = lines.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0);
  const firstOrder = customer.prior + customer.placed === 1;
  let discounts = 0;
  if (firstOrder && rng.chance(0.3)) discounts = Math.round(subtotal * 0.1);
  else if (subtotal >= 6000 && rng.chance(0.05)) discounts = 1000;
  let method = 'Standard Shipping';
  let shipping = 695;
  if (!domestic)
    [method, shipping] = expedited
      ? ['International Express', 4995]
      : ['International Standard', 2495];
  else if (expedited)
    [method, shipping] = rng.chance(0.7) ? ['Express (2-day)', 1895] : ['Overnight', 3495];
  else if (subtotal - discounts >= 7500) [method, shipping] = ['Free Standard Shipping', 0];
  const taxable = domestic && !NO_SALES_TAX.has(ship.province ?? '');
  const tax = taxable ? Math.round((subtotal - discounts) * 0.08) : 0;

  // Risk signals.
  const email = signals.has('disposableEmail')
    ? `${customer.first.toLowerCase()}${rng.int(100, 9999)}@${rng.pick(DISPOSABLE_DOMAINS)}`
    : customer.email;
  const billing = signals.has('billingMismatch')
    ? addressIn(rng, rng.pick(MISMATCH_BILLING), `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`)
    : ship;
  const high = rng.chance(0.6);
  const storeRisk = signals.has('storeRisk')
    ? high
      ? { level: 'high' as const, recommendation: 'cancel' as const, score: rng.int(75, 98) }
      : { level: 'medium' as const, recommendation: 'investigate' as const, score: rng.int(45, 70) }
    : { level: 'low' as const, recommendation: 'accept' as const, score: rng.int(0, 20) };

  const note = rng.chance(0.25) ? writeNote(rng, at, seq) : null;
  const giftMessage = rng.chance(0.05) ? rng.pick(GIFT_MESSAGES) : undefined;
  const numericId = input.externalId.toString();
  return {
    id,
    source: {
      channel: STORE.channel,
      store: STORE.domain,
      externalId: `gid://shopify/Order/${numericId}`,
      name: `#${1000 + seq}`,
      adminUrl: `https://admin.shopify.com/store/${STORE.handle}/orders/${numericId}`,
    },
    customer: {
      id: customer.id,
      email,
      ...(customer.phone === undefined || risky ? {} : { phone: customer.phone }),
      tags: [...(customer.vip ? ['VIP'] : []), ...(customer.newsletter ? ['newsletter'] : [])],
      ordersCount: customer.prior + customer.placed,
    },
    shippingAddress: ship,
    billingAddress: billing,
    lines,
    note,
    noteAttributes: giftMessage === undefined ? [] : [{ name: 'gift_message', value: giftMessage }],
    tags: shape === 'team' ? ['wholesale'] : giftMessage === undefined ? [] : ['gift'],
    paymentStatus: risky
      ? 'paid'
      : rng.weighted<'paid' | 'pending' | 'authorized'>([
          ['paid', 90],
          ['pending', 8],
          ['authorized', 2],
        ]),
    shipping: { method, expedited },
    currency: 'USD',
    totals: { subtotal, shipping, tax, discounts, total: subtotal - discounts + shipping + tax },
    ...(risky || rng.chance(0.9) ? { storeRisk } : {}),
    clientIp: `${risky ? '192.0.2' : rng.pick(['203.0.113', '198.51.100'])}.${rng.int(1, 254)}`,
    createdAt,
    updatedAt: createdAt,
  };
}
