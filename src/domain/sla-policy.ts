import { createWorkingCalendar, type WorkingCalendar, wallClockCalendar } from './calendar.js';
import { type Incident, type IncidentStatus, SEVERITIES, type Severity } from './incident.js';
import { DEFAULT_HOURS, type PolicyOverride, type SlaConfig, type SourceSlaConfig } from './sla-config.js';

export interface SlaPolicy {
  /** Hours allowed for this incident: first matching policy override (restricted to its sources) that sets this severity, else the source's hours, else the global hours, else DEFAULT_HOURS. */
  windowHours(incident: Pick<Incident, 'source' | 'severity' | 'policy'>): number;
  /** True while the incident's normalised status is one its source counts as awaiting triage (source list, else global list). */
  isAwaitingTriage(incident: Pick<Incident, 'source' | 'status'>): boolean;
  /** The fewest hours any rule gives this severity at this source (policy overrides included): a lower bound of windowHours. */
  shortestWindowHours(source: string, severity: Severity): number;
  /** True when some policy override applies to this source, so its windows depend on the policy name. */
  hasPolicyOverrides(source: string): boolean;
  /** The source's calendar, else the global one, else the wall clock. */
  calendarFor(source: string): WorkingCalendar;
  /** Share of the window after which an incident is due soon, e.g. 0.75. */
  readonly dueSoonAt: number;
  /** Multiple of the window after which a breach is escalated, e.g. 2. */
  readonly escalateAt: number;
  /** Rows for the `dlp-bot sla` table: default row, one per source that overrides anything, one per policy override. */
  describe(): SlaPolicyRow[];
}

export interface SlaPolicyRow {
  scope: string;
  hours: Record<Severity, number>;
  awaitingTriage: IncidentStatus[];
  calendar: string;
  note?: string;
}

type SourceRef = { id: string; sla?: SourceSlaConfig | undefined };

/** One policy override that sets a given severity, ready for the hot path. */
interface CompiledOverride {
  matches: (policyName: string) => boolean;
  hours: number;
}

/** Everything resolved for one source (or for sources nobody configured), so lookups are a Map get and an index. */
interface SourceRules {
  hours: Record<Severity, number>;
  awaitingTriage: readonly IncidentStatus[];
  triageSet: ReadonlySet<IncidentStatus>;
  calendar: WorkingCalendar;
  overridesBySeverity: Record<Severity, readonly CompiledOverride[]>;
}

export function createSlaPolicy(sla: SlaConfig, sources: readonly SourceRef[]): SlaPolicy {
  const matchers = sla.policies.map((override) => compileWildcard(override.match));
  const globalCalendar = sla.calendar ? createWorkingCalendar(sla.calendar) : wallClockCalendar;
  const resolve = (source: SourceRef | undefined): SourceRules => {
    const applies = (override: PolicyOverride) =>
      !override.sources || (!!source && override.sources.includes(source.id));
    const awaitingTriage = source?.sla?.awaitingTriage ?? sla.awaitingTriage;
    return {
      hours: severityRecord((s) => source?.sla?.hours?.[s] ?? sla.hours[s] ?? DEFAULT_HOURS[s]),
      awaitingTriage,
      triageSet: new Set(awaitingTriage),
      calendar: source?.sla?.calendar ? createWorkingCalendar(source.sla.calendar) : globalCalendar,
      overridesBySeverity: severityRecord((severity) =>
        sla.policies.flatMap((override, i) => {
          const hours = override.hours[severity];
          const matches = matchers[i];
          return hours !== undefined && matches && applies(override) ? [{ matches, hours }] : [];
        }),
      ),
    };
  };
  const defaults = resolve(undefined);
  const bySource = new Map(sources.map((source) => [source.id, resolve(source)]));
  const rulesFor = (source: string) => bySource.get(source) ?? defaults;

  return Object.freeze({
    windowHours(incident: Pick<Incident, 'source' | 'severity' | 'policy'>): number {
      const rules = rulesFor(incident.source);
      const name = incident.policy;
      if (name !== null) {
        for (const override of rules.overridesBySeverity[incident.severity]) {
          if (override.matches(name)) return override.hours;
        }
      }
      return rules.hours[incident.severity];
    },
    shortestWindowHours(source: string, severity: Severity): number {
      const rules = rulesFor(source);
      return Math.min(rules.hours[severity], ...rules.overridesBySeverity[severity].map((o) => o.hours));
    },
    hasPolicyOverrides: (source: string) => SEVERITIES.some((s) => rulesFor(source).overridesBySeverity[s].length > 0),
    isAwaitingTriage: (incident: Pick<Incident, 'source' | 'status'>) =>
      rulesFor(incident.source).triageSet.has(incident.status),
    calendarFor: (source: string) => rulesFor(source).calendar,
    dueSoonAt: sla.dueSoonAt,
    escalateAt: sla.escalateAt,
    describe: () => describePolicy(sla, sources, defaults, rulesFor),
  });
}

