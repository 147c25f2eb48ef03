import { z } from 'zod';
import { leftOutLine, movedSourceMessage } from '../src/app/origins.js';
import { noPositionals } from './args.js';
import { defineCommand } from './command.js';

/** `console: on, slack: on` from the chat sections present; a section with `enabled: false` is off. */
function describeChat(chat: Record<string, Record<string, unknown> | undefined>): string {
  const entries = Object.entries(chat).map(([key, section]) => `${key}: ${section?.enabled === false ? 'off' : 'on'}`);
  return entries.length > 0 ? entries.join(', ') : 'console only (the default)';
}

/** `sources[2] (pan-prod)`, as config errors name an entry. */
function sourceLabel(sources: readonly { id: string }[], id: string): string {
  return `sources[${sources.findIndex((s) => s.id === id)}] (${id})`;
}

export default defineCommand({
  name: 'config check',
  summary: 'Validate the config file and the environment variables it names (exit 2 on any problem)',
  usage: '[--config FILE]',
  details: [
    'Looks for --config, then $DLP_BOT_CONFIG, then ./dlp-bot.yaml. Every problem is listed at once with',
    'its key path (e.g. sources[0].clientSecretEnv) so one edit can fix them all. Warnings (a valid file',
    'that still deserves a look, e.g. Teams without an app id) are printed too, with exit 0.',
  ],
  examples: ['dlp-bot config check', 'dlp-bot config check --config /etc/dlp-bot/dlp-bot.yaml'],
  options: {},
  args: z.object({ _: noPositionals }),
  role: 'admin',
  surfaces: ['cli'],
  async run(_args, ctx) {
    // runtime() throws ConfigInvalidError for a bad file; the CLI prints that list and exits 2.
    const runtime = ctx.runtime();
    if (runtime.origin.kind === 'sandbox') {
      return {
        view: {
          title: 'No config file found: dlp-bot runs the built-in sandbox',
          tone: 'warning',
          blocks: [
            { type: 'text', text: 'Looked for --config, $DLP_BOT_CONFIG and ./dlp-bot.yaml.' },
            { type: 'context', text: 'Start from config.example.yaml: cp config.example.yaml dlp-bot.yaml' },
          ],
        },
      };
    }
    const config = await runtime.config();
    const { warnings } = runtime;
    // The file can be valid and still wrong for the store it names: a source now reading another endpoint.
    const origins = await runtime.originCheck();
    if (origins && origins.moved.length > 0) {
      return {
        exitCode: 2,
        view: {
          title: `${runtime.origin.path} does not match its store: ${origins.moved.length} source(s) moved`,
          tone: 'danger',
          blocks: origins.moved.map((moved) => ({
            type: 'text' as const,
            text: `${sourceLabel(config.sources, moved.source)}: ${movedSourceMessage(moved, runtime.storeLabel)}`,
          })),
        },
      };
    }
    const leftOut = origins?.orphans.length
      ? [{ type: 'text' as const, text: `note: ${leftOutLine(origins.orphans)}` }]
      : [];
    return {
      view: {
        title: `${runtime.origin.path} is valid${warnings.length > 0 ? `, with ${warnings.length} warning(s)` : ''}`,
        tone: warnings.length > 0 ? 'warning' : 'good',
        blocks: [
          ...warnings.map((w) => ({ type: 'text' as const, text: `warning: ${w.path}: ${w.message}` })),
          ...leftOut,
          {
            type: 'table',
            columns: [
              { key: 'id', label: 'Source' },
              { key: 'vendor', label: 'Vendor' },
              { key: 'enabled', label: 'Enabled' },
            ],
            rows: config.sources.map((s) => ({ id: s.id, vendor: s.vendor, enabled: s.enabled ? 'yes' : 'no' })),
          },
          {
            type: 'fields',
            fields: [
              { label: 'Store', value: config.store.path },
              { label: 'Scan schedule', value: config.scan.schedule },
              { label: 'Chat surfaces', value: describeChat(config.chat) },
            ],
          },
        ],
      },
    };
  },
});
