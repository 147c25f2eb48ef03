import { formatIncidentRef } from '../../../src/domain/incident.js';
import { formatDuration } from '../../../src/views/format.js';
import type { IncidentFacts, Tone, View } from '../../../src/views/view.js';
import { paint, type RenderOptions, TONE_COLOR, TONE_MARK } from './render.js';
import { sanitizeLine } from './sanitize.js';

const STATE_LABEL: Record<IncidentFacts['state'], string> = {
  ok: 'within SLA',
  due_soon: 'due soon',
  breached: 'breached',
  escalated: 'escalated',
  triaged: 'triaged',
  closed: 'closed',
};

/** The longest state and severity words, "overdue 23h 59m", and a typical ref; a longer ref pushes the policy on. */
const WIDTH = { state: 10, severity: 8, timing: 15, ref: 22 };

interface Segment {
  text: string;
  /** SGR code, applied only when colour is on. */
  code?: string;
}

/** Vendor text made safe and kept on one line: a newline in it is shown, never printed. */
const flat = sanitizeLine;
const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - Array.from(text).length));

function timing(overdueMs: number | null): string {
  if (overdueMs === null) return '';
  return overdueMs > 0 ? `overdue ${formatDuration(overdueMs)}` : `due in ${formatDuration(-overdueMs)}`;
}

/**
 * An incident as one aligned line, `■ breached   high     overdue 1h 6m   paloalto:1000038       US SSN`, or null
 * for a view that shows no incident. `lead` replaces the tone mark (`↻` for an update), `indent` goes before it.
 */
export function incidentLine(view: View, options: RenderOptions, marks: { lead?: string; indent?: string } = {}) {
  const { facts, subject } = view;
  if (!facts || !subject) return null;
  return fitLine(
    [
      { text: marks.indent ?? '' },
      {
        text: `${marks.lead ?? TONE_MARK[view.tone]} ${pad(STATE_LABEL[facts.state], WIDTH.state)}`,
        code: `1;${TONE_COLOR[view.tone]}`,
      },
      { text: ` ${pad(flat(facts.severity), WIDTH.severity)} ${pad(timing(facts.overdueMs), WIDTH.timing)} ` },
      { text: pad(flat(formatIncidentRef(subject)), WIDTH.ref), code: '1' },
      { text: ` ${flat(facts.policy ?? '—')}`, code: '2' },
    ],
    options,
  );
}

/** Any text as one line after a coloured lead mark (`↳`, `✉`). */
export function textLine(lead: string, text: string, tone: Tone, options: RenderOptions): string {
  return fitLine([{ text: `${lead} `, code: TONE_COLOR[tone] }, { text: flat(text) }], options);
}

/** Cuts the line to the terminal width, marking the cut with `…`, then colours each piece. */
function fitLine(segments: readonly Segment[], options: RenderOptions): string {
  const length = segments.reduce((sum, s) => sum + Array.from(s.text).length, 0);
  const width = Math.max(options.width, 20);
  let room = length > width ? width - 1 : length;
  let line = '';
  for (const segment of segments) {
    const part = Array.from(segment.text).slice(0, room).join('');
    room -= Array.from(part).length;
    line += segment.code && part ? paint(options.color, segment.code, part) : part;
  }
  return `${(length > width ? `${line}…` : line).trimEnd()}\n`;
}
