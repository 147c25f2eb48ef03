/**
 * What the clicks benchmark watches from outside the bot: the sender thread's acks, each clicker's private answer
 * and the first scan's posts in the fake Slack, and the bot's audit rows in its store.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { FakeMessage, FakeSlack, Json } from '../test/support/fake-slack/types.js';
import { BOT_SOURCE_ID } from './clicks-bot.js';
import { epochNow, type SenderInput, type SentClick } from './clicks-sender.js';

const ANSWER_POLL_MS = 10;

export interface Click {
  user: string;
  incidentId: string;
  body: string;
  /** Epoch ms (sub-ms precision), from the sender thread. */
  sentAt: number;
  ackMs: number;
  status: number;
  /** Epoch ms when this process first saw the clicker's private answer. */
  answeredAt: number | null;
  answer: 'snippets' | 'other' | null;
}

/** Runs bench/clicks-sender.ts in a worker thread and returns what it measured, in click order. */
export function sendFromWorker(input: SenderInput): Promise<SentClick[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./clicks-sender.js', import.meta.url), { workerData: input });
    worker.once('message', (message: { ok: true; results: SentClick[] } | { ok: false; message: string }) => {
      if (message.ok) resolve(message.results);
      else reject(new Error(`click sender: ${message.message}`));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`click sender exited (${code}) without results`)));
  });
}

/** Polls the fake Slack for each clicker's private answer until all have one or the deadline passes. */
export async function watchAnswers(fake: FakeSlack, clicks: Click[], timeoutMs: number): Promise<void> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const now = epochNow();
    for (const click of clicks) {
      if (click.answer !== null) continue;
      const answers = fake.ephemerals(click.user);
      if (answers.length === 0) continue;
      const ref = `${BOT_SOURCE_ID}:${click.incidentId}`;
      click.answer = answers.some((e) => e.text?.includes(`Snippets for ${ref}`)) ? 'snippets' : 'other';
      click.answeredAt = now;
    }
    if (clicks.every((c) => c.answer !== null) || performance.now() > until) return;
    await sleep(ANSWER_POLL_MS);
  }
}

/** The first scan's top-level posts, once their number has stopped changing. */
export async function settledPosts(fake: FakeSlack, channel: string): Promise<FakeMessage[]> {
  let last = -1;
  for (let tries = 0; tries < 600; tries += 1) {
    const posts = fake.messages(channel, { topLevelOnly: true });
    if (posts.length > 0 && posts.length === last) return posts;
    last = posts.length;
    await sleep(200);
  }
  throw new Error('the first scan posted nothing');
}

export function buttonValue(message: FakeMessage, actionId: string): string | undefined {
  for (const block of message.blocks ?? []) {
    for (const element of ((block as { elements?: Json[] }).elements ?? []) as Json[]) {
      if (element.action_id === actionId && typeof element.value === 'string') return element.value;
    }
  }
  return undefined;
}

export function snippetAuditRows(storePath: string): { outcome: string; incident_id: string | null }[] {
  // Read-only, next to the running bot (WAL mode allows it); the rows it committed are visible here.
  const db = new Database(storePath, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare("SELECT outcome, incident_id FROM audit_events WHERE action = 'incident.snippets' ORDER BY seq")
      .all() as { outcome: string; incident_id: string | null }[];
  } finally {
    db.close();
  }
}
