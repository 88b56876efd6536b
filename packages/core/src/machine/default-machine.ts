import type { MachineDefinition } from './schema';

/**
 * The default fulfillment machine.
 *
 * received → awaiting_payment / on_hold / needs_review / ready → submitted →
 * partially_shipped → shipped → delivered, and cancelled from anywhere before shipping.
 */
export const defaultMachine: MachineDefinition = {
  id: 'fulfil-default',
  initial: 'received',
  states: {
    received: {
      kind: 'pending',
      description: 'Just arrived; the first decision moves it on.',
      on: {
        AWAIT_PAYMENT: 'awaiting_payment',
        HOLD: 'on_hold',
        REVIEW: 'needs_review',
        READY: 'ready',
        CANCEL: 'cancelled',
      },
    },
    awaiting_payment: {
      kind: 'pending',
      description: 'Not paid yet.',
      on: { HOLD: 'on_hold', REVIEW: 'needs_review', READY: 'ready', CANCEL: 'cancelled' },
    },
    on_hold: {
      kind: 'hold',
      description: 'Paused by a rule until a time, stock, or a person releases it.',
      on: {
        HOLD: 'on_hold',
        AWAIT_PAYMENT: 'awaiting_payment',
        REVIEW: 'needs_review',
        READY: 'ready',
        SHIP_PARTIAL: 'partially_shipped',
        SHIP: 'shipped',
        CANCEL: 'cancelled',
      },
    },
    needs_review: {
      kind: 'review',
      description: 'A person must approve, re-route, release or cancel.',
      on: {
        REVIEW: 'needs_review',
        HOLD: 'on_hold',
        READY: 'ready',
        SHIP_PARTIAL: 'partially_shipped',
        SHIP: 'shipped',
        CANCEL: 'cancelled',
      },
    },
    ready: {
      kind: 'ready',
      description: 'Routed or about to be; shipments are submitted next.',
      on: {
        SUBMIT: 'submitted',
        HOLD: 'on_hold',
        REVIEW: 'needs_review',
        AWAIT_PAYMENT: 'awaiting_payment',
        CANCEL: 'cancelled',
      },
    },
    submitted: {
      kind: 'active',
      description: 'Shipments are with warehouses.',
      on: {
        SUBMIT: 'submitted',
        SHIP_PARTIAL: 'partially_shipped',
        SHIP: 'shipped',
        READY: 'ready',
        REVIEW: 'needs_review',
        CANCEL: 'cancelled',
      },
    },
    partially_shipped: {
      kind: 'active',
      description: 'Some units shipped; the rest are with a warehouse or backordered.',
      on: {
        SUBMIT: 'partially_shipped',
        SHIP_PARTIAL: 'partially_shipped',
        SHIP: 'shipped',
        REVIEW: 'needs_review',
        CANCEL: 'cancelled',
      },
    },
    shipped: {
      kind: 'done',
      description: 'Every unit shipped.',
      on: { DELIVER: 'delivered' },
    },
    delivered: { kind: 'final', description: 'Every shipment delivered.', on: {} },
    cancelled: { kind: 'final', description: 'Cancelled; nothing ships.', on: {} },
  },
};
