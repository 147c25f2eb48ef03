import { afterEach, describe, expect, it } from 'vitest';
import { createBotAdapter } from '../../../adapters/chat/teams/adapter.js';
import type { TeamsConfig } from '../../../adapters/chat/teams/config.js';
import { createConversationBook } from '../../../adapters/chat/teams/conversations.js';
import { createSendWindows, TEAMS_SEND_WINDOWS } from '../../../adapters/chat/teams/send-window.js';
import { serviceUrlPolicy } from '../../../adapters/chat/teams/service-url.js';
import { createTeamsSurface } from '../../../adapters/chat/teams/surface.js';
import { silentLogger } from '../../../src/log.js';
import type { ChatSurface } from '../../../src/ports/index.js';
import { openStore, type Store } from '../../../src/store/index.js';
import type { View } from '../../../src/views/view.js';
import { type FakeConnector, startFakeConnector } from '../../support/fake-teams/index.js';
import { fixedClock } from '../../support/fixed-clock.js';

const HOUR = 3_600_000;

const fakeClock = () => fixedClock('2026-03-02T09:00:00Z');

describe("Teams' per-conversation send limits", () => {
  it('should allow 1,800 sends an hour in one conversation, paced as the send queue paces, and no more', () => {
    const clock = fakeClock();
    const windows = createSendWindows(() => clock.now().getTime());
    // The queue's pace for Teams: 1.8 a second. Nothing in the first 1,800 is held back.
    for (let i = 0; i < 1_800; i += 1) {
      expect(windows.take('19:alerts')).toBe(0);
      clock.advance(Math.ceil(1_000 / 1.8));
    }
    const wait = windows.take('19:alerts');
    // The first send leaves the hour at 09:00 + 1 h; 1,800 sends at 556 ms took 1,000.8 s.
    expect(wait).toBe(HOUR - 1_800 * 556);
    // Other conversations have their own count.
    expect(windows.take('a:personal-ana')).toBe(0);
    clock.advance(wait);
    expect(windows.take('19:alerts')).toBe(0);
    // Still a full hour: the next slot frees when the second send of the hour leaves it.
    expect(windows.take('19:alerts')).toBe(556);
  });

  it('should hold a burst to 7 a second and 8 in 2 seconds', () => {
    const clock = fakeClock();
    const windows = createSendWindows(() => clock.now().getTime());
    const burst = Array.from({ length: 8 }, () => windows.take('c'));
    expect(burst.slice(0, 7)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(burst[7]).toBe(1_000);
    clock.advance(1_000);
    expect(windows.take('c')).toBe(0);
    expect(windows.take('c')).toBe(1_000);
    expect(TEAMS_SEND_WINDOWS.map((w) => w.max)).toEqual([7, 8, 60, 1_800]);
  });
});

describe('the Teams surface at the hourly limit', () => {
  let connector: FakeConnector;
  let store: Store;
  afterEach(async () => {
    store.close();
    await connector.close();
  });

  it('should answer rate_limited with the wait, without calling Teams, and send again when the hour allows', async () => {
    connector = await startFakeConnector({ members: [] });
    store = openStore(':memory:');
    const clock = fakeClock();
    const config = { auth: 'none', analysts: [], postsPerSecond: 1.8, timeoutSeconds: 10 } as unknown as TeamsConfig;
    const bot = createBotAdapter(config, silentLogger);
    const book = createConversationBook({
      repo: () => store.conversationRefs,
      clock,
      logger: silentLogger,
      serviceUrls: serviceUrlPolicy({ authenticated: false }),
    });
    book.rememberPersonal(
      { channelId: 'msteams', serviceUrl: connector.serviceUrl, conversation: { id: 'a:chat' } as never },
      'aad-ana',
    );
    const surface: ChatSurface = createTeamsSurface(config, bot, book, {
      logger: silentLogger,
      windows: createSendWindows(() => clock.now().getTime(), [{ ms: HOUR, max: 2 }]),
    });
    const view: View = { title: 'Reminder', tone: 'warning', blocks: [{ type: 'text', text: 'You hold it.' }] };

    const sent = [await surface.post('a:chat', view), await surface.direct?.('aad-ana', view)];
    expect(sent.map((r) => r?.ok)).toEqual([true, true]);
    clock.advance(60_000);
    const held = await surface.post('a:chat', view);
    expect(held).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'rate_limited', retryAfterMs: HOUR - 60_000 }),
    });
    expect(connector.messages()).toHaveLength(2);
    // An update edits a message people already see; it is not a send.
    const first = sent[0];
    if (!first?.ok) throw new Error('the first post failed');
    expect(await surface.update(first.value, { ...view, title: 'Taken' })).toEqual({ ok: true, value: undefined });
    clock.advance(HOUR - 60_000);
    expect((await surface.post('a:chat', view)).ok).toBe(true);
    expect(connector.messages()).toHaveLength(3);
  });
});
