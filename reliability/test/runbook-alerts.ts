// The alerts the engine and the adapters can raise, each with a stable id: the id is the
// heading of its section in docs/runbook.md (`### \`id\``). runbook.test.ts checks this
// list against the code (every alert-producing call site in packages/*/src is covered by
// exactly one entry: `file` and a `match` text found in the call or its next lines) and
// against the runbook. A new alert in the code: add an entry here and a section there.

/** One kind of alert and the call sites that raise it. */
export interface AlertKind {
  id: string;
  sites: { file: string; match: string }[];
}

const core = (file: string) => `packages/core/src/${file}`;

export const ALERT_KINDS: readonly AlertKind[] = [
  {
    // The alert every review sends (`enterReview` builds it); the review.* kinds are its reasons.
    id: 'review',
    sites: [{ file: core('decide/actions.ts'), match: 'needs review' }],
  },
  {
    id: 'review.rule',
    sites: [
      { file: core('decide/actions.ts'), match: "enterReview(d, a.review, 'warning')" },
      {
        file: core('decide/decide.ts'),
        match: "enterReview(d, actions.review, 'warning');\n    return;",
      },
      { file: core('decide/decide.ts'), match: "return enterReview(d, actions.review, 'warning')" },
    ],
  },
  {
    id: 'command.failed-for-good',
    sites: [{ file: core('decide/decide.ts'), match: 'failed for good' }],
  },
  {
    id: 'review.address-changed-after-submission',
    sites: [{ file: core('decide/decide.ts'), match: 'shipping address changed after submission' }],
  },
  {
    id: 'review.shipped-after-final',
    sites: [{ file: core('decide/decide.ts'), match: 'shipped after the order was' }],
  },
  {
    id: 'review.line-without-sku',
    sites: [{ file: core('decide/flow.ts'), match: 'need shipping but have no SKU' }],
  },
  {
    id: 'review.cannot-route',
    sites: [{ file: core('decide/flow.ts'), match: 'cannot route:' }],
  },
  {
    id: 'stock.low-cover',
    sites: [{ file: core('decide/flow.ts'), match: 'Low stock:' }],
  },
  {
    id: 'review.store-cancelled-fulfillment-order',
    sites: [{ file: core('decide/store-events.ts'), match: 'was cancelled in the store' }],
  },
  {
    id: 'review.store-hold-after-submission',
    sites: [{ file: core('decide/store-events.ts'), match: 'after submission to the warehouse;' }],
  },
  {
    id: 'store.hold-after-submission',
    sites: [{ file: core('decide/store-events.ts'), match: 'held in the store after submission' }],
  },
  {
    id: 'review.store-moved-after-submission',
    sites: [{ file: core('decide/store-events.ts'), match: 'after submission to $' /* ${from} */ }],
  },
  {
    id: 'review.store-moved-unrouted-location',
    sites: [{ file: core('decide/store-events.ts'), match: 'which the engine does not route to' }],
  },
  {
    id: 'review.store-fulfilled-after-final',
    sites: [
      { file: core('decide/store-events.ts'), match: 'fulfilled in the store after the order was' },
    ],
  },
  {
    id: 'store.fulfillment-overlaps-shipment',
    sites: [{ file: core('decide/store-events.ts'), match: 'fulfilled in the store while' }],
  },
  {
    id: 'notify.rule',
    sites: [
      { file: core('decide/actions.ts'), match: "type: 'notify'," },
      { file: core('rules/builder-actions.ts'), match: "type: 'notify', channel" },
    ],
  },
  {
    // Delivery of every alert and notify command to the host's AlertSink.
    id: 'alert.delivery',
    sites: [{ file: core('engine/dispatcher.ts'), match: 'deps.alerts.send(' }],
  },
  {
    id: 'review.risk-summary',
    sites: [
      { file: 'packages/classifier-anthropic/src/review-alerts.ts', match: 'options.sink.send(' },
    ],
  },
  {
    id: 'warehouse.unmatched-shipment',
    sites: [{ file: core('engine/warehouse-webhook.ts'), match: 'shipment for an unknown order' }],
  },
  {
    id: 'warehouse.unmatched-poll',
    sites: [
      { file: 'packages/adapter-shipstation/src/warehouse.ts', match: 'onUnmatched?.(u)' },
      { file: 'packages/adapter-3pl-generic/src/adapter.ts', match: 'onUnmatched?.(unmatched)' },
    ],
  },
  {
    id: 'engine.after-commit-error',
    sites: [{ file: core('engine/after-commit.ts'), match: 'deps.onError?.(error, context)' }],
  },
  {
    id: 'shopify.webhook-refused',
    sites: [
      { file: 'packages/adapter-shopify/src/webhook-handler.ts', match: 'if (status >= 300)' },
    ],
  },
  {
    id: 'shopify.fulfillment-orders-missing',
    sites: [
      {
        file: 'packages/adapter-shopify/src/webhook-process.ts',
        match: 'webhookHandler.fulfillmentOrders',
      },
    ],
  },
  {
    id: 'delivery.dead',
    sites: [
      {
        file: 'packages/adapter-shopify/src/webhook-queue.ts',
        match: 'options.onError?.(error, status, info)',
      },
    ],
  },
  {
    id: 'limiter.unavailable',
    sites: [{ file: 'packages/http/src/redis-shared.ts', match: 'options.onUnavailable?.(' }],
  },
];
