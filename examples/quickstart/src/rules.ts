import {
  all,
  allowSplit,
  fact,
  hold,
  noteRules,
  notify,
  type RuleInput,
  riskRules,
  rule,
  setPriority,
  setService,
} from '@fulfil/core';

/**
 * The demo store's rules, written with the typed builder. Each builds to plain
 * JSON (`RuleInput`), so they could equally live in a database.
 */
export const DEMO_RULES: RuleInput[] = [
  // Each note tag's default consequence (review address changes, hold until a
  // ship-after date, gift and eco packing, ...) and the default fraud rules.
  ...noteRules(),
  ...riskRules(),
  rule('expedite')
    .at('paid')
    .when(fact('shipping.expedited').eq(true))
    .do(setService('express'), setPriority(1))
    .build(),
  // User example 1: "if the order contains a backordered item AND the customer is
  // tagged VIP, split the shipment and notify the warehouse".
  rule('vip-backorder-split')
    .at('before_routing')
    .priority(10)
    .stop()
    .when(all(fact('lines.hasBackordered').eq(true), fact('customer.tags').contains('VIP')))
    .do(
      allowSplit(),
      notify('warehouse', 'VIP order with a backordered item: ship what is here now'),
    )
    .build(),
  // User example 2: "hold the order for 24 hours, re-check inventory, then route it".
  rule('short-stock-hold')
    .at('before_routing')
    .when(fact('inventory.hasBackorder').eq(true))
    .do(hold({ for: { hours: 24 }, reason: 'waiting for stock', releaseOnStock: true }))
    .build(),
];
