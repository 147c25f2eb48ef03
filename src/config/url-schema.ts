import { z } from 'zod';

const parsed = (text: string): URL | null => (URL.canParse(text) ? new URL(text) : null);

/**
 * A vendor or chat platform API URL. The HTTP client refuses the same things when it is created; checking them here
 * reports them by key path in `config check` instead of as an unexpected failure of the first command that connects.
 */
export const apiUrl = () =>
  z
    .url({ protocol: /^https?$/, error: 'expected an http or https URL' })
    .refine(
      (text) => !parsed(text)?.username && !parsed(text)?.password,
      'must not carry a user name or password: credentials go in the variables named by the *Env keys',
    )
    .refine((text) => !parsed(text)?.search && !parsed(text)?.hash, 'must not carry a query or fragment');
