import type { LockHolder } from '../store/index.js';

/** `dlp-bot serve (pid 4242 on host bot-1)`. */
export const describeHolder = (h: Pick<LockHolder, 'command' | 'pid' | 'host'>): string =>
  `dlp-bot ${h.command} (pid ${h.pid} on host ${h.host})`;

/** What a second writer is told; apart from the lock itself so `serve`'s module stays light for `--help`. */
export const heldMessage = (h: LockHolder, storeLabel: string): string =>
  `another ${describeHolder(h)} holds ${storeLabel}; stop it first, or point this one at another store`;
