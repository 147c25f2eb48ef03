import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../commands/index.js';
import { parseCommand, tokenize } from '../../../commands/parse.js';

const parse = (argv: string[], surface: 'cli' | 'chat' = 'cli') => parseCommand(COMMANDS, argv, 'dlp-bot', surface);

describe('parseCommand', () => {
  it('should parse aging with a severity, a source and a limit', () => {
    const parsed = parse(['aging', 'HIGH', '--source', 'pan-prod', '--limit', '5']);
    expect(parsed).toMatchObject({
      kind: 'run',
      args: { severity: 'high', source: 'pan-prod', limit: 5, json: false },
    });
  });

  it('should accept the vendor spelling "informational" for info', () => {
    expect(parse(['aging', 'informational'])).toMatchObject({ kind: 'run', args: { severity: 'info' } });
  });

  it.each([
    [['aging', 'hihg', 'pan-prod'], /severity must be critical, high, medium, low or info, then a source id/],
    [['aging', 'high', 'critical'], /at most one severity/],
    [['aging', 'high', 'pan-prod', 'sym-eu'], /at most a severity and a source/],
    [['aging', 'pan-prod', '--source', 'sym-eu'], /two sources given \("pan-prod" and --source sym-eu\)/],
    [['history'], /expected one incident reference/],
    [['history', 'pan-prod:1', '--limit', '501'], /--limit: must be at most 500/],
    [['mine', '--email', 'alice'], /--email: expected an email address, e.g. you@corp.example/],
    [['mine', 'alice@corp.example'], /no positional arguments/],
    [['digest', 'today'], /no positional arguments/],
    [['help', 'audit', 'verify', 'now'], /expected one command name/],
    [['aging', '--limit', 'lots'], /--limit: expected a whole number/],
    [['aging', '--limit', '0'], /--limit: must be at least 1/],
    [['aging', '--colour'], /Unknown option '--colour'/],
    [['show'], /expected one incident reference/],
    [['show', 'no-colon'], /expected <source>:<id>/],
    [['audit'], /"audit" needs a subcommand: audit verify, audit export/],
    [['frobnicate'], /^unknown command "frobnicate"$/],
    [['agin'], /^unknown command "agin"; did you mean "aging"\?$/],
    [['audti', 'verify'], /^unknown command "audti"; did you mean "audit"\?$/],
    [['audit', 'frob'], /^unknown subcommand "frob" for audit \(verify, export\)$/],
    [['audit', 'verfy'], /^unknown subcommand "verfy" for audit \(verify, export\); did you mean "verify"\?$/],
    [['config', 'chek'], /^unknown subcommand "chek" for config \(check\); did you mean "check"\?$/],
    [['audit', '--json'], /^"audit" needs a subcommand: audit verify, audit export$/],
    [['aging', '--sorce', 'pan-prod'], /^Unknown option '--sorce'; did you mean "--source"\?$/],
    [['audit', 'export', '--since', 'last tuesday'], /--since: expected a date/],
    [['audit', 'export', '--format', 'xml'], /--format: expected csv or json/],
    [
      ['audit', 'export', '--since', '2026-11-24', '--until', '2026-11-01'],
      /^--until: 2026-11-01 is not after --since 2026-11-24, so no row could match$/,
    ],
    [['audit', 'export', '--since', '1d', '--until', '7d'], /^--until: 7d is not after --since 1d/],
    [['simulate', '--vendor', 'zscaler', '--port', '99999'], /^--port: expected a port number from 0 to 65535/],
    [
      ['simulate', '--vendor', 'zscaler', '--incidents', '-5'],
      /^--incidents needs a value, and "-5" starts with a dash .*write --incidents=-5 if/,
    ],
    [['simulate', '--vendor', 'zscaler', '--incidents=-5'], /^--incidents: must be at least 1/],
  ])('should reject %j with a clear message', (argv, message) => {
    const parsed = parse(argv);
    expect(parsed.kind).toBe('usage_error');
    if (parsed.kind === 'usage_error') expect(parsed.message).toMatch(message);
  });

  it('should show usage with the command line that failed', () => {
    const parsed = parse(['aging', '--limit', 'x']);
    expect(parsed).toMatchObject({ usage: 'dlp-bot aging [severity] [source] [--limit N] [--json]' });
  });

  it('should leave --json out of chat usage, since chat replies are never JSON', () => {
    expect(parse(['aging', '--limit', 'x'], 'chat')).toMatchObject({
      usage: 'dlp-bot aging [severity] [source] [--limit N]',
    });
    expect(parse(['frobnicate'], 'chat')).toMatchObject({ usage: 'dlp-bot help lists the commands' });
  });

  it('should keep --source and a severity word working as before', () => {
    expect(parse(['aging', 'informational', '--source', 'sym-eu'])).toMatchObject({
      kind: 'run',
      args: { severity: 'info', source: 'sym-eu' },
    });
    expect(parse(['aging'])).toMatchObject({ kind: 'run', args: { severity: undefined, source: undefined } });
  });

  it('should answer --help for every command and help <command>', () => {
    for (const command of COMMANDS) {
      const parsed = parse([...command.name.split(' '), '--help']);
      expect(parsed.kind).toBe('help');
      if (parsed.kind === 'help') expect(parsed.view.title).toContain(command.summary);
    }
    // `help` is a registered command, so `help <command>` runs it like any other.
    expect(parse(['help', 'audit', 'verify'])).toMatchObject({
      kind: 'run',
      spec: { name: 'help' },
      args: { topic: ['audit', 'verify'] },
    });
    expect(
      parseCommand(
        COMMANDS.filter((c) => c.name !== 'help'),
        ['help', 'sla'],
        'dlp-bot',
        'cli',
      ),
    ).toMatchObject({
      kind: 'help',
      view: { title: expect.stringContaining('dlp-bot sla:') },
    });
  });

  it('should explain every option a command takes in its help', () => {
    for (const command of COMMANDS) {
      const text = command.details.join('\n');
      for (const option of Object.keys(command.options ?? {})) {
        if (option === 'help') continue;
        expect(text, `${command.name} --help`).toMatch(new RegExp(`--${option}\\b`));
      }
    }
  });

  it('should list every command in the overview', () => {
    const parsed = parse([]);
    if (parsed.kind !== 'help') throw new Error('expected help');
    const table = parsed.view.blocks.find((b) => b.type === 'table');
    expect(table?.type === 'table' && table.rows.map((r) => r.command)).toEqual(
      COMMANDS.map((c) => `dlp-bot ${c.name}`),
    );
  });

  it('should list only the chat commands in the chat overview, marking those that need more than viewer', () => {
    const parsed = parseCommand(COMMANDS, [], '/dlp', 'chat');
    if (parsed.kind !== 'help') throw new Error('expected help');
    const table = parsed.view.blocks.find((b) => b.type === 'table');
    const rows = table?.type === 'table' ? table.rows : [];
    expect(rows.map((r) => r.command)).toEqual(
      COMMANDS.filter((c) => c.surfaces.includes('chat')).map((c) => `/dlp ${c.name}`),
    );
    expect(rows.find((r) => r.command === '/dlp scan')?.summary).toMatch(/\(needs the admin role\)$/);
    expect(rows.find((r) => r.command === '/dlp aging')?.summary).not.toMatch(/needs the/);
  });

  it('should hide operator-only commands from chat', () => {
    expect(parse(['serve'], 'chat')).toMatchObject({ kind: 'usage_error' });
    expect(parse(['audit', 'verify'], 'chat')).toMatchObject({ kind: 'usage_error' });
    expect(parse(['aging', 'high'], 'chat')).toMatchObject({ kind: 'run' });
  });
});

describe('tokenize', () => {
  it('should split chat text on whitespace and keep quoted phrases together', () => {
    expect(tokenize(`aging   high --source "pan prod" 'x y'`)).toEqual([
      'aging',
      'high',
      '--source',
      'pan prod',
      'x y',
    ]);
    expect(tokenize('')).toEqual([]);
  });
});
