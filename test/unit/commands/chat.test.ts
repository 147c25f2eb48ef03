import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ChatCommandOptions, runChatCommand } from '../../../commands/chat.js';
import { type CommandContext, type CommandSpec, defineCommand } from '../../../commands/command.js';
import { COMMANDS } from '../../../commands/index.js';
import { createLogger } from '../../../src/log.js';
import type { ChatUser } from '../../../src/ports/inbound.js';
import { fakeIncident } from '../../support/fake-source.js';
import { createHarness, type Harness, hoursAgo, NOW } from './harness.js';

const harnesses: Harness[] = [];
afterEach(() => {
  for (const h of harnesses.splice(0)) h.close();
});

const alice: ChatUser = {
  surface: 'slack',
  userId: 'U0ALICE',
  display: 'Alice',
  email: 'alice@corp.example',
  groups: ['S0SOC'],
};

function logCapture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', format: 'json', destination }) };
}

async function setup() {
  const h = createHarness();
  harnesses.push(h);
  await h.scan(
    fakeIncident('pan-prod', 'OLD', { severity: 'high', createdAt: hoursAgo(9), assignee: 'alice@corp.example' }),
    fakeIncident('pan-prod', 'NEW', { severity: 'high', createdAt: hoursAgo(1) }),
  );
  const log = logCapture();
  const chat = (
    text: string,
    overrides: Partial<ChatCommandOptions> = {},
    registry: readonly CommandSpec[] = COMMANDS,
  ) =>
    runChatCommand(registry, text, {
      user: alice,
      role: 'viewer',
      channel: 'C0SOC',
      correlationId: 'cmd-7f3a',
      runtime: h.runtime,
      clock: { now: () => NOW },
      logger: log.logger,
      adapters: [],
      ...overrides,
    }).then((run) => run.reply);
  return { h, chat, log };
}

const textOf = (view: { title: string; blocks: unknown[] }) => JSON.stringify(view);

/** A command that records the context it was given, or throws. */
function probe(behaviour: 'record' | 'throw', seen: CommandContext[] = []) {
  return defineCommand({
    name: 'probe',
    summary: 'test probe',
    usage: '',
    details: [],
    examples: [],
    options: {},
    args: z.object({ _: z.array(z.string()) }),
    role: 'viewer',
    surfaces: ['chat'],
    async run(_args, ctx) {
      if (behaviour === 'throw') throw new Error('disk on fire under /var/lib/dlp-bot/secret-path');
      seen.push(ctx);
      return { view: { title: 'probed', tone: 'neutral', blocks: [] } };
    },
  });
}

