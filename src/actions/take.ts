import type { ActionSpec } from '../ports/actions.js';
import { assignTo } from './assign.js';

/** "Take it": assign to oneself, one click. Offered first while nobody owns the incident. */
export const takeAction: ActionSpec = {
  id: 'incident.take',
  legacyIds: ['dlp.take'],
  label: 'Take it',
  style: 'primary',
  card: 'incident',
  role: 'analyst',
  doing: 'Taking incidents',
  redraws: true,
  cli: { name: 'take', summary: 'Take an incident: assign it to yourself' },
  showWhen: (incident) => !incident.assignee,
  execute: (_input, subject, deps) => assignTo(subject.clicker, subject, deps),
};
