// The API's fixed names, kept apart from the response schemas so the config schema loads without them.

/** The seed spec's incident statuses. */
export const PAN_STATUSES = ['open', 'in_review', 'resolved', 'dismissed'] as const;
