import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.js';
import type { Runtime } from '../../../src/app/runtime.js';
import { CLI_INVOKER, chatInvoker, runCommand, tableRows } from './harness.js';

// Help never opens the application: a runtime that throws proves it.
const noRuntime = {
  get runtime(): Runtime {
    throw new Error('help must not touch the runtime');
  },
};
const cliHelp = (...topic: string[]) => runCommand(noRuntime, ['help', ...topic], CLI_INVOKER);
const chatHelp = (...topic: string[]) => runCommand(noRuntime, ['help', ...topic], chatInvoker());
const texts = (result: Awaited<ReturnType<typeof cliHelp>>) =>
  result.view.blocks.flatMap((b) => (b.type === 'text' ? [b.text] : []));

describe('help, generated from the registry', () => {
  it('should list every command line command on the CLI', async () => {
    const result = await cliHelp();
    expect(tableRows(result).map((r) => r.command)).toEqual(COMMANDS.map((c) => `dlp-bot ${c.name}`));
    expect(result.view.title).toContain('dlp-bot:');
  });

  it('should list only the chat commands in chat, under /dlp', async () => {
    const result = await chatHelp();
    const listed = tableRows(result).map((r) => r.command);
    expect(listed).toEqual(
      ['scan', 'aging', 'mine', 'show', 'history', 'digest', 'sla', 'help'].map((c) => `/dlp ${c}`),
    );
    expect(listed).not.toContain('/dlp serve');
  });

  it('should pick up a command added to the registry without any other change', async () => {
    const [help] = COMMANDS.filter((c) => c.name === 'help');
    if (!help) throw new Error('no help command');
    const extra = { ...help, name: 'snooze', summary: 'Snooze an incident', surfaces: ['chat' as const] };
    const result = await runCommand(noRuntime, ['help'], chatInvoker(), [...COMMANDS, extra]);
    expect(tableRows(result).at(-1)).toEqual({ command: '/dlp snooze', summary: 'Snooze an incident' });
  });

  it("should show one command's usage, details and examples", async () => {
    const result = await cliHelp('aging');
    expect(result.view.title).toBe(
      'dlp-bot aging: Incidents awaiting triage, oldest first, with their age and time past SLA',
    );
    expect(texts(result)[0]).toBe('Usage: dlp-bot aging [severity] [source] [--limit N] [--json]');
    expect(texts(result).join('\n')).toContain('dlp-bot aging high paloalto');
    expect(texts(result).join('\n')).toContain('--json');
  });

  it('should leave the command line examples and --json out of chat help', async () => {
    const result = await chatHelp('aging');
    const all = texts(result).join('\n');
    expect(texts(result)[0]).toBe('Usage: /dlp aging [severity] [source] [--limit N]');
    expect(all).toContain('/dlp aging high paloalto');
    expect(all).not.toContain('dlp-bot ');
    expect(all).not.toContain('--json');
  });

  it('should explain two-word commands on the CLI and suggest them when only the first word is given', async () => {
    expect((await cliHelp('audit', 'verify')).view.title).toMatch(/^dlp-bot audit verify: /);
    const partial = await cliHelp('audit');
    expect(partial.exitCode).toBe(2);
    expect(texts(partial)[0]).toBe('Try dlp-bot help audit verify or dlp-bot help audit export.');
  });

  it('should not explain a command the surface does not offer, or one that does not exist', async () => {
    const serve = await chatHelp('serve');
    expect(serve).toMatchObject({ exitCode: 2, view: { title: 'No command "serve" here' } });
    expect(texts(serve)[0]).toBe('/dlp help lists the commands you can use in chat.');
    const nonsense = await cliHelp('frobnicate');
    expect(nonsense.view.title).toBe('No command "frobnicate" here');
    expect(texts(nonsense)[0]).toBe('dlp-bot help lists the commands you can use on the command line.');
    const typo = await cliHelp('agin');
    expect(typo).toMatchObject({ exitCode: 2, view: { title: 'No command "agin" here' } });
    expect(texts(typo)[0]).toBe(
      'Did you mean dlp-bot help aging? dlp-bot help lists the commands you can use on the command line.',
    );
    expect(texts(await chatHelp('histroy'))[0]).toMatch(/^Did you mean \/dlp help history\? /);
  });
});
