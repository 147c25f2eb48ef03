import { z } from 'zod';

/** How triage actions behave on every surface (Slack, Teams, the terminal): enforced once, in the core. */
export const TriageConfig = z
  .strictObject({
    falsePositiveReason: z
      .enum(['optional', 'required'])
      .default('optional')
      .describe('Whether marking a false positive needs a reason, on every surface.'),
  })
  .describe('Triage rules that hold whichever surface a person acts from.');
export type TriageConfig = z.infer<typeof TriageConfig>;
