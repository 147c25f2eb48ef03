/** At most `max` sends in any `ms` milliseconds. */
export interface Window {
  ms: number;
  max: number;
}

/**
 * Teams' limits per bot per conversation on sending and on opening conversations (msteams-docs
 * `bots/how-to/rate-limit.md`): 7 per second, 8 per 2 s, 60 per 30 s and 1,800 per hour. The send queue's
 * pace (a burst of 4, then 1.8 a second) keeps the short ones but would send 6,480 in an hour; DMs do not go
 * through the queue at all. So the surface counts every send itself.
 */
export const TEAMS_SEND_WINDOWS: readonly Window[] = [
  { ms: 1_000, max: 7 },
  { ms: 2_000, max: 8 },
  { ms: 30_000, max: 60 },
  { ms: 3_600_000, max: 1_800 },
];

export interface SendWindows {
  /**
   * Takes a send slot in this conversation: 0 when the send may go now (and is counted), otherwise how many
   * milliseconds until one is free (nothing is counted; the caller answers `rate_limited` rather than wait).
   */
  take(conversation: string): number;
}

/** `now`: milliseconds on whatever clock the caller counts sends by. */
export function createSendWindows(now: () => number, windows: readonly Window[] = TEAMS_SEND_WINDOWS): SendWindows {
  const longest = Math.max(...windows.map((w) => w.ms));
  /** Send times per conversation, oldest first, none older than the longest window. */
  const sent = new Map<string, number[]>();
  return {
    take(conversation) {
      const at = now();
      const times = (sent.get(conversation) ?? []).filter((t) => t > at - longest);
      let wait = 0;
      for (const { ms, max } of windows) {
        const inWindow = times.filter((t) => t > at - ms);
        // The oldest send that must leave the window before another fits.
        const blocking = inWindow.length >= max ? inWindow[inWindow.length - max] : undefined;
        if (blocking !== undefined) wait = Math.max(wait, blocking + ms - at);
      }
      if (wait === 0) times.push(at);
      if (times.length > 0) sent.set(conversation, times);
      else sent.delete(conversation);
      return wait;
    },
  };
}
