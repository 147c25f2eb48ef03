/**
 * The simulators of `bench sla-job`: each side's Symantec simulator in a child process (so this process's CPU is the
 * client's alone), and the untimed reads each side makes of it before its job, through Enforce's API.
 */
import type { ReadyMessage } from './protocol.js';
import { startSimulatorChild } from './simulator-process.js';
import { ARTICLE_SLA_HOURS, type EnforceTarget, enforceCall, SLA_BREACH_STATUS_ID } from './sla-job-minimal.js';

const HOUR_MS = 3_600_000;

/** Runs `job` against a fresh simulator child of `spec`; its result, and the child's own CPU. */
export async function withSimulator<T>(spec: object, job: (ready: ReadyMessage, target: EnforceTarget) => Promise<T>) {
  const child = startSimulatorChild();
  try {
    const ready = await child.start({ vendor: 'symantec', ...spec } as Parameters<typeof child.start>[0]);
    if (ready.sourceConfig.timeZone !== 'UTC') throw new Error('the benchmark expects the simulator on UTC');
    const env = ready.env;
    const [user, password] = [env[String(ready.sourceConfig.usernameEnv)], env[String(ready.sourceConfig.passwordEnv)]];
    const target = { baseUrl: ready.baseUrl, user: user ?? '', password: password ?? '' };
    const result = await job(ready, target);
    return { result, counts: await child.counts() };
  } finally {
    await child.stop();
  }
}

/** Every id holding `filters`, read page by page (nothing changes meanwhile). */
async function idsWhere(target: EnforceTarget, filters: object[], select: string[] = ['incidentId']) {
  const call = enforceCall(target);
  const rows: Record<string, unknown>[] = [];
  for (let pageNumber = 1; ; pageNumber += 1) {
    const answer = (await call('POST', {
      select: select.map((name) => ({ name })),
      filter: { filterType: 'booleanLogic', booleanOperator: 'AND', filters },
      orderBy: [{ field: { name: 'incidentId' }, order: 'ASC' }],
      page: { type: 'offset', pageNumber, pageSize: 10_000 },
    })) as { incidents: Record<string, unknown>[] };
    rows.push(...answer.incidents);
    if (answer.incidents.length < 10_000) return rows;
  }
}

const statusIs = (id: number) => ({
  filterType: 'long',
  operandOne: { name: 'incidentStatusId' },
  operator: 'IN',
  operandTwoValues: [id],
});
const visible = { filterType: 'boolean', operandOne: { name: 'isHidden' }, operator: 'EQ', operandTwoValues: [false] };
/** Incidents in SLA Breach (the status the job moves them to). */
export const breachedIds = async (target: EnforceTarget) =>
  new Set((await idsWhere(target, [statusIs(SLA_BREACH_STATUS_ID)])).map((r) => Number(r.incidentId)));

/** The rule itself, applied to every New, visible incident: created at least its severity's hours before `nowMs`. */
async function groundTruth(target: EnforceTarget, nowMs: number): Promise<Set<number>> {
  const rows = await idsWhere(target, [statusIs(1), visible], ['incidentId', 'creationDate', 'severityId']);
  const late = rows.filter(
    (r) => Date.parse(`${r.creationDate}Z`) <= nowMs - (ARTICLE_SLA_HOURS[Number(r.severityId)] ?? 0) * HOUR_MS,
  );
  return new Set(late.map((r) => Number(r.incidentId)));
}

/**
 * The untimed reads each side makes before its job, alike: what is marked already, and the rule's ground truth at
 * the job's instant. A fresh simulator child compiles its query path on first use, so both sides' simulators serve
 * the same queries before the timed part (when the bot's side made only the first read, its first timed query
 * took the simulator 32 ms in one traced run, against 11 ms once both sides were warmed alike).
 */
export async function beforeJob(target: EnforceTarget) {
  const nowMs = Date.now();
  return { nowMs, before: await breachedIds(target), truth: await groundTruth(target, nowMs) };
}
