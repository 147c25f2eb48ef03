import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ADAPTERS } from '../adapters/dlp/index.js';
import { COMMANDS } from '../commands/index.js';
import { inProse } from '../src/views/format.js';

const manifest = JSON.parse(readFileSync(new URL('../manifest.json', import.meta.url), 'utf8'));

describe('manifest.json (the Slack app manifest)', () => {
  it('should respect Slack manifest limits', () => {
    expect(manifest._metadata.major_version).toBe(1);
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
    for (const command of manifest.features.slash_commands) {
      expect(command.command.length).toBeLessThanOrEqual(32);
      expect(command.description.length).toBeGreaterThan(0);
      expect(command.usage_hint.length).toBeLessThanOrEqual(1000);
    }
    // users:read.email needs users:read alongside it.
    expect(manifest.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['users:read', 'users:read.email']));
    // Escalation and reminder DMs open the conversation with conversations.open.
    expect(manifest.oauth_config.scopes.bot).toContain('im:write');
    // Reading a channel back finds a card whose send never answered; without them such a card is sent again.
    expect(manifest.oauth_config.scopes.bot_optional).toEqual(['channels:history', 'groups:history']);
    expect(manifest.oauth_config.scopes.bot).not.toContain('channels:history');
  });

  it('should offer in /dlp exactly the commands the registry answers in chat', () => {
    const [dlp] = manifest.features.slash_commands;
    expect(dlp.command).toBe('/dlp');
    const hinted = dlp.usage_hint.split('|').map((part: string) => part.trim().split(' ')[0]);
    const chatCommands = COMMANDS.filter((c) => c.surfaces.includes('chat')).map((c) => c.name.split(' ')[0]);
    expect(new Set(hinted)).toEqual(new Set([...chatCommands, 'help']));
  });

  it('should name exactly the registered vendors, by their display names, in its long description', () => {
    // Slack takes this file as it stands (nothing packages it), so a new vendor's name is added here by hand.
    const named = inProse(ADAPTERS.map((a) => a.displayName));
    expect(manifest.display_information.long_description).toContain(`your vendor consoles — ${named} — knows`);
  });
});
