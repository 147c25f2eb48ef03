import { z } from 'zod';
import { vendorUserFor } from '../src/actions/identity.js';
import type { IdentityConfig } from '../src/config/people-schema.js';
import type { Incident } from '../src/domain/incident.js';
import type { LocalAssignee } from '../src/store/index.js';
import type { Tone } from '../src/views/view.js';
import { type AgingEntry, agingEntry, agingTable } from './aging.js';
import { jsonFlag, noPositionals, positiveInt } from './args.js';
import { type CommandContext, defineCommand, surfaceOf } from './command.js';
import { leftOutNote } from './left-out.js';
import { LIMIT_MAX, moreShownHint } from './more-shown.js';

const DEFAULT_LIMIT = 25;

export const MINE_NEEDS_IDENTITY = '`mine` needs to know who you are: use it from chat, or pass --email you@corp';

const Args = z
  .object({
    _: noPositionals,
    email: z.email('expected an email address, e.g. you@corp.example').optional(),
    limit: positiveInt(LIMIT_MAX).optional(),
    json: z.boolean().optional(),
  })
  .transform((raw) => ({ email: raw.email, limit: raw.limit ?? DEFAULT_LIMIT, json: raw.json ?? false }));

/** Who "me" is: an email (chat profile or --email) and, in chat, the platform's user id. */
interface Me {
  email: string | null;
  chat: { surface: string; userId: string } | null;
}

const same = (a: string | null | undefined, b: string | null | undefined) =>
  !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * Matches the vendor's assignee (an email, or the vendor user id the identity config maps the email to)
 * or the assignee recorded here when the vendor has no assign API (by email, or by chat user id).
 */
function createMatcher(me: Me, identity: IdentityConfig) {
  const vendorIds = new Map<string, string | null>();
  const vendorIdFor = (source: string) => {
    if (!vendorIds.has(source)) vendorIds.set(source, vendorUserFor(source, { email: me.email }, identity)?.id ?? null);
    return vendorIds.get(source) ?? null;
  };
  return {
    vendor(incident: Incident): boolean {
      const { assignee } = incident;
      if (!assignee) return false;
      return (
        same(assignee, me.email) || same(assignee, vendorIdFor(incident.source)) || same(assignee, me.chat?.userId)
      );
    },
    local(assignee: LocalAssignee | null): boolean {
      if (!assignee) return false;
      if (same(assignee.email, me.email)) return true;
      return !!me.chat && assignee.surface === me.chat.surface && assignee.chatUserId === me.chat.userId;
    },
  };
}

function whoAmI(email: string | undefined, ctx: CommandContext): Me | 'unknown' | 'email_in_chat' {
  const { invoker } = ctx;
  if (surfaceOf(invoker) === 'chat') {
    if (email !== undefined) return 'email_in_chat';
    return { email: invoker.email, chat: { surface: invoker.surface, userId: invoker.userId } };
  }
  // On a terminal the invoker is an OS account, which no vendor or chat platform knows.
  return email === undefined ? 'unknown' : { email, chat: null };
}

export default defineCommand({
  name: 'mine',
  summary: 'Incidents awaiting triage assigned to you, oldest first',
  usage: '[--email E] [--limit N] [--json]',
  details: [
    '--email E    on the command line, the email you are assigned by (chat uses your own profile)',
    `--limit N    show at most N incidents (default ${DEFAULT_LIMIT})`,
    '--json       print an array of {source,id,severity,status,createdAt,slaState,overdueMinutes}',
  ],
  examples: ['dlp-bot mine --email alice@corp.example', '/dlp mine'],
  options: { email: { type: 'string' }, limit: { type: 'string' }, ...jsonFlag },
  args: Args,
  role: 'viewer',
  surfaces: ['cli', 'chat'],
  async run(args, ctx) {
    const me = whoAmI(args.email, ctx);
    if (me === 'unknown' || me === 'email_in_chat') {
      const text =
        me === 'unknown'
          ? MINE_NEEDS_IDENTITY
          : '`mine` in chat lists the incidents assigned to you; --email is for the dlp-bot command line';
      return { data: [], exitCode: 2, view: { title: text, tone: 'warning', blocks: [] } };
    }
    const runtime = ctx.runtime();
    const store = runtime.store();
    const policy = await runtime.policy();
    // Loaded when the command runs: the SLA code (luxon, calendars) would otherwise slow every `--help`.
    const { evaluateSla } = await import('../src/domain/sla.js');
    // Only a config file has identity overrides; asking the sandbox for its config would start its simulators.
    const identity = runtime.origin.kind === 'file' ? (await runtime.config()).identity : { vendorUsers: [] };
    const matches = createMatcher(me, identity);
    const now = ctx.clock.now();
    const shown: AgingEntry[] = [];
    let mine = 0;
    let pastSla = 0;
    const scope = runtime.sourceScope();
    for (const incident of store.incidents.iterateOpen()) {
      if (!scope.has(incident.source)) continue;
      const sla = evaluateSla(incident, policy, now);
      if (!sla) continue;
      if (!matches.vendor(incident) && !matches.local(store.triage.get(incident)?.assignee ?? null)) continue;
      mine += 1;
      if (sla.overdueMs > 0) pastSla += 1;
      if (shown.length < args.limit) shown.push(agingEntry(incident, sla));
    }
    const who = me.email ?? ctx.invoker.display;
    const title =
      mine === 0
        ? `Nothing awaiting triage is assigned to ${who}`
        : `${mine} incident${mine === 1 ? '' : 's'} awaiting triage assigned to ${who}, ${pastSla} past SLA${shown.length < mine ? ` (oldest ${shown.length} shown)` : ''}`;
    const tone: Tone = pastSla > 0 ? 'danger' : mine > 0 ? 'warning' : 'good';
    const noEmail =
      me.email === null
        ? [
            {
              type: 'context' as const,
              text: 'dlp-bot cannot see your email address, so only assignments made to you in chat are shown.',
            },
          ]
        : [];
    return {
      data: shown.map((s) => s.row),
      view: {
        title,
        tone,
        blocks: [
          agingTable(shown, now),
          // `--email` is kept: it chose whose list this is.
          ...moreShownHint(ctx, ['mine', ...(args.email ? ['--email', args.email] : [])], shown.length, mine),
          ...noEmail,
          ...leftOutNote(scope),
        ],
      },
    };
  },
});
