/** Throwaway email domains (a short list; extend it with `disposableDomains`). */
export const DISPOSABLE_DOMAINS: readonly string[] = [
  'mailinator.com',
  'guerrillamail.com',
  '10minutemail.com',
  'tempmail.com',
  'temp-mail.org',
  'yopmail.com',
  'trashmail.com',
  'sharklasers.com',
  'getnada.com',
  'dispostable.com',
  'maildrop.cc',
  'throwawaymail.com',
  'guerrillamail.net',
  'mailnesia.com',
  'mintemail.com',
  'fakeinbox.com',
  'spamgourmet.com',
  'emailondeck.com',
  'mohmal.com',
  'tempail.com',
];

/**
 * Names of parcel-forwarding services as they appear in shipping addresses
 * (company, line 1 or 2). Matching is on normalized text. Add known forwarder
 * addresses of your own with `forwarders.addresses`.
 */
export const FREIGHT_FORWARDER_NAMES: readonly string[] = [
  'myus',
  'shipito',
  'stackry',
  'planet express',
  'forward2me',
  'reship',
  'borderlinx',
  'comgateway',
  'viabox',
  'usgobuy',
  'shop and ship',
  'shopandship',
  'package forwarding',
  'parcel forwarding',
  'freight forwarder',
  'mail forwarding',
];
