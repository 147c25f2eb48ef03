import type { AnswerDeadline } from '../../src/ports/index.js';

/** Answer deadlines that never run out on their own: a test decides when one has, so a race costs it no waiting. */
export interface HeldDeadlines {
  readonly deadline: AnswerDeadline;
  /** The length of every deadline started so far, in order (the product's own figure, in ms). */
  readonly started: number[];
  /** From now on each deadline runs out as soon as it starts, as if the work had taken longer, until `hold()`. */
  expireAtOnce(): void;
  /** Deadlines started from now on never run out (the default). */
  hold(): void;
}

export function createHeldDeadlines(): HeldDeadlines {
  const started: number[] = [];
  let atOnce = false;
  return {
    started,
    deadline(ms, expire) {
      started.push(ms);
      if (atOnce) expire();
      return () => {};
    },
    expireAtOnce() {
      atOnce = true;
    },
    hold() {
      atOnce = false;
    },
  };
}
