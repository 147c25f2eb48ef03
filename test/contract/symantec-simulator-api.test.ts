import { beforeAll, describe, expect, it } from 'vitest';
import {
  type IncidentSnapshot,
  type SymantecSimulator,
  startSymantecSimulator,
} from '../../adapters/dlp/symantec/simulator.js';
import { closeAfterAll } from '../support/adapters.js';
import { fixedClock } from '../support/fixed-clock.js';

const ANCHOR = new Date('2026-11-23T10:00:00Z');
const track = closeAfterAll();
type Json = Record<string, unknown>;

interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
}

/** A raw client for the simulator, independent of the adapter: Basic auth, JSON in and out. */
function client(sim: SymantecSimulator, user = sim.credentials.user, password = sim.credentials.password) {
  const authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const call = async (method: string, path: string, body?: unknown, type = 'application/json'): Promise<Reply> => {
    const res = await fetch(`${sim.baseUrl}${path}`, {
      method,
      headers: { authorization, 'content-type': type },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
    return { status: res.status, headers: res.headers, body: parsed };
  };
  const query = async (filter: unknown, extra: Json = {}) => {
    const reply = await call('POST', '/incidents', { select: [{ name: 'incidentId' }], filter, ...extra });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    return ((reply.body as { incidents: Json[] }).incidents ?? []).map((r) => Number(r.incidentId));
  };
  return { call, query };
}

const leaf = (filterType: string, name: string, operator: string, values?: unknown[], fn?: string) => ({
  filterType,
  operandOne: fn ? { name, function: fn } : { name },
  operator,
  ...(values === undefined ? {} : { operandTwoValues: values }),
});
const and = (...filters: unknown[]) => ({ filterType: 'booleanLogic', booleanOperator: 'AND', filters });
const or = (...filters: unknown[]) => ({ filterType: 'booleanLogic', booleanOperator: 'OR', filters });
const expectEnforceError = (reply: Reply, status: number) => {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
  const body = reply.body as Json;
  expect(Object.keys(body).sort()).toEqual(['i18nKey', 'message', 'status']);
  expect(body.status).toBe(status);
  expect(typeof body.message).toBe('string');
  expect(typeof (body.i18nKey as Json).i18nKey).toBe('string');
};

describe('Symantec simulator: the query filter language', () => {
  let sim: SymantecSimulator;
  let all: IncidentSnapshot[];
  let api: ReturnType<typeof client>;
  beforeAll(async () => {
    sim = track(await startSymantecSimulator({ seed: 5, incidents: 200, anchor: ANCHOR, clock: fixedClock(ANCHOR) }));
    all = sim.incidents();
    api = client(sim);
  });
  const ids = (pick: (s: IncidentSnapshot) => boolean) => all.filter(pick).map((s) => s.incidentId);

  it('should evaluate every long operator, with numbers or numeric strings', async () => {
    expect(await api.query(leaf('long', 'severityId', 'EQ', [1]))).toEqual(ids((s) => s.severityId === 1));
    expect(await api.query(leaf('long', 'severityId', 'NOT_EQ', [1]))).toEqual(ids((s) => s.severityId !== 1));
    expect(await api.query(leaf('long', 'incidentStatusId', 'IN', ['1', '21']))).toEqual(
      ids((s) => [1, 21].includes(s.incidentStatusId)),
    );
    expect(await api.query(leaf('int', 'incidentStatusId', 'NOT_IN', [1]))).toEqual(
      ids((s) => s.incidentStatusId !== 1),
    );
    const cases = [
      ['GT', (v: number) => v > 2],
      ['GTE', (v: number) => v >= 2],
      ['LT', (v: number) => v < 2],
      ['LTE', (v: number) => v <= 2],
    ] as const;
    for (const [operator, holds] of cases) {
      const got = await api.query(leaf('long', 'severityId', operator, [2]));
      expect(got, operator).toEqual(ids((s) => holds(s.severityId)));
      expect(got.length, operator).toBeGreaterThan(0);
    }
  });

  it('should compare localDateTime values as naive wall times, to the millisecond, with or without a Z', async () => {
    const withFraction = all.find((s) => /\.\d{2,3}$/.test(s.creationDate)) as IncidentSnapshot;
    const at = withFraction.creationDate;
    const lte = await api.query(leaf('localDateTime', 'creationDate', 'LTE', [at]));
    expect(lte).toEqual(ids((s) => s.createdAt <= withFraction.createdAt));
    expect(lte).toContain(withFraction.incidentId);
    expect(await api.query(leaf('localDateTime', 'creationDate', 'LT', [at]))).not.toContain(withFraction.incidentId);
    expect(await api.query(leaf('localDateTime', 'creationDate', 'GT', [`${at.slice(0, 19)}Z`]))).toEqual(
      ids((s) => s.createdAt.getTime() > Date.parse(`${at.slice(0, 19)}Z`)),
    );
    expect(await api.query(leaf('localDateTime', 'creationDate', 'EQ', [at]))).toEqual([withFraction.incidentId]);
  });

  it('should filter booleans, strings with UPPER and LIKE, and nulls', async () => {
    expect(await api.query(leaf('boolean', 'isHidden', 'EQ', [true]))).toEqual(ids((s) => s.isHidden));
    expect(ids((s) => s.isHidden).length).toBeGreaterThan(3);
    expect(await api.query(leaf('boolean', 'isHidden', 'EQ', [false]))).toEqual(ids((s) => !s.isHidden));
    expect(await api.query(leaf('string', 'messageSource', 'IN', ['NETWORK', 'DISCOVER']))).toEqual(
      ids((s) => s.messageSource !== 'ENDPOINT'),
    );
    expect(await api.query(leaf('string', 'policyName', 'LIKE', ['%card%'], 'UPPER'))).toEqual([]);
    const cards = await api.query(leaf('string', 'policyName', 'LIKE', ['%CARD%'], 'UPPER'));
    expect(cards).toEqual(ids((s) => s.policyName.toUpperCase().includes('CARD')));
    expect(cards.length).toBeGreaterThan(10);
    expect(await api.query(leaf('string', 'policyName', 'LIKE', ['PCI - Card Number_']))).toEqual(
      ids((s) => s.policyName === 'PCI - Card Numbers'),
    );
    expect(await api.query(leaf('string', 'networkSenderIdentifier', 'IS_NULL'))).toEqual(
      ids((s) => s.networkSenderIdentifier === null),
    );
    expect(await api.query(leaf('string', 'networkSenderIdentifier', 'IS_NOT_NULL', []))).toEqual(
      ids((s) => s.networkSenderIdentifier !== null),
    );
    // SQL semantics: a null field matches no comparison, negated ones included.
    expect(await api.query(leaf('string', 'networkSenderIdentifier', 'NOT_EQ', ['x']))).toEqual(
      ids((s) => s.networkSenderIdentifier !== null),
    );
  });

  it('should nest AND and OR to any depth', async () => {
    const filter = or(
      and(leaf('long', 'severityId', 'EQ', [1]), leaf('long', 'incidentStatusId', 'IN', [1])),
      and(leaf('boolean', 'isHidden', 'EQ', [true]), or(leaf('long', 'severityId', 'IN', [4]))),
    );
    const got = await api.query(filter);
    expect(got).toEqual(
      ids((s) => (s.severityId === 1 && s.incidentStatusId === 1) || (s.isHidden && s.severityId === 4)),
    );
    expect(await api.query(and())).toEqual(ids(() => true));
    expect(await api.query(or())).toEqual([]);
  });

  it('should find incidents without a matching note with incidentNote NOT_LIKE, as the match-indexing script does', async () => {
    const noted = all.filter((s) => !s.isHidden).slice(0, 3);
    const patch = await api.call('PATCH', '/incidents', {
      incidentIds: noted.map((s) => s.incidentId),
      incidentNotes: [{ note: 'Matches Processed' }],
    });
    expect(patch.status).toBe(200);
    const notLike = leaf('string', 'incidentNote', 'NOT_LIKE', ['%MATCHES PROCESSED%'], 'UPPER');
    const unprocessed = await api.query(notLike);
    expect(unprocessed).toEqual(ids((s) => !noted.includes(s)));
    expect(await api.query(leaf('string', 'incidentNote', 'LIKE', ['%Processed']))).toEqual(
      noted.map((s) => s.incidentId),
    );
    expect(await api.query(leaf('string', 'incidentNote', 'IS_NOT_NULL'))).toEqual(noted.map((s) => s.incidentId));
  });
});

describe('Symantec simulator: select, orderBy and paging', () => {
  let sim: SymantecSimulator;
  let api: ReturnType<typeof client>;
  beforeAll(async () => {
    sim = track(await startSymantecSimulator({ seed: 5, incidents: 120, anchor: ANCHOR, clock: fixedClock(ANCHOR) }));
    api = client(sim);
  });

  it('should return the selected fields (plus the type name beside its id) and accept the trailing slash', async () => {
    const body = {
      select: [{ name: 'incidentId' }, { name: 'creationDate', id: 7 }, { name: 'messageTypeId' }],
      limit: 3,
    };
    const reply = await api.call('POST', '/incidents', body);
    const slash = await api.call('POST', '/incidents/', body);
    expect(slash).toMatchObject({ status: 200, body: reply.body });
    const rows = (reply.body as { incidents: Json[] }).incidents;
    expect(rows).toHaveLength(3);
    for (const row of rows)
      expect(Object.keys(row).sort()).toEqual(['creationDate', 'incidentId', 'messageType', 'messageTypeId']);
    expect(rows[0]?.creationDate).toBe(sim.incidents()[0]?.creationDate);
  });

  it('should order by several keys and page with 1-based page numbers', async () => {
    const orderBy = [
      { field: { name: 'severityId' }, order: 'DESC' },
      { field: { name: 'creationDate' }, order: 'ASC' },
    ];
    const expected = [...sim.incidents()]
      .sort((a, b) => b.severityId - a.severityId || a.createdAt.getTime() - b.createdAt.getTime())
      .map((s) => s.incidentId);
    const pages: number[][] = [];
    for (let pageNumber = 1; pageNumber <= 3; pageNumber += 1) {
      pages.push(await api.query(undefined, { orderBy, page: { type: 'offset', pageNumber, pageSize: 50 } }));
    }
    expect(pages.map((p) => p.length)).toEqual([50, 50, 20]);
    expect(pages.flat()).toEqual(expected);
    expect(await api.query(undefined, { orderBy, page: { type: 'offset', pageNumber: 4, pageSize: 50 } })).toEqual([]);
  });

  it('should refuse malformed queries with a 400 in Enforce error shape', async () => {
    const bad: unknown[] = [
      { filter: leaf('long', 'severityId', 'EQ', [1]) },
      { select: [{ name: 'nope' }] },
      { select: [{ name: 'incidentNote' }] },
      { select: [{ name: 'incidentId' }], filter: leaf('localDateTime', 'severityId', 'EQ', [1]) },
      { select: [{ name: 'incidentId' }], filter: leaf('long', 'incidentStatusId', 'IS_NOT_NULL', [1]) },
      { select: [{ name: 'incidentId' }], filter: leaf('long', 'severityId', 'EQ', [1, 2]) },
      { select: [{ name: 'incidentId' }], filter: leaf('long', 'severityId', 'IN', []) },
      { select: [{ name: 'incidentId' }], filter: leaf('boolean', 'isHidden', 'GT', [false]) },
      { select: [{ name: 'incidentId' }], filter: leaf('long', 'severityId', 'EQ', [1], 'UPPER') },
      {
        select: [{ name: 'incidentId' }],
        filter: leaf('localDateTime', 'creationDate', 'GT', ['2026-02-30T00:00:00']),
      },
      { select: [{ name: 'incidentId' }], filter: { filterType: 'booleanLogic', booleanOperator: 'XOR', filters: [] } },
      { select: [{ name: 'incidentId' }], page: { type: 'offset', pageNumber: 0, pageSize: 10 } },
      { select: [{ name: 'incidentId' }], page: { type: 'offset', pageNumber: 1, pageSize: 10_001 } },
      { select: [{ name: 'incidentId' }], page: { type: 'cursor', pageNumber: 1, pageSize: 10 } },
      { select: [{ name: 'incidentId' }], orderBy: [{ field: { name: 'incidentId' }, order: 'UP' }] },
      '{"select": [',
    ];
    for (const body of bad) expectEnforceError(await api.call('POST', '/incidents', body), 400);
    expectEnforceError(await api.call('POST', '/incidents', '{}', 'text/plain'), 415);
    expect((await api.call('POST', '/incidents', { select: [{ name: 'incidentId' }], limit: 10_000 })).status).toBe(
      200,
    );
  });
});

describe('Symantec simulator: updates and per-incident access', () => {
  let sim: SymantecSimulator;
  let api: ReturnType<typeof client>;
  let open: IncidentSnapshot[];
  let hidden: IncidentSnapshot;
  beforeAll(async () => {
    sim = track(await startSymantecSimulator({ seed: 5, incidents: 120, anchor: ANCHOR, clock: fixedClock(ANCHOR) }));
    api = client(sim);
    open = sim.incidents().filter((s) => !s.isHidden && s.incidentStatusId === 1);
    hidden = sim.incidents().find((s) => s.isHidden) as IncidentSnapshot;
  });

  it('should apply status, severity, notes, data owner and custom attributes, and log them in the history', async () => {
    const [a, b] = open as [IncidentSnapshot, IncidentSnapshot];
    const reply = await api.call('PATCH', '/incidents/', {
      incidentIds: [String(a.incidentId), b.incidentId],
      incidentStatusId: 161,
      incidentStatusName: 'SLA Breach',
      severity: 'LOW',
      incidentNotes: [{ note: 'first', dateTime: '2026-11-23T09:59:00' }, { note: 'second' }],
      dataOwnerName: 'Jane Doe',
      dataOwnerEmail: 'jane@example.com',
      incidentCustomAttributes: [{ columnIndex: 2, value: 'analyst7@example.com' }],
    });
    expect(reply).toMatchObject({ status: 200, body: { updatedIncidentIds: [a.incidentId, b.incidentId] } });
    expect(sim.incident(a.incidentId)).toMatchObject({
      incidentStatusId: 161,
      incidentStatusName: 'SLA Breach',
      severityId: 3,
      notes: ['first', 'second'],
      dataOwnerName: 'Jane Doe',
      dataOwnerEmail: 'jane@example.com',
      customAttributes: { 'Assigned Analyst': 'analyst7@example.com' },
    });
    const history = (await api.call('GET', `/incidents/${a.incidentId}/history`)).body as Json[];
    expect(history.map((h) => h.incidentHistoryAction)).toEqual([
      'ADD_COMMENT',
      'ADD_COMMENT',
      'ATTRIBUTES_SET',
      'SET_DATAOWNER_EMAIL',
      'SET_SEVERITY',
      'SET_STATUS',
      'DETECTED',
    ]);
    expect(history[0]).toMatchObject({ incidentHistoryDetail: 'second', dlpUserName: sim.credentials.user });
    const editable = (await api.call('GET', `/incidents/${a.incidentId}/editableAttributes`)).body as Json;
    expect(editable.infoMap).toMatchObject({
      incidentStatusId: 161,
      severityId: 3,
      dataOwnerEmail: 'jane@example.com',
    });
  });

  it('should answer an empty incidentIds list with a 400 and change nothing, as the Broadcom script provokes', async () => {
    const before = sim.incidents();
    const reply = await api.call(
      'PATCH',
      '/incidents/',
      '{\n "incidentIds":[\n \n ],\n "incidentStatusId":161,\n "incidentNotes":[{"note":"SLA Breach escalation. 4 Hours as a New Incident."}]\n}',
    );
    expectEnforceError(reply, 400);
    expect((reply.body as Json).message).toMatch(/incidentIds/);
    expect(sim.incidents()).toEqual(before);
  });

  it('should refuse unknown and hidden ids one by one: 401 when none is left, left out of the answer otherwise', async () => {
    const note = { incidentNotes: [{ note: 'x' }] };
    for (const ids of [[hidden.incidentId], [1], [2_147_483_600 + 10_000]]) {
      const reply = await api.call('PATCH', '/incidents', { incidentIds: ids, ...note });
      expectEnforceError(reply, 401);
      expect((reply.body as Json).message).toBe('Incident access not authorized or the incident does not exist.');
    }
    const c = open[2] as IncidentSnapshot;
    const mixed = await api.call('PATCH', '/incidents', { incidentIds: [hidden.incidentId, c.incidentId, 5], ...note });
    expect(mixed).toMatchObject({ status: 200, body: { updatedIncidentIds: [c.incidentId] } });
    expect(sim.incident(hidden.incidentId)?.notes).toEqual([]);
    for (const path of ['staticAttributes', 'editableAttributes', 'components/matches', 'history']) {
      expectEnforceError(await api.call('GET', `/incidents/${hidden.incidentId}/${path}`), 401);
      expectEnforceError(await api.call('GET', `/incidents/abc/${path}`), 400);
    }
  });

  it('should refuse PATCH bodies a client may get wrong, changing nothing', async () => {
    const id = (open[3] as IncidentSnapshot).incidentId;
    const before = sim.incident(id);
    const bad: Json[] = [
      { incidentIds: [id], incidentStatusId: 999 },
      { incidentIds: [id], incidentStatusId: 43, incidentStatusName: 'Resolved' },
      { incidentIds: [id], incidentStatusName: 'No Such Status' },
      { incidentIds: [id], severity: 'CRITICAL' },
      { incidentIds: [id], incidentNote: [{ note: 'typo in the key' }] },
      { incidentIds: [id], incidentNotes: [{ note: '' }] },
      { incidentIds: [id], incidentCustomAttributes: [{ columnIndex: 99, value: 'x' }] },
      { incidentIds: [id], dataOwnerEmail: 'not an email' },
      { incidentIds: [id] },
      { incidentIds: ['abc'], incidentNotes: [{ note: 'x' }] },
      { incidentIds: id, incidentNotes: [{ note: 'x' }] },
    ];
    for (const body of bad) expectEnforceError(await api.call('PATCH', '/incidents', body), 400);
    expect(sim.incident(id)).toEqual(before);
    const byName = await api.call('PATCH', '/incidents', { incidentIds: [id], incidentStatusName: 'false positive' });
    expect(byName.status).toBe(200);
    expect(sim.incident(id)?.incidentStatusId).toBe(43);
  });

  it('should serve statuses, static attributes and synthetic matches for a visible incident', async () => {
    const statuses = await api.call('GET', '/incidents/statuses');
    expect(statuses.body).toContainEqual({ id: 1, name: 'incident.status.New' });
    expect(statuses.body).toContainEqual({ id: 161, name: 'SLA Breach' });
    const s = open[4] as IncidentSnapshot;
    const statics = (await api.call('GET', `/incidents/${s.incidentId}/staticAttributes`)).body as Json;
    expect(statics).toMatchObject({
      incidentId: s.incidentId,
      infoMap: { creationDate: s.creationDate, policyName: s.policyName, matchCount: s.matchCount },
    });
    const matches = (await api.call('GET', `/incidents/${s.incidentId}/components/matches`)).body as Json[];
    const segments = matches.flatMap((c) => (c.violations as Json[]).flatMap((v) => v.violationSegments as Json[]));
    expect(segments.some((g) => g.segmentType === 'VIOLATING_CONTENT')).toBe(true);
  });

  it('should answer 401 with a JSON body and a Basic challenge for missing or wrong credentials, 404 and 405 elsewhere', async () => {
    const wrong = client(sim, sim.credentials.user, 'nope');
    const reply = await wrong.call('POST', '/incidents', { select: [{ name: 'incidentId' }] });
    expectEnforceError(reply, 401);
    expect(reply.headers.get('www-authenticate')).toMatch(/^Basic/);
    const anonymous = await fetch(`${sim.baseUrl}/incidents/statuses`);
    expect(anonymous.status).toBe(401);
    await anonymous.arrayBuffer();
    expectEnforceError(await api.call('GET', '/incidents/1'), 404);
    const get = await api.call('GET', '/incidents');
    expectEnforceError(get, 405);
    expect(get.headers.get('allow')).toBe('POST, PATCH');
  });
});
