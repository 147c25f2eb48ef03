/**
 * A new user's first hour with Symantec or Skyhigh: run `dlp-bot simulate --vendor …` in one terminal (a real
 * child process, the compiled executable), paste the source entry and environment it printed into the config,
 * and run `dlp-bot serve` against Slack (the fake Slack Web API). No code change, no test hooks: the scan must
 * store and post breaches, and a click must change the incident as the simulator's own HTTP API reports it.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendBlockAction, sendViewSubmission } from '../support/fake-slack/requests.js';
import type { FakeMessage, Json } from '../support/fake-slack/types.js';
import { readPrintedConfig } from '../support/simulate-output.js';
import { ANALYST, eventually, SETTLE_POLL_MS, SIGNING_SECRET, startSlackBot } from '../support/slack-e2e.js';
import { formSubmission, incidentOf, slackCards } from '../support/slack-e2e-cards.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'dlp-bot.js');

beforeAll(() => {
  // `npm test` builds first; a bare `vitest run` on a fresh clone builds here so this test means something.
  if (!existsSync(join(root, 'dist', 'src', 'cli.js'))) {
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
});

interface Simulate {
  /** Everything it printed once it said it is running. */
  printed: string;
  stop(): Promise<number | null>;
}

/** `dlp-bot simulate …` in its own process, as a user runs it in a second terminal; Ctrl-C stops it. */
async function simulate(args: string[]): Promise<Simulate> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [bin, 'simulate', ...args], {
    cwd: root,
    env: { ...process.env, DLP_BOT_LOG_LEVEL: 'warn' },
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const printed = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`simulate printed no base URL:\n${stdout}\n${stderr}`)), 15_000);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      // The description is printed in one block; the environment line to paste is its last line.
      if (/base URL:/.test(stdout) && /environment:.*\n/.test(stdout)) {
        clearTimeout(timer);
        resolve(stdout);
      }
    });
    void exited.then((code) => reject(new Error(`simulate exited (${code}):\n${stdout}\n${stderr}`)));
  });
  return {
    printed,
    async stop() {
      child.kill('SIGINT');
      return exited;
    },
  };
}

const printedValue = (printed: string, pattern: RegExp): string => {
  const value = pattern.exec(printed)?.[1];
  if (!value) throw new Error(`not in the simulator's output: ${pattern}\n${printed}`);
  return value;
};

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** The bot, started on a config a user wrote, with helpers to read what it did and to click as the analyst. */
async function deploy(sources: string[], env: Record<string, string>) {
  const bot = await startSlackBot({ sources, env, rollupAfter: 500 });
  const cards = slackCards(() => bot);
  const { parents } = cards;
  // The first scan runs at start; wait until its announcements have all been posted.
  let last = -1;
  await eventually(
    () => {
      const count = parents().length;
      const settled = count > 0 && count === last && /Scan finished/.test(bot.stdout());
      last = count;
      return settled;
    },
    'the first breach posts',
    20_000,
    SETTLE_POLL_MS,
  );
  const slaStates = () => {
    const db = new Database(bot.storePath, { readonly: true });
    try {
      const rows = db.prepare('SELECT source, id, sla_state FROM incidents').all() as {
        source: string;
        id: string;
        sla_state: string | null;
      }[];
      return new Map(rows.map((r) => [`${r.source}:${r.id}`, r.sla_state]));
    } finally {
      db.close();
    }
  };
  /** Clicks `actionId` on an unused breach card, fills in its form, and returns the incident id. */
  const clickAndSubmit = async (
    actionId: string,
    callbackId: string,
    values: Record<string, Record<string, string>>,
  ) => {
    const message = cards.pick(actionId);
    const reply = await sendBlockAction(bot.eventsUrl, SIGNING_SECRET, cards.clickPayload(ANALYST, message, actionId));
    expect(reply.status).toBe(200);
    const opened = await cards.openedForm(callbackId, `the ${callbackId} form`);
    const submitted = await sendViewSubmission(bot.eventsUrl, SIGNING_SECRET, formSubmission(ANALYST, opened, values));
    expect(submitted.status).toBe(200);
    return { id: incidentOf(message).id, message };
  };
  return { bot, parents, slaStates, clickAndSubmit };
}

type Deployment = Awaited<ReturnType<typeof deploy>>;

/** Every post is one of this source's incidents, stored, and the breached ones are among them. */
function expectBreachesStoredAndPosted(deployment: Deployment, source: string) {
  const posted = deployment.parents();
  const states = deployment.slaStates();
  expect(posted.length).toBeGreaterThan(0);
  const postedStates = posted.map((m) => {
    const { source: from, id } = incidentOf(m);
    expect(from).toBe(source);
    return states.get(`${from}:${id}`);
  });
  expect(postedStates.every((s) => s === 'due_soon' || s === 'breached' || s === 'escalated')).toBe(true);
  expect(postedStates.filter((s) => s === 'breached' || s === 'escalated').length).toBeGreaterThan(0);
  // Every breached incident the scan stored was announced.
  const breachedStored = [...states.values()].filter((s) => s === 'breached' || s === 'escalated').length;
  expect(postedStates.filter((s) => s === 'breached' || s === 'escalated').length).toBe(breachedStored);
}

