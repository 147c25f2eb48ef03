/** Times live in SQLite as INTEGER epoch milliseconds. */
export function toMillis(date: Date): number {
  const ms = date.getTime();
  // An Invalid Date would bind as NaN (a REAL) and fail inside SQLite with a far less helpful message.
  if (!Number.isFinite(ms)) throw new TypeError('cannot store an invalid Date');
  return ms;
}

export function toMillisOrNull(date: Date | null | undefined): number | null {
  return date ? toMillis(date) : null;
}

export function fromMillis(ms: number): Date {
  return new Date(ms);
}

export function fromMillisOrNull(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}
