import { randomBytes } from 'node:crypto';
import { fail, type Handler, ok, type Reply, str } from './protocol.js';
import type { FakeView, Json } from './types.js';
import { checkView } from './validate.js';
import type { Workspace } from './workspace.js';

/** Internal: trigger_id bookkeeping and views.* methods. */

export function issueTriggerId(ws: Workspace, user?: string): string {
  const id = `${ws.clock.now().getTime()}.${ws.nextId('').replace(/^0+/, '')}.${randomBytes(8).toString('hex')}`;
  registerTriggerId(ws, id, user);
  return id;
}

export function registerTriggerId(ws: Workspace, triggerId: string, user?: string): void {
  ws.triggers.set(triggerId, { issuedAt: ws.clock.now().getTime(), used: false, ...(user ? { user } : {}) });
}

/** Checked before the view is validated; only a valid call exchanges (uses up) the trigger. */
function triggerError(ws: Workspace, triggerId: string): string | undefined {
  const trigger = ws.triggers.get(triggerId);
  if (!trigger) return 'invalid_trigger_id';
  if (trigger.used) return 'exchanged_trigger_id';
  if (ws.clock.now().getTime() - trigger.issuedAt > ws.triggerTtlMs) return 'expired_trigger_id';
  return undefined;
}

function renderView(ws: Workspace, id: string, input: Json, previous?: Json): Json {
  const hash = `${Math.floor(ws.clock.now().getTime() / 1000)}.${randomBytes(4).toString('hex')}`;
  return {
    id,
    team_id: ws.identity.teamId,
    type: input.type,
    blocks: input.blocks ?? [],
    private_metadata: input.private_metadata ?? '',
    callback_id: input.callback_id ?? '',
    state: { values: {} },
    hash,
    title: input.title,
    clear_on_close: input.clear_on_close ?? false,
    notify_on_close: input.notify_on_close ?? false,
    close: input.close ?? null,
    submit: input.submit ?? null,
    previous_view_id: previous?.previous_view_id ?? null,
    root_view_id: previous?.root_view_id ?? id,
    app_id: ws.identity.appId,
    external_id: input.external_id ?? '',
    app_installed_team_id: ws.identity.teamId,
    bot_id: ws.identity.botId,
  };
}

export function viewMethods(ws: Workspace): Record<string, Handler> {
  const open =
    (kind: FakeView['kind']): Handler =>
    (args) => {
      const triggerId = str(args, 'trigger_id') ?? '';
      const triggerFailure = triggerError(ws, triggerId);
      if (triggerFailure) return fail(triggerFailure);
      const bad = checkView(args.view);
      if (bad) return bad;
      const trigger = ws.triggers.get(triggerId);
      if (trigger) trigger.used = true;
      const id = ws.nextId('V');
      const view = renderView(ws, id, args.view as Json);
      ws.views.set(id, { id, kind, triggerId, ...(trigger?.user ? { user: trigger.user } : {}), view, updateCount: 0 });
      return ok({ view });
    };

  const update: Handler = (args): Reply => {
    const viewId = str(args, 'view_id');
    const externalId = str(args, 'external_id');
    const entry = [...ws.views.values()].find((v) =>
      viewId ? v.id === viewId : externalId !== undefined && v.view.external_id === externalId,
    );
    if (!entry) return fail('not_found');
    const hash = str(args, 'hash');
    if (hash !== undefined && hash !== entry.view.hash) return fail('hash_conflict');
    const bad = checkView(args.view);
    if (bad) return bad;
    entry.view = renderView(ws, entry.id, args.view as Json, entry.view);
    entry.updateCount += 1;
    return ok({ view: entry.view });
  };

  return { 'views.open': open('open'), 'views.push': open('push'), 'views.update': update };
}
