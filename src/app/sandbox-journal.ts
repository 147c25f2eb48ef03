import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../log.js';
import type { SimulatorJournal, SimulatorJournalEntry } from '../ports/index.js';

/**
 * The simulated vendors' own triage state (assignments, notes, statuses) is the vendor's, not the bot's, so it
 * lives beside the store rather than in it: one JSON-lines file per sandbox source, a header naming the dataset,
 * then one accepted change per line. Only request bodies of changes are kept, never snippets or matched content.
 */
export const VENDOR_STATE_FOLDER = 'sandbox-vendors';

/** Which dataset the changes apply to; a journal written for another one (a renewed sandbox) is not replayed. */
export interface JournalDataset {
  anchor: string;
  seed: number;
  incidents: number;
}

const Header = z.strictObject({
  sandboxJournal: z.literal(1),
  anchor: z.string(),
  seed: z.number(),
  incidents: z.number(),
});

const Entry = z.strictObject({
  at: z.number().int(),
  method: z.string().min(1),
  path: z.string().startsWith('/'),
  contentType: z.string().optional(),
  body: z.string(),
});

export const vendorStateDir = (storePath: string) => join(dirname(storePath), VENDOR_STATE_FOLDER);

const journalPath = (dir: string, sourceId: string) => join(dir, `${sourceId}.jsonl`);

/**
 * The journal of one sandbox source. Nothing is written until a first change: a scan alone creates no files.
 * Written by `serve` and by one-shot commands that start simulators themselves.
 */
export function openSandboxJournal(
  dir: string,
  sourceId: string,
  dataset: JournalDataset,
  logger: Logger,
): SimulatorJournal {
  const file = journalPath(dir, sourceId);
  const header = { sandboxJournal: 1 as const, ...dataset };
  const loaded = readJournal(file, header, logger.child({ source: sourceId }));
  const entries = loaded ? loaded.entries : [];
  let needsHeader = loaded === null;
  return {
    entries: () => entries,
    append(entry) {
      const line = `${JSON.stringify(entry)}\n`;
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        if (needsHeader) writeFileSync(file, `${JSON.stringify(header)}\n${line}`, { mode: 0o600 });
        else appendFileSync(file, line, { mode: 0o600 });
        needsHeader = false;
        entries.push(entry);
      } catch (error) {
        logger.warn(
          { source: sourceId, err: error },
          'sandbox: vendor state not saved; this change lasts until the simulators stop',
        );
      }
    },
  };
}

/** Forgets every source's vendor state: the sandbox dataset was renewed. */
export function clearSandboxJournals(dir: string, sourceIds: readonly string[]): void {
  for (const id of sourceIds) rmSync(journalPath(dir, id), { force: true });
}

/** The entries of a journal for this dataset; null when there is none (missing, or written for another dataset). */
function readJournal(
  file: string,
  header: z.infer<typeof Header>,
  logger: Logger,
): { entries: SimulatorJournalEntry[] } | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const [first, ...lines] = text.split('\n');
  const found = Header.safeParse(parseJson(first ?? ''));
  const same =
    found.success &&
    found.data.anchor === header.anchor &&
    found.data.seed === header.seed &&
    found.data.incidents === header.incidents;
  if (!same) return null;
  const entries: SimulatorJournalEntry[] = [];
  let unreadable = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const entry = Entry.safeParse(parseJson(line));
    if (entry.success) entries.push(entry.data);
    else unreadable += 1;
  }
  // A line cut short by a crash mid-write is the usual cause; the rest of the state is still good.
  if (unreadable > 0) logger.warn({ unreadable }, 'sandbox: unreadable vendor state lines skipped');
  return { entries };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
