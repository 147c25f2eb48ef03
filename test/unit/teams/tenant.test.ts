import { describe, expect, it } from 'vitest';
import { activityTenant, isForeignTenant } from '../../../adapters/chat/teams/tenant.js';

const OURS = '11111111-2222-3333-4444-555555555555';

describe('the tenant of a Teams activity', () => {
  it('should read the conversation tenant, else the channelData tenant', () => {
    expect(activityTenant({ conversation: { tenantId: 'a' } as never, channelData: { tenant: { id: 'b' } } })).toBe(
      'a',
    );
    expect(activityTenant({ channelData: { tenant: { id: 'b' } } })).toBe('b');
    expect(activityTenant({})).toBeNull();
  });

  it('should refuse another tenant and an activity naming none, and accept ours in any case', () => {
    expect(isForeignTenant({ conversation: { tenantId: 'evil-tenant' } as never }, OURS)).toBe(true);
    expect(isForeignTenant({ channelData: { tenant: { id: 'evil-tenant' } } }, OURS)).toBe(true);
    expect(isForeignTenant({}, OURS)).toBe(true);
    expect(isForeignTenant({ conversation: { tenantId: OURS.toUpperCase() } as never }, OURS)).toBe(false);
  });
});
