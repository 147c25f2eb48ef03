import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackConfig } from '../../../adapters/chat/slack/config.js';
import { tellPrivately } from '../../../adapters/chat/slack/reply.js';
import { createSlackWebClient } from '../../../adapters/chat/slack/web.js';
import { createLogger } from '../../../src/log.js';
import { type FakeSlack, startFakeSlack } from '../../support/fake-slack/index.js';

const EVIDENCE = 'EVIDENCE-4111-1111-1111-1111';

describe("Slack's own debug lines", () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await startFakeSlack({ users: [{ id: 'U0ANA', name: 'ana' }], channels: [{ id: 'C0DLP', name: 'dlp' }] });
  });
  afterAll(() => fake.close());

  it('should never log a message body (snippets go out in one) or the bot token, even at debug', async () => {
    let out = '';
    const destination = new Writable({
      write(chunk, _encoding, done) {
        out += String(chunk);
        done();
      },
    });
    const logger = createLogger({ level: 'debug', format: 'json', destination });
    const config = { botTokenEnv: { reveal: () => fake.token }, apiUrl: fake.apiUrl } as unknown as SlackConfig;
    const client = createSlackWebClient(config, logger);
    const view = {
      title: 'Snippets for pan-prod:1',
      tone: 'neutral' as const,
      blocks: [{ type: 'text' as const, text: `card ${EVIDENCE}` }],
    };
    await tellPrivately(client, logger, { user: 'U0ANA', channel: 'C0DLP' }, view);
    expect(fake.ephemerals('U0ANA').some((e) => JSON.stringify(e).includes(EVIDENCE))).toBe(true);
    // WebClient did log the call at debug level: it is the body that must be missing.
    expect(out).toContain('chat.postEphemeral');
    expect(out).not.toContain(EVIDENCE);
    expect(out).not.toContain(fake.token);
  });
});
