import {
  addInstruction,
  addTag,
  all,
  allowSplit,
  any,
  fact,
  hold,
  notify,
  type RuleInput,
  review,
  rule,
  setPriority,
  setService,
} from '@fulfil/core';

/**
 * The demo store's rules, written with the typed builder. Each builds to plain
 * JSON (`RuleInput`), so they could equally live in a database.
 */
export const DEMO_RULES: RuleInput[] = [
  // Fraud: a person looks at high-risk orders before anything ships.
  rule('high-risk-review')
    .at('paid')
    .priority(100)
    .when(any(fact('risk.level').eq('high'), fact('store.riskLevel').eq('high')))
    .do(review('high fraud risk'))
    .build(),
  // Notes a machine must not act on alone.
  rule('note-needs-person')
    .at('received')
    .priority(90)
    .when(
      fact('note.tags').in(['address_change', 'cancel_request', 'item_change', 'contact_customer']),
    )
    .do(review('the note asks for a change only a person can make'))
    .build(),
  rule('note-ship-after')
    .at('paid')
    .priority(80)
    .when(fact('note.shipAfter').exists())
    .do(hold({ untilFact: 'note.shipAfter', reason: 'customer asked to ship after a date' }))
    .build(),
  rule('gift-packing')
    .at('received')
    .when(fact('note.tags').contains('gift'))
    .do(addInstruction('Gift: wrap it and leave prices off the packing slip'), addTag('gift'))
    .build(),
  rule('eco-packing')
    .at('received')
    .when(fact('note.tags').contains('eco_packaging'))
    .do(addInstruction('Minimal packaging, no plastic fill'))
    .build(),
  rule('fragile-packing')
    .at('received')
    .when(fact('note.tags').contains('fragile'))
    .do(addInstruction('Fragile: double box'))
    .build(),
  rule('expedite')
    .at('paid')
    .when(any(fact('shipping.expedited').eq(true), fact('note.tags').contains('expedite')))
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
