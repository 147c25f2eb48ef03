import { createActionTable } from '../src/triage/action-table.js';
import type { CommandContext } from './command.js';

/** The triage actions as the running config has them (its `triage` section settles the registry's forms). */
export async function actionsInEffect(ctx: Pick<CommandContext, 'actions' | 'runtime'>) {
  return createActionTable(ctx.actions, (await ctx.runtime().config()).triage);
}
