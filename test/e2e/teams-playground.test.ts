import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { eventually, executeActions, startTeamsDeployment, type TeamsDeployment } from '../support/teams-e2e.js';

/**
 * The bot against Microsoft's own Teams emulator, the Agents Playground (offline, headless), driven through
 * its HTTP and WebSocket API (undocumented; pinned to 0.2.28, see shared reference §9.4): its activities,
 * its connector, its invoke validation. The fake connector suite covers the rest.
 */
const CLI = join(process.cwd(), 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');

interface StreamEvent {
  action: string;
  message?: { messageId?: string; text?: string; attachments?: { content?: unknown }[] };
}

let teams: TeamsDeployment;
let playground: ChildProcess;
let base: string;
let cwd: string;
const events: StreamEvent[] = [];
let stream: WebSocket;

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

beforeAll(async () => {
  // The Playground's own user, Alex Wilber, by the email its roster gives for him.
  teams = await startTeamsDeployment({ incidents: 20, analysts: ['alexw@example.com'], auth: 'none' });
  cwd = mkdtempSync(join(tmpdir(), 'dlp-playground-'));
  const port = await freePort();
  let out = '';
  playground = spawn(
    process.execPath,
    [CLI, 'start', '-p', String(port), '-e', teams.url, '-c', 'msteams', '--disable-telemetry'],
    {
      cwd,
      env: {
        ...process.env,
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_LOGFILE: join(cwd, 'playground.log'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  playground.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  const listening = await eventually(() => /Listening on (\d+)/.exec(out)?.[1], 'the Playground', 20_000);
  base = `http://127.0.0.1:${listening}`;
  stream = new WebSocket(`ws://127.0.0.1:${listening}/_ws_conversation/v1/conversations/stream`);
  stream.on('message', (data) => events.push(JSON.parse(String(data)) as StreamEvent));
  await new Promise((resolve, reject) => stream.once('open', resolve).once('error', reject));
}, 60_000);

afterAll(async () => {
  stream?.close();
  playground?.kill();
  if (teams) expect(await teams.stop()).toBe(0);
  if (cwd) rmSync(cwd, { recursive: true, force: true });
});

async function personalChat(): Promise<string> {
  const config = (await (await fetch(`${base}/_internal/v1/config`)).json()) as {
    config: { personalChat: { id: string } };
  };
  return config.config.personalChat.id;
}

async function say(conversation: string, text: string): Promise<StreamEvent> {
  const before = events.length;
  const response = await fetch(`${base}/_conversation/v1/conversations/${conversation}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ from: { id: 'user-id-0' }, text, textFormat: 'plain' }),
  });
  expect(response.status).toBe(200);
  return eventually(
    () => events.slice(before).find((e) => e.action === 'createMessage' && e.message?.attachments?.length),
    `the answer to "${text}"`,
    10_000,
  );
}

describe('in the Microsoft 365 Agents Playground', () => {
  it('should answer "dlp aging high" and make the card buttons of "dlp show" work', async () => {
    const chat = await personalChat();
    const aging = await say(chat, 'dlp aging high');
    const agingCard = JSON.stringify(aging.message?.attachments?.[0]?.content);
    expect(agingCard).toMatch(/awaiting triage/);
    const ref = /"text":"(pan-prod:\d+)"/.exec(agingCard)?.[1];
    expect(ref).toBeDefined();
    const shown = await say(chat, `dlp show ${ref}`);
    const card = shown.message?.attachments?.[0]?.content;
    const snippets = executeActions(card).get('incident.snippets');
    expect(snippets).toBeDefined();
    const invoke = await fetch(`${base}/_conversation/v1/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'adaptiveCard/action',
        conversation: { id: chat },
        from: { id: 'user-id-0' },
        replyToId: shown.message?.messageId,
        value: { action: { type: 'Action.Execute', verb: 'incident.snippets', data: snippets }, trigger: 'manual' },
      }),
    });
    expect(invoke.status).toBe(200);
    const body = (await invoke.json()) as { type: string; value: unknown };
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(body.value)).toContain(`Snippets for ${ref}`);
  }, 30_000);
});
