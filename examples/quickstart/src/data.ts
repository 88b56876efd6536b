/** Pools of realistic values for the scenario generator. Plain data, no logic. */

export interface City {
  city: string;
  /** State / province code; absent where the country has none in common use. */
  province?: string;
  country: string;
  postalCode: string;
  lat: number;
  lon: number;
  /** Relative share of customers living there. */
  weight: number;
}

type CityRow = [string, string | undefined, string, number, number, number];

function cities(country: string, rows: CityRow[]): City[] {
  return rows.map(([city, province, postalCode, lat, lon, weight]) => ({
    city,
    ...(province === undefined ? {} : { province }),
    country,
    postalCode,
    lat,
    lon,
    weight,
  }));
}

export const US_CITIES: City[] = cities('US', [
  ['New York', 'NY', '10001', 40.7506, -73.9972, 10],
  ['Brooklyn', 'NY', '11215', 40.6681, -73.9806, 6],
  ['Boston', 'MA', '02116', 42.3496, -71.0746, 5],
  ['Philadelphia', 'PA', '19103', 39.9526, -75.1652, 5],
  ['Pittsburgh', 'PA', '15213', 40.4443, -79.9532, 2],
  ['Washington', 'DC', '20009', 38.9193, -77.0374, 4],
  ['Baltimore', 'MD', '21201', 39.2946, -76.6252, 2],
  ['Wilmington', 'DE', '19801', 39.7391, -75.5398, 1],
  ['Manchester', 'NH', '03101', 42.9956, -71.4548, 1],
  ['Atlanta', 'GA', '30308', 33.7717, -84.38, 4],
  ['Miami', 'FL', '33130', 25.767, -80.2044, 4],
  ['Orlando', 'FL', '32801', 28.5421, -81.379, 2],
  ['Charlotte', 'NC', '28202', 35.2271, -80.8431, 3],
  ['Raleigh', 'NC', '27601', 35.7727, -78.6382, 2],
  ['Nashville', 'TN', '37203', 36.1505, -86.789, 3],
  ['Chicago', 'IL', '60614', 41.9227, -87.6533, 7],
  ['Detroit', 'MI', '48226', 42.3314, -83.0458, 2],
  ['Columbus', 'OH', '43215', 39.9612, -82.9988, 2],
  ['Minneapolis', 'MN', '55401', 44.9848, -93.27, 3],
  ['St. Louis', 'MO', '63101', 38.6313, -90.1922, 2],
  ['Austin', 'TX', '78701', 30.2711, -97.7437, 4],
  ['Dallas', 'TX', '75201', 32.7876, -96.7994, 4],
  ['Houston', 'TX', '77002', 29.756, -95.365, 4],
  ['Denver', 'CO', '80202', 39.7525, -104.9995, 4],
  ['Billings', 'MT', '59101', 45.7833, -108.5007, 1],
  ['Salt Lake City', 'UT', '84101', 40.7545, -111.8977, 2],
  ['Phoenix', 'AZ', '85004', 33.4515, -112.0685, 3],
  ['Las Vegas', 'NV', '89101', 36.175, -115.1372, 2],
  ['Boise', 'ID', '83702', 43.615, -116.2023, 1],
  ['Los Angeles', 'CA', '90012', 34.0614, -118.2385, 8],
  ['San Diego', 'CA', '92101', 32.7157, -117.1611, 3],
  ['San Francisco', 'CA', '94110', 37.7486, -122.4158, 6],
  ['Oakland', 'CA', '94612', 37.8085, -122.2668, 2],
  ['Sacramento', 'CA', '95814', 38.5816, -121.4944, 2],
  ['Portland', 'OR', '97205', 45.5202, -122.6847, 4],
  ['Seattle', 'WA', '98122', 47.6116, -122.305, 5],
  ['Honolulu', 'HI', '96813', 21.3069, -157.8583, 1],
  ['Anchorage', 'AK', '99501', 61.2181, -149.9003, 0.5],
]);

export const INTL_CITIES: City[] = [
  ...cities('CA', [
    ['Toronto', 'ON', 'M5V 2T6', 43.6426, -79.3871, 3],
    ['Vancouver', 'BC', 'V6B 1A1', 49.2827, -123.1207, 2],
  ]),
  ...cities('GB', [
    ['London', undefined, 'EC1V 9HX', 51.5265, -0.0878, 3],
    ['Manchester', undefined, 'M1 1AE', 53.4808, -2.2426, 1],
  ]),
  ...cities('DE', [
    ['Berlin', undefined, '10115', 52.5321, 13.3849, 2],
    ['München', undefined, '80331', 48.1374, 11.5755, 1],
  ]),
];

/** A telephone area code per US state / Canadian province. */
// biome-ignore format: a table
export const AREA_CODES: Record<string, string> = {
  NY: '212', MA: '617', PA: '215', DC: '202', MD: '410', DE: '302', NH: '603', GA: '404',
  FL: '305', NC: '704', TN: '615', IL: '312', MI: '313', OH: '614', MN: '612', MO: '314',
  TX: '512', CO: '303', MT: '406', UT: '801', AZ: '602', NV: '702', ID: '208', CA: '415',
  OR: '503', WA: '206', HI: '808', AK: '907', ON: '416', BC: '604',
};

