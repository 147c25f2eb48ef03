import type { BlockButtonAction, ViewSubmitAction } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { teamOf } from '../../../adapters/chat/slack/wire-context.js';
import { type WorkspaceAllowlist, workspaceCheck } from '../../../adapters/chat/slack/workspace.js';
import { blockActionPayload, viewSubmissionPayload } from '../../support/fake-slack/payloads.js';

const OURS = 'T0CORP';
const click = (teamId: string, extra: Record<string, unknown> = {}) =>
  ({
    ...blockActionPayload({ user: 'U0ANA', channel: 'C0DLP', messageTs: '1.2', actionId: 'incident.take', teamId }),
    ...extra,
  }) as unknown as BlockButtonAction;
const refusal = (body: BlockButtonAction | ViewSubmitAction, allow: WorkspaceAllowlist) =>
  workspaceCheck(allow)(teamOf(body));

describe('the Slack workspace check', () => {
  it("should name the request's workspace and the clicker's own, so a Slack Connect guest is told apart", () => {
    const guest = click(OURS, { user: { id: 'U0GUEST', team_id: 'T0OTHER' } });
    expect(teamOf(guest)).toEqual({ teamIds: [OURS, 'T0OTHER'], enterpriseIds: [] });
    expect(refusal(guest, { teamIds: [OURS] })).toBe('wrong_workspace');
    expect(refusal(click(OURS), { teamIds: [OURS] })).toBeUndefined();
    expect(refusal(click('T0OTHER'), { teamIds: [OURS, 'T0OTHER'] })).toBeUndefined();
    const form = viewSubmissionPayload({ user: 'U0ANA', viewId: 'V1', callbackId: 'incident.note', teamId: 'T0OTHER' });
    expect(refusal(form as unknown as ViewSubmitAction, { teamIds: [OURS] })).toBe('wrong_workspace');
  });

  it('should refuse a request that names no workspace at all', () => {
    const bare = { type: 'block_actions', team: null, user: { id: 'U0ANA' } } as unknown as BlockButtonAction;
    expect(refusal(bare, { teamIds: [OURS] })).toBe('wrong_workspace');
  });

  it('should also require a listed organisation with enterpriseIds, from whichever field the payload names it in', () => {
    const allow = { teamIds: [OURS], enterpriseIds: ['E0ORG'] };
    expect(refusal(click(OURS, { enterprise: { id: 'E0ORG', name: 'Org' } }), allow)).toBeUndefined();
    expect(refusal(click(OURS, { team: { id: OURS, enterprise_id: 'E0ORG' } }), allow)).toBeUndefined();
    expect(refusal(click(OURS, { enterprise: { id: 'E0ELSE', name: 'Else' } }), allow)).toBe('wrong_workspace');
    expect(refusal(click(OURS), allow)).toBe('wrong_workspace');
    // Without enterpriseIds, the organisation a request names is not asked about.
    expect(refusal(click(OURS, { enterprise: { id: 'E0ELSE', name: 'Else' } }), { teamIds: [OURS] })).toBeUndefined();
  });
});
