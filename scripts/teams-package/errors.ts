/**
 * `bad_input`: the person's arguments or environment (exit 2, like every dlp-bot usage error).
 * `invalid_package`: the template, icons or generated manifest break Teams' rules (exit 1): a bug to fix here.
 */
export type PackageErrorCode = 'bad_input' | 'invalid_package';

export class PackageError extends Error {
  override name = 'PackageError';
  constructor(
    readonly code: PackageErrorCode,
    message: string,
    /** One line per problem found, so a broken manifest lists everything at once. */
    readonly problems: readonly string[] = [],
  ) {
    super(message);
  }
}

export const EXIT_CODES: Readonly<Record<PackageErrorCode, number>> = { bad_input: 2, invalid_package: 1 };
