import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS } from '../../adapters/dlp/index.js';
import { runChatCommand } from '../../commands/chat.js';
import { PROGRAMS } from '../../commands/command.js';
import { COMMANDS } from '../../commands/index.js';
import { tokenize } from '../../commands/parse.js';
import { createRuntime } from '../../src/app/runtime.js';
import { silentLogger } from '../../src/log.js';
import { composition } from '../../src/main.js';
import { runDlpBot } from '../support/cli.js';

/**
 * Every example in every command's help, run as a newcomer runs it: in the sandbox, in a fresh folder. An
 * example that exits 2 (bad input) teaches something that does not work; the ids in them must be the sandbox's.
 */
const clock = { now: () => new Date('2026-11-23T10:00:00Z') };
let cwd: string;

/** Why an example cannot run here, or null when it can. */
function cannotRun(command: string, example: string): string | null {
  if (command === 'serve' || command === 'simulate') return 'runs until Ctrl-C';
  if (example.includes('$(')) return 'reads a file a shell command wrote';
  if (/--config \/etc\//.test(example)) return "names a configured deployment's file";
  return null;
}

/** The words after the program name, as the shell passes them: a pipe or a redirect is the shell's business. */
function argvOf(example: string): string[] {
  const words = tokenize(example).slice(1);
  const end = words.findIndex((w) => w === '|' || w === '>');
  return end < 0 ? words : words.slice(0, end);
}

/** `/dlp …` as Alice types it in Slack, answered by the sandbox; the audit row says whether it was understood. */
async function askInChat(example: string) {
  const runtime = createRuntime({
    adapters: ADAPTERS,
    surfaces: composition.surfaces({ write: () => true }),
    load: { kind: 'none' },
    env: {},
    cwd,
    logger: silentLogger,
    clock,
  });
  try {
    return await runChatCommand(COMMANDS, example.slice(`${PROGRAMS.chat} `.length), {
      user: { surface: 'slack', userId: 'U0ALICE', display: 'Alice', email: 'alice@corp.example', groups: [] },
      role: 'admin',
      channel: 'C0123ABCD',
      correlationId: 'cmd-example',
      runtime,
      clock,
      logger: silentLogger,
      adapters: ADAPTERS,
    });
  } finally {
    await runtime.close();
  }
}

const examples = COMMANDS.flatMap((spec) =>
  spec.examples.map((example) => ({ command: spec.name, example, skip: cannotRun(spec.name, example) })),
);

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'dlp-examples-'));
  // Examples that name an incident need it stored, as it is once the sandbox has scanned.
  const scan = await runDlpBot(['scan'], { cwd, clock });
  expect(scan.code, scan.stderr).toBe(0);
}, 60_000);
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('the examples in help', () => {
  it('should all be written for dlp-bot or /dlp', () => {
    const programs = Object.values(PROGRAMS);
    for (const { example } of examples) expect(programs).toContain(example.split(' ')[0]);
  });

  const runnable = examples.filter((e) => e.skip === null);
  const onChat = (e: { example: string }) => e.example.startsWith(`${PROGRAMS.chat} `);

  it.each(runnable.filter((e) => !onChat(e)))('should run $example in the sandbox', async ({ example }) => {
    const run = await runDlpBot(argvOf(example), { cwd, clock });
    expect(run.code, `${example}\n${run.stdout}${run.stderr}`).toBe(0);
  });

  it.each(runnable.filter(onChat))('should answer $example in chat from the sandbox', async ({ example }) => {
    const { reply, result } = await askInChat(example);
    expect(result, `${example}\n${JSON.stringify(reply.view)}`).toBe('answered');
  });

  it.each(examples.filter((e) => e.skip !== null))('should leave $example out: it $skip', ({ example }) => {
    // Still a command line the parser takes, once the shell has done its part.
    expect(argvOf(example).length).toBeGreaterThan(0);
  });
});
