import { afterEach, describe, expect, it } from 'vitest';
import { createBotAdapter } from '../../../adapters/chat/teams/adapter.js';
import type { TeamsConfig } from '../../../adapters/chat/teams/config.js';
import { createConversationBook } from '../../../adapters/chat/teams/conversations.js';
import { createSendWindows } from '../../../adapters/chat/teams/send-window.js';
import { serviceUrlPolicy } from '../../../adapters/chat/teams/service-url.js';
import { createTeamsSurface } from '../../../adapters/chat/teams/surface.js';
import { secret } from '../../../src/config/secret.js';
import { silentLogger } from '../../../src/log.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { type EgressProxy, startEgressProxy } from '../../support/egress-proxy.js';
import { type FakeConnector, startFakeConnector } from '../../support/fake-teams/index.js';
import { fixedClock } from '../../support/fixed-clock.js';

/**
 * The production token path (no `chat.teams.tokenUrl`): with a proxy, the bot's MSAL client asks the proxy for
 * login.microsoftonline.com by name. The proxy refuses every tunnel, so nothing leaves this machine.
 */

let proxy: EgressProxy;
let connector: FakeConnector;
let store: Store;
afterEach(async () => {
  store.close();
  await Promise.all([proxy.close(), connector.close()]);
});

describe('Teams tokens in production behind a proxy', () => {
  it('should ask the proxy for login.microsoftonline.com, resolving nothing itself, and post nothing without a token', async () => {
    proxy = await startEgressProxy({ refuseTunnels: true });
    connector = await startFakeConnector({ members: [] });
    store = openStore(':memory:');
    const clock = fixedClock('2026-03-02T09:00:00Z');
    const config = {
      analysts: [],
      postsPerSecond: 1.8,
      timeoutSeconds: 10,
      appIdEnv: { secret: secret('MICROSOFT_APP_ID', '00000000-0000-0000-0000-00000000e9e5') },
      appPasswordEnv: { secret: secret('MICROSOFT_APP_PASSWORD', 'egress-client-secret') },
      tenantIdEnv: { secret: secret('MICROSOFT_APP_TENANT_ID', 'tenant-egress') },
    } as unknown as TeamsConfig;
    const bot = createBotAdapter(config, silentLogger, { httpProxy: '', httpsProxy: proxy.url, noProxy: '' });
    const book = createConversationBook({
      repo: () => store.conversationRefs,
      clock,
      logger: silentLogger,
      serviceUrls: serviceUrlPolicy({ authenticated: true, serviceUrls: [connector.serviceUrl] }),
    });
    book.rememberPersonal(
      { channelId: 'msteams', serviceUrl: connector.serviceUrl, conversation: { id: 'a:chat' } as never },
      'aad-ana',
    );
    const surface = createTeamsSurface(config, bot, book, {
      logger: silentLogger,
      windows: createSendWindows(() => clock.now().getTime()),
    });

    const sent = await surface.post('a:chat', { title: 'Breach', tone: 'warning', blocks: [] });

    expect(sent.ok).toBe(false);
    expect(proxy.requests()).toContainEqual({
      kind: 'connect',
      target: 'login.microsoftonline.com:443',
      authorization: undefined,
    });
    expect(proxy.requests().every((r) => r.kind === 'connect' && r.target === 'login.microsoftonline.com:443')).toBe(
      true,
    );
    expect(connector.calls).toEqual([]);
  });
});
