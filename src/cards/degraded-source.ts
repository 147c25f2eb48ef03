import { truncate } from '../views/format.js';
import type { View } from '../views/view.js';

const REASON_WIDTH = 300;

/** The admin channel's message when a source's full pass closed nothing because the vendor lost too much at once. */
export function degradedSourceAnnouncement(source: string, reason: string): View {
  return {
    title: `Source ${source} is degraded: its scan closed nothing`,
    tone: 'warning',
    blocks: [
      { type: 'text', text: truncate(reason, REASON_WIDTH) },
      {
        type: 'context',
        text: "No card was closed on the vendor's silence; the next scan is a full pass. `dlp-bot scan --full` checks now.",
      },
    ],
  };
}
