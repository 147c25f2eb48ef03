import { LOOPBACK_HOSTS } from './ops-schema.js';
import type { ChatConfigSpec, Config } from './schema.js';

export interface ConfigWarning {
  path: (string | number)[];
  message: string;
}

/**
 * What a valid config does that an operator should still hear about: channels on a surface that is switched off
 * (they get nothing until it is on again) and each surface's own (Teams without an app id runs unauthenticated).
 * A missing surface section is an error instead (see the schema); `enabled: false` is a deliberate, reversible
 * switch, so it warns rather than stopping scans and SLA tracking.
 */
export function configWarnings(config: Config, surfaces: readonly ChatConfigSpec[]): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  const off = (key: string) => config.chat[key]?.enabled === false;
  const channelsOnSwitchedOff = (channels: Record<string, readonly string[]>, path: (string | number)[]) => {
    for (const key of Object.keys(channels).filter(off)) {
      warnings.push({
        path: [...path, key],
        message: `chat.${key} is switched off (enabled: false): these ${key} channels get nothing until it is on`,
      });
    }
  };
  config.routes.forEach((route, index) => {
    channelsOnSwitchedOff(route.channels, ['routes', index, 'channels']);
  });
  channelsOnSwitchedOff(config.escalation.leadChannels, ['escalation', 'leadChannels']);
  channelsOnSwitchedOff(config.ops.adminChannels, ['ops', 'adminChannels']);
  if (config.ops.port !== undefined && !(LOOPBACK_HOSTS as readonly string[]).includes(config.ops.host)) {
    warnings.push({
      path: ['ops', 'host'],
      message: `the ops listener answers on ${config.ops.host}, beyond this machine: /metrics names sources and channels, so keep that network private`,
    });
  }
  for (const spec of surfaces) {
    const section = config.chat[spec.key];
    if (!section || section.enabled === false) continue;
    for (const warning of spec.warnings?.(section) ?? []) {
      warnings.push({ path: ['chat', spec.key, ...warning.path], message: warning.message });
    }
  }
  return warnings;
}
