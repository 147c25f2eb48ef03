import { z } from 'zod';
import { SEVERITIES, Severity } from '../../../src/domain/incident.js';
import type { SymListedViolation } from './schema.js';

/**
 * Symphony has no severity (reference §3.6): it is configured here. A matched policy named in `policies` decides
 * (the most urgent one when several match); otherwise the violation's action does: the user was blocked, warned,
 * or nothing happened to them (log-only).
 */
export const SeverityConfig = z
  .strictObject({
    block: Severity.default('high').describe('Action BLOCK: the user could not send or save the content.'),
    warn: Severity.default('medium').describe('Action WARN: the user was warned and may have sent it anyway.'),
    logOnly: Severity.default('low').describe('Action log-only: recorded, the user saw nothing.'),
    otherAction: Severity.default('medium').describe('An action this adapter does not know (Symphony may add some).'),
    policies: z
      .record(z.string().trim().min(1).max(1024), Severity)
      .default({})
      .describe('Policy name (case-insensitive) to severity; wins over the action.'),
  })
  .default({ block: 'high', warn: 'medium', logOnly: 'low', otherAction: 'medium', policies: {} });
export type SeverityConfig = z.infer<typeof SeverityConfig>;

export type SeverityRule = (violation: SymListedViolation) => Severity;

/** `BLOCK`, `WARN`, `LOG_ONLY`/`log-only`/`LOGONLY` (the seed's words; the API spelling of log-only is unpublished). */
export function actionKey(action: string | null | undefined): 'block' | 'warn' | 'logOnly' | 'otherAction' {
  const key = (action ?? '').toUpperCase().replace(/[^A-Z]/g, '');
  if (key === 'BLOCK') return 'block';
  if (key === 'WARN') return 'warn';
  if (key === 'LOGONLY' || key === 'LOG') return 'logOnly';
  return 'otherAction';
}

/** Names of the policies a violation matched, in the order Symphony lists them, without repeats. */
export function matchedPolicyNames(violation: SymListedViolation): string[] {
  const names = new Set<string>();
  for (const detail of violation.details ?? []) {
    for (const result of detail.policyResults ?? []) {
      const name = result.matchedPolicy?.name?.trim();
      if (name) names.add(name);
    }
  }
  return [...names];
}

const rank = (severity: Severity) => SEVERITIES.indexOf(severity);

export function createSeverityRule(config: SeverityConfig): SeverityRule {
  const byPolicy = new Map(Object.entries(config.policies).map(([name, sev]) => [name.trim().toLowerCase(), sev]));
  return (violation) => {
    let chosen: Severity | undefined;
    for (const name of matchedPolicyNames(violation)) {
      const configured = byPolicy.get(name.toLowerCase());
      if (configured && (chosen === undefined || rank(configured) < rank(chosen))) chosen = configured;
    }
    return chosen ?? config[actionKey(violation.action)];
  };
}
