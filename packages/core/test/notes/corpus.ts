import holdout from './data/holdout.json' with { type: 'json' };
import holdout2 from './data/holdout-2.json' with { type: 'json' };
import holdout3 from './data/holdout-3.json' with { type: 'json' };
import hostile from './data/hostile.json' with { type: 'json' };
import labelled from './data/labelled.json' with { type: 'json' };

/** A labelled note: expected tags, each with its date (`YYYY-MM-DD`) or null. */
export interface LabelledNote {
  id: string;
  note: string;
  tags: Record<string, string | null>;
}
/** A hostile note and the tags of its benign meaning. */
export interface HostileNote {
  id: string;
  category: string;
  note: string;
  expect: Record<string, string | null>;
}

export const LABELLED = labelled as LabelledNote[];
export const HOLDOUT = holdout as LabelledNote[];
export const HOLDOUT_2 = holdout2 as LabelledNote[];
/** Written and labelled before the classifier first ran on it; never tuned on. */
export const HOLDOUT_3 = holdout3 as LabelledNote[];
export const HOSTILE = hostile as HostileNote[];