describe('runChatCommand: /dlp with the CLI handlers', () => {
  it('should answer privately unless --share appears, wherever it appears', async () => {
    const { chat } = await setup();
    const plain = await chat('aging high');
    expect(plain.share).toBe(false);
    expect(plain.view.title).toBe('2 high-severity incidents awaiting triage, 1 past SLA');
    for (const text of ['aging high --share', '--share aging high', 'aging --share high']) {
      const shared = await chat(text);
      expect(shared).toEqual({ view: plain.view, share: true });
    }
  });

  it('should answer bad arguments with the message and the chat usage, privately even with --share', async () => {
    const { chat } = await setup();
    const reply = await chat('aging --limit lots --share');
    expect(reply.share).toBe(false);
    expect(reply.view.title).toBe('/dlp: --limit: expected a whole number');
    expect(reply.view.tone).toBe('warning');
    expect(reply.view.blocks[0]).toEqual({ type: 'text', text: 'Usage: /dlp aging [severity] [source] [--limit N]' });
    const unknown = await chat('frobnicate now');
    expect(unknown.view.title).toBe('/dlp: unknown command "frobnicate"');
    expect(unknown.view.blocks[0]).toEqual({ type: 'text', text: 'Usage: /dlp help lists the commands' });
    expect((await chat('serve')).view.title).toBe('/dlp: unknown command "serve"');
    // Chat goes through the same parser as the terminal, so a typo gets the same nudge.
    expect((await chat('agin high')).view.title).toBe('/dlp: unknown command "agin"; did you mean "aging"?');
    expect((await chat('show pan-prod')).view.title).toBe(
      '/dlp: argument: expected <source>:<id>, e.g. pan-prod:579842',
    );
  });

  it('should refuse --json, which would put a JSON dump in the channel', async () => {
    const { chat } = await setup();
    for (const text of ['aging --json', 'digest --json=true --share']) {
      const reply = await chat(text);
      expect(reply.share).toBe(false);
      expect(reply.view.title).toBe(
        '/dlp: --json is for the dlp-bot command line; in chat the answer is always a message',
      );
      expect(textOf(reply.view)).not.toContain('"overdueMinutes"');
    }
  });

  it('should deny a command above the role, name the role, and not run it', async () => {
    const { h, chat, log } = await setup();
    const listedBefore = h.sources[0]?.calls.length;
    for (const role of ['viewer', 'analyst', 'lead'] as const) {
      const reply = await chat('scan --once --share', { role });
      expect(reply).toMatchObject({ share: false, view: { title: '/dlp scan needs the admin role', tone: 'warning' } });
    }
    expect(h.sources[0]?.calls.length).toBe(listedBefore);
    expect(log.lines.filter((l) => l.msg === 'chat command denied')).toHaveLength(3);
    const admin = await chat('scan --once', { role: 'admin' });
    expect(admin.view.title).toMatch(/^Scan finished: /);
    expect(h.sources[0]?.calls.length).toBeGreaterThan(listedBefore ?? 0);
  });

  it('should turn an exception into a correlation id for the person and the error for the log', async () => {
    const { chat, log } = await setup();
    const reply = await chat('probe --share', {}, [...COMMANDS, probe('throw')]);
    expect(reply.share).toBe(false);
    expect(reply.view.title).toBe('Something went wrong (correlation id cmd-7f3a)');
    expect(reply.view.tone).toBe('danger');
    expect(textOf(reply.view)).not.toContain('disk on fire');
    expect(textOf(reply.view)).not.toMatch(/\bat .*\.ts:\d+/);
    const line = log.lines.find((l) => l.msg === 'chat command failed unexpectedly');
    expect(line).toMatchObject({
      level: 50,
      correlationId: 'cmd-7f3a',
      command: 'probe',
      user: 'U0ALICE',
      err: { message: 'disk on fire under /var/lib/dlp-bot/secret-path' },
    });
  });

  it('should write each key once when the logger it is given already names the surface and the correlation id', async () => {
    const { chat } = await setup();
    const raw: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        raw.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    // What serve hands over: the surface's logger, bound to the command's correlation id by the inbound handler.
    const logger = createLogger({ level: 'info', format: 'json', destination })
      .child({ runId: 'cmd-serve', surface: 'slack' })
      .child({ correlationId: 'cmd-7f3a' });
    await chat('probe', { logger }, [...COMMANDS, probe('throw')]);
    const line = raw.find((l) => l.includes('chat command failed unexpectedly')) ?? '';
    for (const key of ['correlationId', 'surface', 'user', 'runId']) {
      expect(line.split(`"${key}":`).length - 1, `${key} in ${line}`).toBe(1);
    }
  });

  it('should give the command a chat context: the invoker and role, the registry, no progress, no stop', async () => {
    const { h, chat } = await setup();
    const seen: CommandContext[] = [];
    const registry = [...COMMANDS, probe('record', seen)];
    await chat('probe', { role: 'analyst' }, registry);
    const [ctx] = seen;
    if (!ctx) throw new Error('probe did not run');
    expect(ctx.invoker).toEqual({
      surface: 'slack',
      userId: 'U0ALICE',
      display: 'Alice',
      email: 'alice@corp.example',
      role: 'analyst',
    });
    expect(ctx.correlationId).toBe('cmd-7f3a');
    expect(ctx.commands).toBe(registry);
    expect(ctx.runtime()).toBe(h.runtime);
    expect(ctx.clock.now()).toEqual(NOW);
    expect(() => ctx.progress('50 %')).not.toThrow();
    expect(() => ctx.print({ title: 'x', tone: 'neutral', blocks: [] })).not.toThrow();
    const stopped = await Promise.race([ctx.stopRequested.then(() => 'stopped'), Promise.resolve('running')]);
    expect(stopped).toBe('running');
  });

  it('should treat a user from a surface it does not know as a failure, not as the CLI', async () => {
    const { chat } = await setup();
    const reply = await chat('probe', { user: { ...alice, surface: 'discord' } }, [...COMMANDS, probe('record')]);
    expect(reply.view.title).toBe('Something went wrong (correlation id cmd-7f3a)');
  });

  it('should answer help and --help with the chat form of help', async () => {
    const { chat } = await setup();
    const overview = await chat('');
    expect(overview.share).toBe(false);
    expect(textOf(overview.view)).toContain('/dlp mine');
    expect(textOf(overview.view)).not.toContain('/dlp serve');
    const shared = await chat('help aging --share');
    expect(shared.share).toBe(true);
    expect(shared.view.title).toMatch(/^\/dlp aging: /);
    const flag = await chat('aging --help');
    expect(textOf(flag.view)).toContain('Usage: /dlp aging [severity] [source] [--limit N]');
    expect(textOf(flag.view)).not.toContain('--json');
  });

  it("should answer mine with the chat user's own incidents", async () => {
    const { chat } = await setup();
    const reply = await chat('mine');
    expect(reply.view.title).toBe('1 incident awaiting triage assigned to alice@corp.example, 1 past SLA');
    expect(textOf(reply.view)).toContain('pan-prod:OLD');
    expect(textOf(reply.view)).not.toContain('pan-prod:NEW');
  });
});