describe('Symantec DLP, as a new user sets it up against `dlp-bot simulate`', () => {
  let simulator: Simulate;
  let deployment: Deployment;
  let baseUrl: string;
  let authorization: string;

  beforeAll(async () => {
    simulator = await simulate(['--vendor', 'symantec', '--incidents', '60', '--seed', '7']);
    baseUrl = printedValue(simulator.printed, /base URL:\s+(\S+)/);
    const user = printedValue(simulator.printed, /HTTP Basic, user (\S+),/);
    const password = printedValue(simulator.printed, /password (\S+)/);
    authorization = basic(user, password);
    // The source entry and environment simulate printed, pasted as they stand.
    const { entry, env } = readPrintedConfig(simulator.printed);
    deployment = await deploy(entry, env);
  }, 40_000);
  afterAll(async () => {
    expect(await deployment?.bot.stop()).toBe(0);
    expect(await simulator?.stop()).toBe(0);
  });

  const vendorGet = async (path: string) => {
    const response = await fetch(`${baseUrl}${path}`, { headers: { authorization } });
    expect(response.status).toBe(200);
    return (await response.json()) as Json;
  };

  it('should store the scanned incidents and post every breach', async () => {
    expectBreachesStoredAndPosted(deployment, 'symantec');
    // What was posted is still New in Enforce: only the New status is listed by default.
    const { id } = incidentOf(deployment.parents()[0] as FakeMessage);
    const editable = await vendorGet(`/incidents/${id}/editableAttributes`);
    expect((editable.infoMap as Json).incidentStatusId).toBe(1);
  });

  it('should add a note from Slack that Enforce then shows in the incident history', async () => {
    const text = 'Called the sender; the file was a public price list.';
    const { id } = await deployment.clickAndSubmit('incident.note', 'incident.note', {
      note: { note_text: text },
    });
    const history = await eventuallyAsync(async () => {
      const rows = (await vendorGet(`/incidents/${id}/history`)) as unknown as Json[];
      return rows.some((r) => r.incidentHistoryAction === 'ADD_COMMENT') ? rows : false;
    }, 'the note in Enforce');
    const comments = history.filter((r) => r.incidentHistoryAction === 'ADD_COMMENT');
    expect(comments.map((r) => r.incidentHistoryDetail).join('\n')).toContain(text);
  });

  it('should mark a false positive from Slack that Enforce then reports as the False Positive status', async () => {
    const { id } = await deployment.clickAndSubmit('incident.false_positive', 'incident.false_positive', {
      reason: { reason_text: 'Test data from the QA environment' },
    });
    const status = await eventuallyAsync(async () => {
      const editable = await vendorGet(`/incidents/${id}/editableAttributes`);
      const name = String((editable.infoMap as Json).incidentStatusName ?? '');
      return /False Positive/.test(name) ? name : false;
    }, 'the False Positive status in Enforce');
    expect(status).toMatch(/False Positive/);
    // The audit row is written once the vendor has answered, a moment after the change is visible there.
    const audited = await eventually(() => auditedOk(deployment, id), 'the audit row');
    expect(audited).toEqual([expect.objectContaining({ action: 'incident.false_positive' })]);
  });
});

describe('Skyhigh Security, as a new user sets it up against `dlp-bot simulate`', () => {
  let simulator: Simulate;
  let deployment: Deployment;
  let baseUrl: string;
  let authorization: string;

  beforeAll(async () => {
    simulator = await simulate(['--vendor', 'skyhigh', '--incidents', '60', '--seed', '7']);
    baseUrl = printedValue(simulator.printed, /base URL:\s+(\S+)/);
    const [, user, password] = /HTTP Basic (\S+) \/ (\S+?),/.exec(simulator.printed) ?? [];
    if (!user || !password) throw new Error(`no credentials printed:\n${simulator.printed}`);
    authorization = basic(user, password);
    // The source entry and environment simulate printed, pasted as they stand.
    const { entry, env } = readPrintedConfig(simulator.printed);
    deployment = await deploy(entry, env);
  }, 40_000);
  afterAll(async () => {
    expect(await deployment?.bot.stop()).toBe(0);
    expect(await simulator?.stop()).toBe(0);
  });

  /** Every incident modified in the last year, as queryIncidents serves it. */
  const vendorIncidents = async () => {
    const response = await fetch(`${baseUrl}/v1/queryIncidents?limit=500`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ startTime: new Date(Date.now() - 365 * 86_400_000).toISOString() }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { body: { incidents: Json[] } };
    return body.body.incidents;
  };

  it('should store the scanned incidents and post every breach', async () => {
    expectBreachesStoredAndPosted(deployment, 'skyhigh');
    const { id } = incidentOf(deployment.parents()[0] as FakeMessage);
    const record = (await vendorIncidents()).find((r) => r.incidentId === id);
    expect(record?.status).toMatch(/^(new|opened)$/);
  });

  it('should mark a false positive from Slack that queryIncidents then reports', async () => {
    const { id } = await deployment.clickAndSubmit('incident.false_positive', 'incident.false_positive', {
      reason: { reason_text: 'Sanctioned transfer to the auditors' },
    });
    const status = await eventuallyAsync(async () => {
      const record = (await vendorIncidents()).find((r) => r.incidentId === id);
      return record?.status === 'false positive' ? record.status : false;
    }, 'the false positive status in Skyhigh');
    expect(status).toBe('false positive');
    // The audit row is written once the vendor has answered, a moment after the change is visible there.
    const audited = await eventually(() => auditedOk(deployment, id), 'the audit row');
    expect(audited).toEqual([expect.objectContaining({ action: 'incident.false_positive' })]);
  });
});

function auditedOk(deployment: Deployment, id: string) {
  const rows = deployment.bot.auditRows().filter((r) => r.incident_id === id && r.outcome === 'ok');
  return rows.length > 0 ? rows : false;
}

/** `eventually` for checks that need a request each time. */
async function eventuallyAsync<T>(check: () => Promise<T | false>, what: string, timeoutMs = 8_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
