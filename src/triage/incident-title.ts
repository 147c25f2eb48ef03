import { formatIncidentRef, type Incident } from '../domain/incident.js';
import { truncate } from '../views/format.js';

const MAX_POLICY_IN_TITLE = 80;

/** One line naming the incident, for form titles: "Add note to high DLP incident pan-prod:42 · PCI". */
export function incidentTitle(incident: Incident): string {
  const what = `${incident.severity} DLP incident ${formatIncidentRef(incident)}`;
  return incident.policy ? `${what} · ${truncate(incident.policy, MAX_POLICY_IN_TITLE)}` : what;
}
