import { createActionTable } from '../../src/actions/action-table.js';
import { ACTIONS } from '../../src/actions/index.js';
import { TriageConfig } from '../../src/config/triage-schema.js';

/** The registry as a config without a `triage` section settles it (the false-positive reason optional). */
export const DEFAULT_ACTIONS = createActionTable(ACTIONS, TriageConfig.parse({}));

/** The registry with a false-positive reason required (`triage.falsePositiveReason: required`). */
export const REASON_REQUIRED_ACTIONS = createActionTable(
  ACTIONS,
  TriageConfig.parse({ falsePositiveReason: 'required' }),
);
