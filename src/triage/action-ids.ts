/**
 * Every interactive action id, in one table. Renderers put these on buttons and the Slack and Teams
 * wiring registers handlers under the same constants, so the two can never drift apart.
 */
export const ACTION_IDS = {
  assign: 'dlp.assign',
  takeIt: 'dlp.take',
  addNote: 'dlp.note',
  falsePositive: 'dlp.false_positive',
  viewSnippets: 'dlp.snippets',
  openInConsole: 'dlp.open',
  /** On reminder DMs: mute the clicker's reminders (never the SLA clock) for 1 or 4 hours. */
  snooze1h: 'dlp.snooze_1h',
  snooze4h: 'dlp.snooze_4h',
} as const;

export type ActionId = (typeof ACTION_IDS)[keyof typeof ACTION_IDS];