/** US states without a sales tax. */
export const NO_SALES_TAX = new Set(['DE', 'MT', 'NH', 'OR', 'AK']);

export const FIRST_NAMES = (
  'Olivia Liam Emma Noah Ava Elijah Sophia James Isabella Lucas Mia Mateo Amelia Ethan ' +
  'Harper Aiden Priya Wei Fatima Diego Chloe Samuel Grace Daniel Zoe Omar Hannah Kenji ' +
  'Maya Jamal Leah Carlos Nora Arjun Sofia Ben Rosa Tyler Aisha Marcus'
).split(' ');

export const LAST_NAMES = (
  'Smith Johnson Williams Brown Garcia Miller Davis Rodriguez Martinez Hernandez Lopez ' +
  'Wilson Anderson Thomas Taylor Moore Lee Nguyen Patel Kim Chen Walker Hall Young ' +
  'Allen King Wright Scott Green Baker Adams Nelson Rivera Campbell Mitchell Okafor ' +
  'Schmidt Cohen Murphy Rossi'
).split(' ');

export const STREETS = (
  'Main St|Oak Ave|Maple Dr|Cedar Ln|Park Ave|Elm St|Washington Blvd|Lakeview Dr|' +
  'Hillcrest Rd|Sunset Blvd|Pine St|Highland Ave|River Rd|Church St|Market St|Broadway|' +
  '2nd Ave|Willow Way|Chestnut St|Spruce Ct'
).split('|');

export const EMAIL_DOMAINS: [string, number][] = [
  ['gmail.com', 55],
  ['yahoo.com', 10],
  ['icloud.com', 14],
  ['outlook.com', 9],
  ['hotmail.com', 5],
  ['proton.me', 3],
  ['fastmail.com', 1],
];

export const DISPOSABLE_DOMAINS = [
  'mailinator.com',
  'guerrillamail.com',
  'yopmail.com',
  'sharklasers.com',
  '10minutemail.com',
];

/** Billing countries used by the risky orders' mismatched billing addresses. */
export const MISMATCH_BILLING: City[] = [
  ...cities('BR', [['São Paulo', 'SP', '01310-100', -23.5613, -46.6565, 1]]),
  ...cities('NL', [['Amsterdam', undefined, '1012 JS', 52.3731, 4.8922, 1]]),
  ...cities('SG', [['Singapore', undefined, '018989', 1.2834, 103.8607, 1]]),
  ...cities('FR', [['Paris', undefined, '75002', 48.8686, 2.3431, 1]]),
];

/**
 * Order notes as customers write them, with weights. Placeholders, filled per order:
 * `{shipAfter}` / `{needByDate}` (e.g. `Dec 20`), `{needBy}` (a weekday), `{size}`,
 * `{newAddress}`, `{orderRef}` (e.g. `#1042`), `{gateCode}`.
 */
export const NOTES: [string, number][] = [
  ["Please gift wrap, it's a birthday present", 6],
  ["Please gift wrap and don't include the receipt. Thank you!", 3],
  ['Leave at back door', 5],
  ['Please leave it with the front desk / concierge', 2],
  ['please ship after {shipAfter}', 3],
  ["Can you hold this until {shipAfter}? We're traveling until then.", 2],
  ['Can I change the size to {size}?', 3],
  ['Please use less plastic', 3],
  ['Fragile - glass inside', 2],
  ['thanks!', 6],
  ['n/a', 4],
  ['.', 1],
  ['Need it by {needBy}', 4],
  ['Need this by {needByDate} for a wedding, can you ship it fast?', 2],
  ['I moved, new address is {newAddress}', 2],
  ['Please do not ring the doorbell, baby sleeping 🙏', 2],
  ['Is it possible to combine this with my previous order {orderRef}?', 2],
  ['Please include a gift receipt', 3],
  ['Happy birthday Mom! (please write this on the card)', 2],
  ['Gate code is {gateCode}', 2],
  ['Please ship everything together, no partial shipments', 2],
  ['Cancel this please, I ordered the wrong color', 1],
  ['Hi! Love your shop :)', 2],
];

export const GIFT_MESSAGES = [
  'Happy birthday! Love, Mia',
  'Congrats on the new place!',
  'Thinking of you. xo',
  'Merry Christmas from the Garcias',
  'Thank you for everything - Sam',
  'Welcome to the team!',
];

export const MONOGRAMS = ['J.R.', 'A.K.', 'M&D', 'LUCY', 'E.T.W.', 'Sam', 'R+J'];

export const CANCEL_REASONS: [string, number][] = [
  ['customer', 6],
  ['inventory', 1],
  ['declined', 1],
  ['other', 1],
];

/**
 * Relative order volume per local hour (store time zone) 0..23: quiet nights, a lunch
 * bump and an evening peak.
 */
export const HOURLY_WEIGHTS = [
  2, 1, 1, 0.5, 0.5, 1, 2, 4, 5, 6, 7, 8, 9, 8, 7, 7, 7, 7, 8, 10, 11, 10, 7, 4,
];
