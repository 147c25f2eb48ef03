/**
 * Runs `work` calls one after another: a call made while another runs starts when that one ends. For work that
 * checks "already sent?" and then awaits the platform, where two interleaved calls would both send.
 */
export function serially<A extends unknown[], T>(work: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (...args) => {
    const run = () => work(...args);
    const next = tail.then(run, run);
    tail = next.catch(() => undefined);
    return next;
  };
}
