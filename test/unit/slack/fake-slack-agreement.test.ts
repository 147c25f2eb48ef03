import { describe, expect, it } from 'vitest';
import { actionModal } from '../../../adapters/chat/slack/modals.js';
import { renderMessage } from '../../../adapters/chat/slack/render.js';
import { HOSTILE_STRINGS, LONG_HOSTILE_NAME } from '../../../adapters/dlp/simulator-kit/hostile.js';
import type { View } from '../../../src/views/view.js';
import { REASON_REQUIRED_ACTIONS } from '../../support/actions.js';
import { checkMessageContent, checkView } from '../../support/fake-slack/validate.js';

/**
 * The fake Slack Web API used by the integration tests validates Block Kit on its own; what this renderer
 * produces must pass it too, so the two can never disagree about a message.
 */
describe('Slack rendering against the fake Slack validator', () => {
  const huge: View = {
    title: LONG_HOSTILE_NAME,
    tone: 'danger',
    subject: { source: 'pan', id: 'INC-1' },
    blocks: [
      { type: 'header', text: LONG_HOSTILE_NAME },
      ...HOSTILE_STRINGS.map((s) => ({ type: 'text' as const, text: s })),
      { type: 'fields', fields: HOSTILE_STRINGS.map((s) => ({ label: s, value: s })) },
      {
        type: 'table',
        columns: [{ key: 'a', label: 'A' }],
        rows: Array.from({ length: 200 }, (_, i) => ({ a: `${HOSTILE_STRINGS[i % HOSTILE_STRINGS.length]}` })),
      },
      {
        type: 'actions',
        buttons: Array.from({ length: 40 }, (_, i) => ({
          actionId: `dlp.b${i}`,
          label: LONG_HOSTILE_NAME,
          value: '{}',
        })),
      },
    ],
  };
  /** Little text but many blocks, so the 50-block cap is what binds. */
  const many: View = {
    title: 'Many',
    tone: 'neutral',
    blocks: [
      {
        type: 'actions',
        buttons: Array.from({ length: 40 }, () => ({ actionId: 'dlp.same', label: 'B', value: '{}' })),
      },
      ...Array.from({ length: 60 }, () => ({ type: 'divider' as const })),
    ],
  };

  it.each([
    ['huge', huge],
    ['many', many],
  ])('should produce %s messages the fake accepts', (_, view) => {
    expect(checkMessageContent({ ...renderMessage(view) })).toBeUndefined();
  });

  it('should produce modals the fake accepts', () => {
    const forms = REASON_REQUIRED_ACTIONS.all.flatMap((a) => (a.form ? [{ id: a.id, form: a.form }] : []));
    expect(forms.length).toBeGreaterThanOrEqual(3);
    for (const action of forms) {
      expect(checkView(actionModal(action, LONG_HOSTILE_NAME, '{"v":1,"s":"pan","i":"INC-1"}'))).toBeUndefined();
    }
  });
});
