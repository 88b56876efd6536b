import type { Alert } from '@fulfil/core';

/** `action_id`s of the review buttons (the interactivity handler matches on them). */
export const REVIEW_ACTIONS = {
  approve: 'fulfil_review_approve',
  cancel: 'fulfil_review_cancel',
  open: 'fulfil_review_open',
} as const;

/** `metadata.event_type` of every message this package posts (the alert key rides in the payload). */
export const ALERT_EVENT_TYPE = 'fulfil_alert';

/** A Block Kit block (kept loose: Slack validates the shape). */
export type Block = Record<string, unknown>;

const ICON: Record<Alert['severity'], string> = {
  info: ':information_source:',
  warning: ':warning:',
  critical: ':rotating_light:',
};

/** Escapes `&`, `<`, `>` as Slack's mrkdwn requires. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const plain = (text: string) => ({ type: 'plain_text', text: text.slice(0, 150), emoji: true });

/** The message of one alert: text fallback and blocks. */
export function alertMessage(
  alert: Alert,
  options: {
    consoleUrl?: ((orderId: string) => string) | undefined;
    review: boolean;
    /** The suggested action, one line (omitted when undefined). */
    suggestion?: string | undefined;
  },
): { text: string; blocks: Block[] } {
  const reason = alert.message.split('\n').join('; ');
  const order = alert.orderId;
  const consoleLink = order && options.consoleUrl ? options.consoleUrl(order) : undefined;
  const fields: string[] = [`*${alert.severity.toUpperCase()}*`];
  if (order) {
    const id = escapeMrkdwn(order);
    fields.push(alert.link ? `order <${linkUrl(alert.link)}|${id}>` : `order ${id}`);
  }
  if (consoleLink) fields.push(`<${linkUrl(consoleLink)}|open in console>`);
  const blocks: Block[] = [
    { type: 'header', text: plain(`${stripIcon(alert.title)}`) },
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `${ICON[alert.severity]} ${fields.join(' · ')}` },
    },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `*Reason:* ${escapeMrkdwn(reason).slice(0, 2900)}` }],
    },
  ];
  if (options.suggestion) {
    blocks.push({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: `*Next:* ${escapeMrkdwn(options.suggestion).slice(0, 2900)}` },
      ],
    });
  }
  if (options.review && order) {
    const open = consoleLink ?? alert.link;
    blocks.push({
      type: 'actions',
      block_id: 'fulfil_review',
      elements: [
        {
          type: 'button',
          text: plain('Approve'),
          style: 'primary',
          action_id: REVIEW_ACTIONS.approve,
          value: order,
        },
        {
          type: 'button',
          text: plain('Cancel'),
          style: 'danger',
          action_id: REVIEW_ACTIONS.cancel,
          value: order,
        },
        ...(open
          ? [
              {
                type: 'button',
                text: plain('Open'),
                action_id: REVIEW_ACTIONS.open,
                value: order,
                url: open,
              },
            ]
          : []),
      ],
    });
  }
  return {
    text: `${alert.severity.toUpperCase()}: ${alert.title} (${reason})`.slice(0, 3000),
    blocks,
  };
}

/** The digest of a flood: one message for `count` alerts with the same reason. */
export function digestMessage(
  sample: Alert,
  count: number,
  consoleUrl: string | undefined,
): { text: string; blocks: Block[] } {
  const reason = sample.message.split('\n').join('; ');
  const link = consoleUrl ? ` · <${linkUrl(consoleUrl)}|open the console>` : '';
  const text = `${count} more ${sample.severity} alerts with the same reason: ${reason}`;
  return {
    text: text.slice(0, 3000),
    blocks: [
      { type: 'header', text: plain(`${count} more alerts: ${stripIcon(sample.title)}`) },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `${ICON[sample.severity]} *${count}* more alerts within a minute with this reason${link}`,
        },
      },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `*Reason:* ${escapeMrkdwn(reason).slice(0, 2900)}` }],
      },
    ],
  };
}

/** The review message after someone acted: buttons replaced by who did what. */
export function resolvedBlocks(original: Block[] | undefined, line: string): Block[] {
  const kept = (original ?? []).filter((b) => b.type !== 'actions');
  return [...kept, { type: 'context', elements: [{ type: 'mrkdwn', text: line }] }];
}

function stripIcon(title: string): string {
  return title.trim() || 'Alert';
}

/** A URL safe inside Slack's `<url|text>`: the characters that would end or split it, encoded. */
export function linkUrl(url: string): string {
  return url.replace(/[<>|\s]/g, (c) => encodeURIComponent(c));
}
