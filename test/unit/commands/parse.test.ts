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
    [['aging', 'urgent'], /severity must be critical, high, medium, low or info/],
    [['aging', '--limit', 'lots'], /--limit: expected a whole number/],
    [['aging', '--limit', '0'], /--limit: must be at least 1/],
    [['aging', '--colour'], /Unknown option '--colour'/],
    [['show'], /expected one incident reference/],
    [['show', 'no-colon'], /expected <source>:<id>/],
    [['audit'], /"audit" needs a subcommand: audit verify, audit export/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['audit', 'export', '--since', 'last tuesday'], /--since: expected a date/],
    [['audit', 'export', '--format', 'xml'], /--format: expected csv or json/],
    [['simulate'], /--vendor is required/],
  ])('should reject %j with a clear message', (argv, message) => {
    const parsed = parse(argv);
    expect(parsed.kind).toBe('usage_error');
    if (parsed.kind === 'usage_error') expect(parsed.message).toMatch(message);
  });

  it('should show usage with the command line that failed', () => {
    const parsed = parse(['aging', '--limit', 'x']);
    expect(parsed).toMatchObject({ usage: 'dlp-bot aging [severity] [--source S] [--limit N] [--json]' });
  });

  it('should answer --help for every command and help <command>', () => {
    for (const command of COMMANDS) {
      const parsed = parse([...command.name.split(' '), '--help']);
      expect(parsed.kind).toBe('help');
      if (parsed.kind === 'help') expect(parsed.view.title).toContain(command.summary);
    }
    expect(parse(['help', 'audit', 'verify'])).toMatchObject({
      kind: 'help',
      view: { title: expect.stringContaining('audit verify') },
    });
  });

  it('should list every command in the overview', () => {
    const parsed = parse([]);
    if (parsed.kind !== 'help') throw new Error('expected help');
    const table = parsed.view.blocks.find((b) => b.type === 'table');
    expect(table?.type === 'table' && table.rows.map((r) => r.command)).toEqual(
      COMMANDS.map((c) => `dlp-bot ${c.name}`),
    );
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
