import { fact } from '../rules/builder';
import { addTag, hold, notify, review } from '../rules/builder-actions';
import type { ActionInput, RuleInput } from '../rules/schema';

/** What happens to a medium-risk order. */
export type MediumRiskAction = 'review' | 'hold' | 'tag' | 'notify' | 'none';

/** Options of {@link riskRules}. */
export interface RiskRulesOptions {
  /** How long a high-risk order is held in the store while a person decides. Default 72 h. */
  highHoldHours?: number;
  /** Medium risk: `review`, `hold` (24 h, store hold), `tag` (default: tags `risk-medium`), `notify` (ops), `none`. */
  medium?: MediumRiskAction;
}

/**
 * The default risk rules, at `paid` (priority 100), before anything ships:
 * high → hold in the store with the `fraud` reason and notify ops at once;
 * when the hold runs out and nobody approved or cancelled, review (the order
 * never ships on its own). Medium → configurable.
 *
 * (Hold and review are two rules because decide lets a review at a stage win
 * over holds at the same stage, which would drop the store hold.)
 *
 * @example
 * ```ts
 * const engine = createEngine({ ..., risk: new RuleBasedRiskScorer(), rules: [...riskRules({ medium: 'review' }), ...noteRules()] });
 * ```
 */
export function riskRules(options: RiskRulesOptions = {}): RuleInput[] {
  const hours = options.highHoldHours ?? 72;
  const rules: RuleInput[] = [
    {
      id: 'risk-high',
      description: 'high fraud risk: hold in the store (fraud) and tell a person now',
      stage: 'paid',
      priority: 100,
      when: fact('risk.level').eq('high'),
      actions: [
        hold({ for: { hours }, reason: 'high fraud risk', storeHold: 'fraud' }),
        notify('ops', 'High fraud risk: the order is held in the store; approve or cancel it'),
      ],
    },
    {
      id: 'risk-high-review',
      description: 'high fraud risk and nobody acted during the hold: review, never ship alone',
      stage: 'hold_expired',
      priority: 100,
      when: fact('risk.level').eq('high'),
      actions: [review('high fraud risk: a person must approve the order')],
    },
  ];
  const medium: Record<MediumRiskAction, ActionInput[]> = {
    review: [review('medium fraud risk')],
    hold: [hold({ for: { hours: 24 }, reason: 'medium fraud risk', storeHold: 'fraud' })],
    tag: [addTag('risk-medium')],
    notify: [notify('ops', 'medium fraud risk: worth a look')],
    none: [],
  };
  const actions = medium[options.medium ?? 'tag'];
  if (actions.length > 0) {
    rules.push({
      id: 'risk-medium',
      description: `medium fraud risk: ${options.medium ?? 'tag'}`,
      stage: 'paid',
      priority: 100,
      when: fact('risk.level').eq('medium'),
      actions,
    });
  }
  return rules;
}
