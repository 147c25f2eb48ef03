import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../../../src/ports/index.js';
import type { ReplacedIds } from '../../simulator-kit/id-quirks.js';
import { readBody, sendJson, sendText } from '../../simulator-kit/respond.js';
import type { SymantecDataset } from '../dataset.js';
import { CUSTOM_ATTRIBUTES, CUSTOM_GROUP, type StatusDef } from './catalog.js';
import { NOT_AUTHORIZED, NOT_AUTHORIZED_KEY, sendEnforceError } from './errors.js';
import { createFields } from './fields.js';
import { parsePatch } from './patch.js';
import { createQueryEngine, parseQuery } from './query.js';
import { isMalformed, malform, type SymantecQuirks, truncateJson } from './quirks.js';
import { buildMatches } from './records.js';
import { formatWall } from './wall-time.js';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  /** The Basic-auth user, for history rows. */
  user: string;
}

export type Handler = (ctx: RequestContext) => Promise<void> | void;

const MAX_BODY = 1_048_576;
const KEPT_BODIES = 200;

/** A query or update body as the simulator received it, for tests that pin a client's request shapes. */
export interface ReceivedBody {
  method: 'POST' | 'PATCH';
  body: unknown;
}

/** A JSON request body, or undefined once an error has been sent (415, 413 or 400, all in Enforce's shape). */
async function readJson(req: IncomingMessage, res: ServerResponse): Promise<{ body: unknown } | undefined> {
  if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
    sendEnforceError(res, 415, 'Content-Type must be application/json', 'request.unsupported.media.type');
    return undefined;
  }
  const text = await readBody(req, MAX_BODY);
  if (text === undefined) {
    sendEnforceError(res, 413, 'request body too large', 'request.too.large');
    return undefined;
  }
  try {
    return { body: JSON.parse(text) };
  } catch {
    sendEnforceError(res, 400, 'request body is not valid JSON', 'request.invalid.json');
    return undefined;
  }
}

