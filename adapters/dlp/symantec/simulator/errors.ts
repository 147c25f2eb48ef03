import type { ServerResponse } from 'node:http';
import { sendJson } from '../../simulator-kit/respond.js';

/** Enforce's error body (reference §1.9): `{status, message, i18nKey: {i18nKey}}`, for every error status. */
export function sendEnforceError(
  res: ServerResponse,
  status: number,
  message: string,
  i18nKey: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { status, message, i18nKey: { i18nKey } }, headers);
}

export const NOT_AUTHORIZED = 'Incident access not authorized or the incident does not exist.';
export const NOT_AUTHORIZED_KEY = 'incidentId.incident.not.authorized';
