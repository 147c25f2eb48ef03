import { formatIncidentRef } from '../../../src/domain/incident.js';
import { flagOf } from '../../../src/views/form.js';
import type { Button, View } from '../../../src/views/view.js';

/** A button's console command with its options, the incident written `…` after the first command names it. */
function command(button: Button & { command: string }, ref: string): string {
  const options = (button.form?.fields ?? []).map((field) => {
    const option = `--${flagOf(field)} ${field.kind === 'person' ? '<email>' : '"…"'}`;
    return field.kind === 'text' && !field.required ? `[${option}]` : option;
  });
  return [button.command, ref, ...options].join(' ');
}

/**
 * What the terminal says where a card's buttons would be (nothing can be pressed here): the commands that do the
 * same, `Triage here: dlp-bot take pan:7 · assign … --to <email> · …`, and how to see the card again. Null when
 * the view has neither.
 */
export function triageLine(buttons: readonly Button[], subject: View['subject']): string | null {
  if (!subject) return null;
  const ref = formatIncidentRef(subject);
  const commands = buttons.filter((b): b is Button & { command: string } => !b.url && b.command !== undefined);
  const again = `Latest card: dlp-bot show ${ref}`;
  if (commands.length === 0) return `${again}.`;
  const [first, ...rest] = commands.map((b, i) => command(b, i === 0 ? ref : '…'));
  return `Triage here: dlp-bot ${[first, ...rest].join(' · ')}. ${again}.`;
}
