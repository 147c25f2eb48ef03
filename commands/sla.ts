import { z } from 'zod';
import { SEVERITIES } from '../src/domain/incident.js';
import { jsonFlag, noPositionals } from './args.js';
import { defineCommand } from './command.js';

export default defineCommand({
  name: 'sla',
  summary: 'The SLA policy in force: hours per severity, overrides, calendars, awaiting-triage statuses',
  usage: '[--json]',
  details: ['--json   print the policy rows as JSON'],
  examples: ['dlp-bot sla', '/dlp sla'],
  options: { ...jsonFlag },
  args: z.object({ _: noPositionals, json: z.boolean().optional() }),
  role: 'viewer',
  surfaces: ['cli', 'chat'],
  async run(_args, ctx) {
    const policy = await ctx.runtime().policy();
    const rows = policy.describe();
    return {
      data: { dueSoonAt: policy.dueSoonAt, escalateAt: policy.escalateAt, rows },
      view: {
        title: `SLA policy: due soon at ${Math.round(policy.dueSoonAt * 100)} % of the window, escalated at ${policy.escalateAt}×`,
        tone: 'neutral',
        blocks: [
          {
            type: 'table',
            columns: [
              { key: 'scope', label: 'Applies to' },
              ...SEVERITIES.map((s) => ({ key: s, label: `${s} (h)`, align: 'right' as const })),
              { key: 'awaiting', label: 'Awaiting triage' },
              { key: 'calendar', label: 'Clock' },
            ],
            rows: rows.map((r) => ({
              scope: r.note ? `${r.scope} (${r.note})` : r.scope,
              ...Object.fromEntries(SEVERITIES.map((s) => [s, String(r.hours[s])])),
              awaiting: r.awaitingTriage.join(', '),
              calendar: r.calendar,
            })),
          },
        ],
      },
    };
  },
});
