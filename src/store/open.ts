import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { type ActionRequestRepo, createActionRequestRepo } from './action-requests.js';
import { type AuditLog, createAuditLog } from './audit.js';
import { type ControlRequestRepo, createControlRequestRepo } from './control-requests.js';
import { type ConversationRefRepo, createConversationRefRepo } from './conversation-refs.js';
import { createDeadLetterRepo, type DeadLetterRepo } from './dead-letters.js';
import { createDigestRetryRepo, type DigestRetryRepo } from './digest-retries.js';
import { createDigestStatsRepo, type DigestStatsRepo } from './digest-stats.js';
import { createDirectMessageRepo, type DirectMessageRepo } from './direct-messages.js';
import { guardRepo, StoreError, toStoreError, withStoreErrors } from './errors.js';
import { createIdentityRepo, createVendorUserRepo, type IdentityRepo, type VendorUserRepo } from './identities.js';
import { createIncidentRepo, type IncidentRepo } from './incidents.js';
import { createInstanceLockRepo, type InstanceLockRepo } from './instance-lock.js';
import { createJobRunRepo, type JobRunRepo } from './job-runs.js';
import { createNoteRepo, type NoteRepo } from './local-notes.js';
import { loadMigrations, migrate } from './migrate.js';
import { createNoticeRepo, type NoticeRepo } from './notices.js';
import { createOpsFiguresRepo, type OpsFiguresRepo } from './ops-figures.js';
import { createOutboxRepo, type OutboxRepo } from './outbox.js';
import { createPostClaimRepo, type PostClaimRepo } from './post-claims.js';
import { createPostingRepo, type PostingRepo } from './postings.js';
import { createScanStateRepo, type ScanStateRepo } from './scan-state.js';
import { createSettingsRepo, type SettingsRepo } from './settings.js';
import { createSourceOriginRepo, type SourceOriginRepo } from './source-origins.js';
import { createTriageRepo, type TriageRepo } from './triage-local.js';
import { createWriteBackRepo, type WriteBackRepo } from './write-backs.js';

export interface Store {
  /**
   * The SQLite connection, for the store's own modules and for tests that inspect the file. Nothing outside
   * src/store/ reads it (no SQL lives elsewhere), so a second store (PostgreSQL) implements the repos, not this.
   */
  db: Database.Database;
  incidents: IncidentRepo;
  scanState: ScanStateRepo;
  /** Where each source's data came from, so a source pointed elsewhere is noticed (see app/origins.ts). */
  origins: SourceOriginRepo;
  postings: PostingRepo;
  /** Cards being sent, or whose send never answered: the platform may hold them unrecorded. */
  postClaims: PostClaimRepo;
  outbox: OutboxRepo;
  identities: IdentityRepo;
  vendorUsers: VendorUserRepo;
  settings: SettingsRepo;
  audit: AuditLog;
  /** Assignments and closures recorded here for vendors that cannot hold them. */
  triage: TriageRepo;
  /** Notes for vendors without a note API. */
  notes: NoteRepo;
  /** Clicks already handled (idempotency). */
  requests: ActionRequestRepo;
  writeBacks: WriteBackRepo;
  /** Runs of scheduled jobs (scans, digests, notices). */
  jobRuns: JobRunRepo;
  /** Once-only escalation posts, DMs and reminders; digests per channel and day; reminder snoozes. */
  notices: NoticeRepo;
  /** Reminder and escalation DMs as sent, updated in place when their incident's card changes. */
  directMessages: DirectMessageRepo;
  /** Figures for the daily digest. */
  digestStats: DigestStatsRepo;
  /** Same-day retries of a failed digest, so the daily cap survives a restart. */
  digestRetries: DigestRetryRepo;
  /** Teams conversation references, for proactive posts. */
  conversationRefs: ConversationRefRepo;
  /** Outbox rows given up after the maximum attempts: listed, announced once, retried by hand. */
  deadLetters: DeadLetterRepo;
  /** What /metrics reads at scrape time. */
  opsFigures: OpsFiguresRepo;
  /** Which process writes this store (one `serve`, or a one-shot scan while none runs). */
  instanceLock: InstanceLockRepo;
  /** What one-shot commands ask the running `serve` to do (a scan), and its answers. */
  controlRequests: ControlRequestRepo;
  /** Runs `fn` in one transaction (a savepoint when nested); it must be synchronous. A throw rolls it all back. */
  transaction<T>(fn: () => T): T;
  close(): void;
}

