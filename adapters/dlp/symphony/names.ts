// The API's fixed names, kept apart from the response schemas so the config schema loads without them.

/** The three violation endpoints, `/agent/v3/dlp/violations/{kind}`. */
export const VIOLATION_KINDS = ['message', 'stream', 'signal'] as const;
export type ViolationKind = (typeof VIOLATION_KINDS)[number];
