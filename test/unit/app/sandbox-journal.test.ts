import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearSandboxJournals, openSandboxJournal } from '../../../src/app/sandbox-journal.js';
import { silentLogger } from '../../../src/log.js';

const DATASET = { anchor: '2026-11-23T10:00:00.000Z', seed: 42, incidents: 60 };
const change = (at: number) => ({ at, method: 'PUT', path: '/v4/incidents/7', body: '{"status":"FALSE_POSITIVE"}' });
let dir: string;

beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'dlp-journal-')), 'sandbox-vendors');
});
afterEach(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

describe('the sandbox vendor-state journal', () => {
  it('should write nothing until a first change, then keep every change for the next start', () => {
    const first = openSandboxJournal(dir, 'paloalto', DATASET, silentLogger);
    expect(first.entries()).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    first.append(change(1));
    first.append(change(2));
    expect(openSandboxJournal(dir, 'paloalto', DATASET, silentLogger).entries()).toEqual([change(1), change(2)]);
  });

  it('should not replay the changes of another dataset, and start over at the first new change', () => {
    openSandboxJournal(dir, 'paloalto', DATASET, silentLogger).append(change(1));
    const renewed = { ...DATASET, anchor: '2026-11-24T11:00:00.000Z' };
    const journal = openSandboxJournal(dir, 'paloalto', renewed, silentLogger);
    expect(journal.entries()).toEqual([]);
    journal.append(change(5));
    expect(openSandboxJournal(dir, 'paloalto', renewed, silentLogger).entries()).toEqual([change(5)]);
    expect(readFileSync(join(dir, 'paloalto.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('should skip a line cut short by a crash and keep the rest', () => {
    const journal = openSandboxJournal(dir, 'zscaler', DATASET, silentLogger);
    journal.append(change(1));
    appendFileSync(join(dir, 'zscaler.jsonl'), '{"at":2,"method":"PO');
    expect(openSandboxJournal(dir, 'zscaler', DATASET, silentLogger).entries()).toEqual([change(1)]);
  });

  it('should forget the named sources when the dataset is renewed', () => {
    openSandboxJournal(dir, 'paloalto', DATASET, silentLogger).append(change(1));
    openSandboxJournal(dir, 'skyhigh', DATASET, silentLogger).append(change(1));
    clearSandboxJournals(dir, ['paloalto', 'skyhigh', 'symphony']);
    expect(openSandboxJournal(dir, 'paloalto', DATASET, silentLogger).entries()).toEqual([]);
    expect(existsSync(join(dir, 'skyhigh.jsonl'))).toBe(false);
  });
});