function describePolicy(
  sla: SlaConfig,
  sources: readonly SourceRef[],
  defaults: SourceRules,
  rulesFor: (source: string) => SourceRules,
): SlaPolicyRow[] {
  const row = (scope: string, rules: SourceRules, hours: Record<Severity, number>, note: string | undefined) => ({
    scope,
    hours,
    awaitingTriage: [...rules.awaitingTriage],
    calendar: rules.calendar.description,
    ...(note ? { note } : {}),
  });
  const rows: SlaPolicyRow[] = [row('default', defaults, { ...defaults.hours }, undefined)];
  for (const source of sources) {
    const overridden = describeSourceOverrides(source.sla);
    if (overridden.length === 0) continue;
    const rules = rulesFor(source.id);
    rows.push(row(`source ${source.id}`, rules, { ...rules.hours }, `overrides ${overridden.join(', ')}`));
  }
  for (const override of sla.policies) {
    // Severities the override leaves alone fall back per source; show them for its only source, else the default.
    const only = override.sources?.length === 1 ? override.sources[0] : undefined;
    const base = only === undefined ? defaults : rulesFor(only);
    const sets = SEVERITIES.filter((s) => override.hours[s] !== undefined);
    const notes = [sets.length > 0 ? `sets ${sets.join(', ')}` : 'sets no severity'];
    if (override.sources) notes.push(`only ${override.sources.join(', ')}`);
    const hours = severityRecord((s) => override.hours[s] ?? base.hours[s]);
    rows.push(row(`policy "${override.match}"`, base, hours, notes.join('; ')));
  }
  return rows;
}

function describeSourceOverrides(sla: SourceSlaConfig | undefined): string[] {
  const overridden: string[] = [];
  if (sla?.hours && SEVERITIES.some((s) => sla.hours?.[s] !== undefined)) overridden.push('hours');
  if (sla?.awaitingTriage) overridden.push('awaiting triage');
  if (sla?.calendar) overridden.push('calendar');
  return overridden;
}

function severityRecord<T>(valueFor: (severity: Severity) => T): Record<Severity, T> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, valueFor(s)])) as Record<Severity, T>;
}

/**
 * Case-insensitive glob with `*` and `?`. Rather than one regex with `.*` (which backtracks polynomially on long,
 * vendor-supplied policy names), each `*`-free piece becomes a fixed-length regex placed at its leftmost possible
 * position; for a glob that is exact, and linear in the name per piece.
 */
export function compileWildcard(glob: string): (name: string) => boolean {
  const pieces = glob.split('*').map(pieceToRegexSource);
  const [head = '', ...rest] = pieces;
  if (rest.length === 0) {
    const whole = new RegExp(`^${head}$`, 'ius');
    return (name) => whole.test(name);
  }
  const tail = rest.pop() ?? '';
  const headRegex = head ? new RegExp(head, 'iusy') : null;
  const middleRegexes = rest.filter(Boolean).map((piece) => new RegExp(piece, 'iusg'));
  const inOrder = headRegex ? [headRegex, ...middleRegexes] : middleRegexes;
  const tailRegex = tail ? new RegExp(`(?:${tail})$`, 'iusg') : null;
  return (name) => {
    let position = 0;
    for (const regex of inOrder) {
      regex.lastIndex = position;
      if (!regex.test(name)) return false;
      position = regex.lastIndex;
    }
    if (tailRegex === null) return true;
    tailRegex.lastIndex = position;
    return tailRegex.test(name);
  };
}

function pieceToRegexSource(piece: string): string {
  return piece.replace(/[\\^$.+?()[\]{}|/]/g, (char) => (char === '?' ? '.' : `\\${char}`));
}
