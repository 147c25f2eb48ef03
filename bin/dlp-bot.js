#!/usr/bin/env node
// The `dlp-bot` command. Runs the compiled output in dist/ (built by `npm install` / `npm run build`).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('dlp-bot: not built yet. Run `npm install` (or `npm run build`) in the project folder first.\n');
  process.exit(1);
}
const { runCli } = await import(entry.href);
const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
// Flush stdout before exiting so piped output (`--json | jq`) is never cut short.
process.stdout.write('', () => process.exit(code));
