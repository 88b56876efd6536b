/**
 * The demo store's configuration, in the one file hosts and the `fulfil` CLI read:
 * `npx fulfil audit --orders sample.csv --config examples/quickstart/fulfil.config.ts`.
 * The demo's engine (`src/world.ts`) is built from it too.
 */
import { defineConfig } from '@fulfil/core';
import { CATALOG, LOCATIONS, STORE } from './src/catalog';
import { DEMO_RULES } from './src/rules';

export default defineConfig({
  locations: LOCATIONS,
  rules: DEMO_RULES,
  // Shopify exports name a bundle's SKU only; its components come from here.
  kits: Object.fromEntries(
    CATALOG.kits.map((k) => [k.sku, { components: k.components, splittable: k.splittable }]),
  ),
  notes: {},
  risk: { typicalOrderTotal: 9000 },
  timeZone: STORE.timeZone,
  store: {
    domain: STORE.domain,
    adminUrl: `https://admin.shopify.com/store/${STORE.handle}/orders/{externalId}`,
    currency: 'USD',
  },
});
