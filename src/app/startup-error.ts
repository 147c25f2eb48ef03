/**
 * Something an operator must fix before the bot can run (a refused token, a port in use). The message is
 * written for them and printed as is, with no stack trace; it never contains the secret itself.
 */
export class StartupError extends Error {
  readonly code = 'startup_failed';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StartupError';
  }
}
