import type { AdapterError } from '../domain/errors.js';

/** Adapter messages are safe to show but can be long; the clicker needs the gist. */
const MAX_MESSAGE = 200;
const clip = (text: string) => (text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text);

function seconds(retryAfterMs: number | undefined): string {
  if (retryAfterMs === undefined || !Number.isFinite(retryAfterMs)) return 'a minute';
  return `${Math.max(1, Math.ceil(retryAfterMs / 1000))} s`;
}

/** What the clicker is told when a vendor call failed: short, per error code, never the raw response. */
export function failureText(error: AdapterError, vendor: string): string {
  switch (error.code) {
    case 'auth':
      return `dlp-bot's credentials for ${vendor} were refused; an admin can check them with \`dlp-bot doctor\`.`;
    case 'rate_limited':
      return `${vendor} is rate-limiting us, try again in ${seconds(error.retryAfterMs)}.`;
    case 'unavailable':
      return `${vendor} is not answering right now; try again in a few minutes.`;
    case 'not_found':
      return `The incident no longer exists in ${vendor}.`;
    case 'rejected':
      return `${vendor} refused the change: ${clip(error.message)}`;
    case 'unsupported':
      return `${vendor} does not offer this through its API.`;
    case 'schema_mismatch':
      return `${vendor} answered in a form dlp-bot does not understand; an admin should check the logs.`;
    case 'unknown':
      return `Something went wrong talking to ${vendor}.`;
  }
}