export interface OpenStoreOptions {
  readonly?: boolean;
}

const BUSY_TIMEOUT_MS = 5_000;
const isMemory = (path: string) => path === ':memory:' || path === '';

/** Opens (creating when needed) and migrates the database; `':memory:'` for tests. Throws StoreError. */
export function openStore(path: string, options: OpenStoreOptions = {}): Store {
  const readonly = options.readonly === true;
  const where = isMemory(path) ? '(in memory)' : resolve(path);
  if (!isMemory(path) && !readonly) mkdirSync(dirname(where), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(path, { readonly, fileMustExist: readonly, timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw (
      toStoreError(error, where) ?? new StoreError('cannot_open', `cannot open the database ${where}`, { cause: error })
    );
  }
  try {
    configure(db, path, readonly);
    migrate(db, loadMigrations(), { where, readonly });
    return assemble(db, where, readonly);
  } catch (error) {
    db.close();
    throw toStoreError(error, where) ?? error;
  }
}

function configure(db: Database.Database, path: string, readonly: boolean): void {
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // Changing the journal mode needs a write; a read-only connection reads whatever mode the writer chose.
  if (!isMemory(path) && !readonly) db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  // 64 MiB of page cache (the default is 2 MiB): a scan upserts every open incident, and with the indexes
  // resident a 100k-incident scan spends markedly less time in SQLite. Pages are only held as used.
  db.pragma('cache_size = -65536');
}

function assemble(db: Database.Database, where: string, readonly: boolean): Store {
  // One reusable transaction function. IMMEDIATE takes the write lock up front, so a second writer waits
  // on busy_timeout instead of failing when it upgrades half way; a read-only connection never needs it.
  const tx = db.transaction((fn: () => unknown) => fn());
  const run = readonly ? tx.deferred : tx.immediate;
  return {
    db,
    incidents: guardRepo(createIncidentRepo(db), where),
    scanState: guardRepo(createScanStateRepo(db), where),
    origins: guardRepo(createSourceOriginRepo(db), where),
    postings: guardRepo(createPostingRepo(db), where),
    postClaims: guardRepo(createPostClaimRepo(db), where),
    outbox: guardRepo(createOutboxRepo(db), where),
    identities: guardRepo(createIdentityRepo(db), where),
    vendorUsers: guardRepo(createVendorUserRepo(db), where),
    settings: guardRepo(createSettingsRepo(db), where),
    audit: guardRepo(createAuditLog(db), where),
    triage: guardRepo(createTriageRepo(db), where),
    notes: guardRepo(createNoteRepo(db), where),
    requests: guardRepo(createActionRequestRepo(db), where),
    writeBacks: guardRepo(createWriteBackRepo(db), where),
    jobRuns: guardRepo(createJobRunRepo(db), where),
    notices: guardRepo(createNoticeRepo(db), where),
    directMessages: guardRepo(createDirectMessageRepo(db), where),
    digestStats: guardRepo(createDigestStatsRepo(db), where),
    digestRetries: guardRepo(createDigestRetryRepo(db), where),
    conversationRefs: guardRepo(createConversationRefRepo(db), where),
    deadLetters: guardRepo(createDeadLetterRepo(db), where),
    opsFigures: guardRepo(createOpsFiguresRepo(db), where),
    instanceLock: guardRepo(createInstanceLockRepo(db), where),
    controlRequests: guardRepo(createControlRequestRepo(db), where),
    transaction: <T>(fn: () => T): T => withStoreErrors(where, () => run(fn) as T),
    close: () => db.close(),
  };
}
