import { afterEach, describe, expect, it } from 'vitest';
import { fakeIncident } from '../../support/fake-source.js';
import { chatInvoker, createHarness, type Harness, hoursAgo, runCommand, tableRows } from './harness.js';

const harnesses: Harness[] = [];
afterEach(() => {
  for (const h of harnesses.splice(0)) h.close();
});

async function seeded(options: Parameters<typeof createHarness>[0] = {}) {
  const h = createHarness(options);
  harnesses.push(h);
  await h.scan(
    fakeIncident('pan-prod', 'P-HIGH-OLD', { severity: 'high', createdAt: hoursAgo(9) }),
    fakeIncident('pan-prod', 'P-LOW', { severity: 'low', createdAt: hoursAgo(2) }),
    fakeIncident('pan-prod', 'P-HIGH-NEW', { severity: 'high', createdAt: hoursAgo(1) }),
    fakeIncident('sym-eu', 'S-HIGH', { severity: 'high', createdAt: hoursAgo(5) }),
  );
  return h;
}

const refs = (result: Awaited<ReturnType<typeof runCommand>>) => tableRows(result).map((r) => r.incident);

describe('aging: the source as a positional', () => {
  it.each([
    [['aging', 'high', 'pan-prod']],
    [['aging', 'pan-prod', 'high']],
    [['aging', 'HIGH', '--source', 'pan-prod']],
    [['aging', 'high', 'pan-prod', '--source', 'pan-prod']],
  ])('should read %j as high incidents from pan-prod, oldest first', async (argv) => {
    const h = await seeded();
    const result = await runCommand(h, argv);
    expect(refs(result)).toEqual(['pan-prod:P-HIGH-OLD', 'pan-prod:P-HIGH-NEW']);
    expect(result.view.title).toBe('2 high-severity incidents awaiting triage, 1 past SLA');
  });

  it('should take a word that is not a severity as the source', async () => {
    const h = await seeded();
    const result = await runCommand(h, ['aging', 'pan-prod']);
    expect(refs(result)).toEqual(['pan-prod:P-HIGH-OLD', 'pan-prod:P-LOW', 'pan-prod:P-HIGH-NEW']);
    expect(result.exitCode).toBeUndefined();
  });

  it('should not read the config when the source matched incidents', async () => {
    const h = await seeded();
    await runCommand(h, ['aging', 'sym-eu']);
    expect(h.configReads()).toBe(0);
  });

  it('should list the configured source ids when the source is unknown, and exit 2', async () => {
    const h = await seeded({ sourceIds: ['pan-prod', 'sym-eu', 'zs-old'], disabled: ['zs-old'] });
    const result = await runCommand(h, ['aging', 'urgent']);
    expect(result.exitCode).toBe(2);
    expect(result.data).toEqual([]);
    expect(result.view.title).toBe('No source "urgent" in the config');
    expect(result.view.blocks).toContainEqual({
      type: 'text',
      text: 'Configured sources: pan-prod, sym-eu, zs-old (disabled).',
    });
    expect(JSON.stringify(result.view.blocks)).toContain('critical, high, medium, low or info');
  });

  it('should say a configured source with nothing awaiting is empty, not unknown', async () => {
    const h = await seeded({ sourceIds: ['pan-prod', 'sym-eu', 'zs-quiet'] });
    const result = await runCommand(h, ['aging', 'critical', 'zs-quiet']);
    expect(result.exitCode).toBeUndefined();
    expect(result.view.title).toBe('No critical-severity incidents awaiting triage from zs-quiet');
    expect(tableRows(result)).toEqual([]);
  });

  it('should still say so on an empty store with the sources configured', async () => {
    const h = createHarness();
    harnesses.push(h);
    const result = await runCommand(h, ['aging', 'pan-prod']);
    expect(result.view.title).toBe('No incidents awaiting triage from pan-prod');
    expect(JSON.stringify(result.view)).toContain('Nothing scanned yet');
  });
});

describe('aging: a list cut at --limit', () => {
  it('should give the chat command to see more, with the severity and source asked for', async () => {
    const h = await seeded();
    const result = await runCommand(h, ['aging', 'high', 'pan-prod', '--limit', '1'], chatInvoker());
    expect(refs(result)).toEqual(['pan-prod:P-HIGH-OLD']);
    expect(result.view.blocks).toContainEqual({
      type: 'context',
      text: 'To see more: /dlp aging high pan-prod --limit 2',
    });
  });

  it('should say nothing more when the whole list is shown', async () => {
    const h = await seeded();
    const result = await runCommand(h, ['aging', 'high', 'pan-prod', '--limit', '2'], chatInvoker());
    expect(JSON.stringify(result.view.blocks)).not.toContain('To see more');
  });
});