export function createHandlers(
  dataset: SymantecDataset,
  statuses: readonly StatusDef[],
  clock: Clock,
  quirks: SymantecQuirks,
  ids: ReplacedIds,
) {
  const fields = createFields(dataset, statuses);
  const engine = createQueryEngine(dataset, fields);
  const statusName = new Map(statuses.map((s) => [s.id, s.name]));
  const now = () => clock.now().getTime();
  let received: ReceivedBody[] = [];
  const keep = (method: ReceivedBody['method'], body: unknown) => {
    received.push({ method, body });
    if (received.length > KEPT_BODIES) received = received.slice(-KEPT_BODIES / 2);
  };

  /** Per-incident calls answer 401 for unknown and hidden incidents alike, as Enforce does for unauthorized ones. */
  const visible = (ctx: RequestContext): number | undefined => {
    const raw = ctx.params.id ?? '';
    if (!/^\d{1,16}$/.test(raw)) {
      sendEnforceError(
        ctx.res,
        400,
        `incident id ${JSON.stringify(raw.slice(0, 40))} is not a number`,
        'incidentId.invalid',
      );
      return undefined;
    }
    const position = dataset.positionOf(Number(raw));
    const visibleCount = dataset.visibleCount(now());
    if (position !== undefined && position < visibleCount && !dataset.hidden(position)) {
      return quirks.getAnswersAnother ? (position + 1 < visibleCount ? position + 1 : position - 1) : position;
    }
    sendEnforceError(ctx.res, 401, NOT_AUTHORIZED, NOT_AUTHORIZED_KEY);
    return undefined;
  };

  const row = (position: number, select: readonly string[]) => {
    const out: Record<string, unknown> = {};
    for (const name of select) out[name] = fields.get(name)?.output?.(position) ?? null;
    // Enforce adds fields nobody selected, e.g. the type name beside its id.
    if (select.includes('messageTypeId') && !select.includes('messageType'))
      out.messageType = dataset.facts(position).messageType;
    const replaced = ids.at(position);
    if (replaced !== undefined && 'incidentId' in out) out.incidentId = replaced;
    return out;
  };

  return {
    received: (): readonly ReceivedBody[] => [...received],

    async query(ctx: RequestContext) {
      const read = await readJson(ctx.req, ctx.res);
      if (!read) return;
      keep('POST', read.body);
      const parsed = parseQuery(read.body, fields);
      if (!parsed.ok) return sendEnforceError(ctx.res, 400, parsed.message, 'query.invalid');
      const q = parsed.value;
      const offset = quirks.pageIgnored ? 0 : q.offset;
      const positions = engine.run(q, now()).slice(offset, offset + q.count);
      const share = quirks.malformedRecordShare ?? 0;
      const incidents = positions.map((p) =>
        isMalformed(dataset.seed, p, share) ? malform(dataset.seed, p, row(p, q.select)) : row(p, q.select),
      );
      const body = JSON.stringify({ incidents });
      if (quirks.invalidJson) return sendText(ctx.res, 200, truncateJson(body), 'application/json');
      sendText(ctx.res, 200, body, 'application/json; charset=utf-8');
    },

    async patch(ctx: RequestContext) {
      const read = await readJson(ctx.req, ctx.res);
      if (!read) return;
      keep('PATCH', read.body);
      if (quirks.failedWrites)
        return sendEnforceError(ctx.res, 500, 'injected server error', 'simulator.internal_error');
      const parsed = parsePatch(read.body, statuses);
      if (!parsed.ok) return sendEnforceError(ctx.res, 400, parsed.message, 'incident.update.invalid');
      const at = now();
      const visibleCount = dataset.visibleCount(at);
      const updated: number[] = [];
      for (const id of new Set(parsed.value.ids)) {
        const position = dataset.positionOf(id);
        if (position === undefined || position >= visibleCount || dataset.hidden(position)) continue;
        for (const edit of parsed.value.edits) dataset.change(position, at, edit);
        updated.push(id);
      }
      // Refused ids are left out of the answer; when none is left there is nothing to answer but the 401.
      if (updated.length === 0) return sendEnforceError(ctx.res, 401, NOT_AUTHORIZED, NOT_AUTHORIZED_KEY);
      const answer = JSON.stringify({ updatedIncidentIds: updated });
      if (quirks.unreadableWriteAnswers) return sendText(ctx.res, 200, truncateJson(answer), 'application/json');
      sendJson(ctx.res, 200, { updatedIncidentIds: updated });
    },

    statuses(ctx: RequestContext) {
      sendJson(
        ctx.res,
        200,
        statuses.map((s) => ({ id: s.id, name: s.name })),
      );
    },

    staticAttributes(ctx: RequestContext) {
      const p = visible(ctx);
      if (p === undefined) return;
      const f = dataset.facts(p);
      const out = (name: string) => fields.get(name)?.output?.(p) ?? null;
      sendJson(ctx.res, 200, {
        incidentId: dataset.idOf(p),
        infoMap: {
          policyName: f.policy.name,
          policyId: f.policy.id,
          policyVersion: f.policy.version,
          policyGroupName: f.policy.groupName,
          policyGroupId: f.policy.groupId,
          messageSource: f.messageSource,
          messageType: f.messageType,
          messageTypeId: f.messageTypeId,
          matchCount: f.matchCount,
          creationDate: out('creationDate'),
          detectionDate: out('detectionDate'),
          messageDate: out('messageDate'),
          detectionServerName: f.detectionServerName,
          detectionServerId: f.detectionServerId,
          messageSubject: f.messageSubject,
          networkSenderIdentifier: f.networkSenderIdentifier,
          senderIPAddress: f.senderIPAddress,
          recipientInfo: f.recipientIdentifier
            ? [{ recipientType: 'TO', recipientIdentifier: f.recipientIdentifier, recipientDomain: 'example.net' }]
            : [],
          attachmentInfo: [
            { componentType: 'ATTACHMENT', messageComponentName: f.attachmentName, messageComponentId: p * 10 + 1 },
          ],
          isBlockedStatusSuperseded: false,
        },
      });
    },

    editableAttributes(ctx: RequestContext) {
      const p = visible(ctx);
      if (p === undefined) return;
      const owner = dataset.dataOwner(p);
      const custom = dataset.custom(p);
      sendJson(ctx.res, 200, {
        incidentId: dataset.idOf(p),
        infoMap: {
          severityId: dataset.severity(p),
          incidentStatusId: dataset.status(p),
          incidentStatusName: statusName.get(dataset.status(p)) ?? null,
          isHidden: dataset.hidden(p),
          isHidingNotAllowed: false,
          preventOrProtectStatusId: dataset.facts(p).preventOrProtectStatusId,
          ...(owner.name !== null ? { dataOwnerName: owner.name } : {}),
          ...(owner.email !== null ? { dataOwnerEmail: owner.email } : {}),
        },
        customAttributeGroups: [
          {
            name: CUSTOM_GROUP,
            nameInternationalized: 'Default Attributes',
            customAttributes: CUSTOM_ATTRIBUTES.map((a) => ({
              name: a.name,
              index: a.index,
              displayOrder: a.index,
              value: custom[a.index] ?? null,
              email: false,
            })),
          },
        ],
      });
    },

    matches(ctx: RequestContext) {
      const p = visible(ctx);
      if (p !== undefined) sendJson(ctx.res, 200, buildMatches(dataset.seed, p, dataset.facts(p)));
    },

    history(ctx: RequestContext) {
      const p = visible(ctx);
      if (p === undefined) return;
      const f = dataset.facts(p);
      sendJson(
        ctx.res,
        200,
        dataset.history(p).map((h) => ({
          incidentId: dataset.idOf(p),
          incidentHistoryDate: formatWall(h.wallMs),
          dlpUserName: h.incidentHistoryAction === 'DETECTED' ? 'system' : ctx.user,
          incidentHistoryAction: h.incidentHistoryAction,
          incidentHistoryDetail: h.incidentHistoryDetail,
          internationalized: false,
          policyGroupId: f.policy.groupId,
          detectionServerName: f.detectionServerName,
          messageSource: f.messageSource,
          incidentHistoryId: null,
        })),
      );
    },
  };
}

export type SymantecHandlers = ReturnType<typeof createHandlers>;
