/**
 * Approximate coordinates (the largest city) of US states and Canadian provinces, used to
 * place a destination that an export gives without coordinates (Shopify's CSV has none), so
 * the router's distance costs still tell near from far. Accurate to a few hundred km, which
 * is what choosing between warehouses on different coasts needs.
 */
// biome-ignore format: a table
const PLACES: Record<string, [number, number]> = {
  'US-AL': [33.52, -86.8], 'US-AK': [61.22, -149.9], 'US-AZ': [33.45, -112.07], 'US-AR': [34.75, -92.29],
  'US-CA': [34.05, -118.24], 'US-CO': [39.74, -104.99], 'US-CT': [41.76, -72.68], 'US-DE': [39.74, -75.55],
  'US-DC': [38.91, -77.04], 'US-FL': [25.76, -80.19], 'US-GA': [33.75, -84.39], 'US-HI': [21.31, -157.86],
  'US-ID': [43.62, -116.2], 'US-IL': [41.88, -87.63], 'US-IN': [39.77, -86.16], 'US-IA': [41.59, -93.62],
  'US-KS': [37.69, -97.34], 'US-KY': [38.25, -85.76], 'US-LA': [29.95, -90.07], 'US-ME': [43.66, -70.26],
  'US-MD': [39.29, -76.61], 'US-MA': [42.36, -71.06], 'US-MI': [42.33, -83.05], 'US-MN': [44.98, -93.27],
  'US-MS': [32.3, -90.18], 'US-MO': [38.63, -90.2], 'US-MT': [45.78, -108.5], 'US-NE': [41.26, -95.93],
  'US-NV': [36.17, -115.14], 'US-NH': [42.99, -71.46], 'US-NJ': [40.74, -74.17], 'US-NM': [35.08, -106.65],
  'US-NY': [40.71, -74.01], 'US-NC': [35.23, -80.84], 'US-ND': [46.88, -96.79], 'US-OH': [39.96, -83.0],
  'US-OK': [35.47, -97.52], 'US-OR': [45.52, -122.68], 'US-PA': [39.95, -75.17], 'US-RI': [41.82, -71.41],
  'US-SC': [32.78, -79.93], 'US-SD': [43.55, -96.73], 'US-TN': [36.16, -86.78], 'US-TX': [29.76, -95.37],
  'US-UT': [40.76, -111.89], 'US-VT': [44.48, -73.21], 'US-VA': [36.85, -75.98], 'US-WA': [47.61, -122.33],
  'US-WV': [38.35, -81.63], 'US-WI': [43.04, -87.91], 'US-WY': [41.14, -104.82], 'US-PR': [18.47, -66.11],
  'CA-AB': [51.05, -114.07], 'CA-BC': [49.28, -123.12], 'CA-MB': [49.9, -97.14], 'CA-NB': [45.96, -66.64],
  'CA-NL': [47.56, -52.71], 'CA-NS': [44.65, -63.58], 'CA-ON': [43.65, -79.38], 'CA-PE': [46.24, -63.13],
  'CA-QC': [45.5, -73.57], 'CA-SK': [52.13, -106.67],
  US: [39.83, -98.58], CA: [45.42, -75.7], GB: [51.51, -0.13], DE: [52.52, 13.4], FR: [48.86, 2.35],
  NL: [52.37, 4.9], BR: [-23.55, -46.63], SG: [1.29, 103.85], AU: [-33.87, 151.21], MX: [19.43, -99.13],
};

/** Approximate `[lat, lon]` for a country (ISO alpha-2) and province code, if known. */
export function approximatePlace(
  country: string | undefined,
  province: string | undefined,
): [number, number] | undefined {
  const c = country?.toUpperCase();
  if (!c) return undefined;
  return PLACES[`${c}-${province?.toUpperCase() ?? ''}`] ?? PLACES[c];
}
