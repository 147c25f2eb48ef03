import type { ActionForm } from './form.js';

/**
 * Platform-neutral views. Commands and the notifier build these; the console, Slack and Teams surfaces
 * render them. Every string here is plain text: renderers escape it for their markup, so vendor text can
 * never become a mention, a link or formatting.
 */

export type Tone = 'danger' | 'warning' | 'good' | 'neutral';

export interface Field {
  label: string;
  value: string;
  /** Makes the value a link; only ever a URL this bot built, never one taken from vendor text. */
  url?: string;
}

export interface Column {
  key: string;
  label: string;
  align?: 'left' | 'right';
}

export interface Button {
  /** An action id from the action table, which the surfaces register their handlers under. */
  actionId: string;
  label: string;
  /** Small versioned JSON the handler parses with zod; never secrets or PII. */
  value: string;
  style?: 'primary' | 'danger';
  /** A plain link button ("Open in console"). */
  url?: string;
  /** What the action asks for first, as declared in the table: surfaces draw it as their own kind of form. */
  form?: ActionForm;
  /** The console command that does the same (`take`), for the terminal, where nothing can be pressed. */
  command?: string;
}

export type Block =
  | { type: 'header'; text: string }
  | { type: 'text'; text: string }
  | { type: 'fields'; fields: Field[] }
  | { type: 'table'; columns: Column[]; rows: Record<string, string>[] }
  | { type: 'context'; text: string }
  | { type: 'actions'; buttons: Button[] }
  | { type: 'divider' };

/**
 * The facts of the incident a view shows, for a surface that lists incidents one line each instead of drawing
 * the card (the terminal). Renderers that draw the blocks ignore it.
 */
export interface IncidentFacts {
  severity: string;
  /** An SLA state while the incident awaits triage; `triaged` once it no longer does, `closed` once it is closed. */
  state: 'ok' | 'due_soon' | 'breached' | 'escalated' | 'triaged' | 'closed';
  /** Time past the SLA deadline (positive) or left before it (negative); null once no SLA applies. */
  overdueMs: number | null;
  policy: string | null;
}

export interface View {
  /** One-line summary: notification text, terminal heading, and the fallback where blocks cannot show. */
  title: string;
  tone: Tone;
  blocks: Block[];
  /** The incident this view shows, so a platform can tag the message with it (Slack message metadata). */
  subject?: { source: string; id: string };
  /** Set with `subject` on incident cards (and views built on them). */
  facts?: IncidentFacts;
}

export function view(title: string, blocks: Block[], tone: Tone = 'neutral'): View {
  return { title, tone, blocks };
}

export const textView = (title: string, text: string, tone: Tone = 'neutral'): View =>
  view(title, [{ type: 'text', text }], tone);
