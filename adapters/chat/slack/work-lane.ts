/**
 * Runs at most `limit` click jobs at once; the rest wait their turn. A burst of clicks then leaves the event
 * loop free to acknowledge the requests still arriving (Slack's 3-second rule) instead of interleaving 50
 * jobs' worth of work with them. Forms are not queued here: their trigger id expires 3 s after the click.
 */
export interface WorkLane {
  run<T>(job: () => Promise<T>): Promise<T>;
}

export function createWorkLane(limit: number): WorkLane {
  let active = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    active -= 1;
    waiting.shift()?.();
  };
  return {
    async run(job) {
      if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      active += 1;
      try {
        return await job();
      } finally {
        release();
      }
    },
  };
}
