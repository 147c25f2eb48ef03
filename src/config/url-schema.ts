import { z } from 'zod';

const parsed = (text: string): URL | null => (URL.canParse(text) ? new URL(text) : null);

/**
 * Loopback only: 127.0.0.0/8, ::1 and localhost. The URL parser has already normalised the host (`127.1` is
 * `127.0.0.1`, `[0:0::1]` is `[::1]`), so these literal checks cannot be dodged by spelling.
 */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** Plain http to anything but loopback: basic auth, bearer tokens and API keys would cross the network readable. */
export function isCleartextRemote(text: string): boolean {
  const url = parsed(text);
  return url?.protocol === 'http:' && !isLoopbackHost(url.hostname);
}

/**
 * A vendor or chat platform API URL. The HTTP client refuses the same things when it is created; checking them here
 * reports them by key path in `config check` instead of as an unexpected failure of the first command that connects.
 * http is for the loopback simulators and fakes only: every one of these APIs is sent credentials.
 */
export const apiUrl = () =>
  z
    .url({ protocol: /^https?$/, error: 'expected an https URL' })
    .refine(
      (text) => !isCleartextRemote(text),
      'plain http:// would send credentials in clear text: use https:// (http is accepted only for loopback: 127.0.0.0/8, ::1, localhost)',
    )
    .refine(
      (text) => !parsed(text)?.username && !parsed(text)?.password,
      'must not carry a user name or password: credentials go in the variables named by the *Env keys',
    )
    .refine((text) => !parsed(text)?.search && !parsed(text)?.hash, 'must not carry a query or fragment');
