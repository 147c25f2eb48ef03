import type { z } from 'zod';
import type { ChatConfigSpec, Config } from './schema.js';

/**
 * The rules that join parts of the file: unique source ids, every named source and chat surface known, channel
 * ids in each surface's form, and no channels named for a surface that has no section (they would get nothing).
 */
export function checkCrossReferences(config: Config, ctx: z.RefinementCtx, surfaces: readonly ChatConfigSpec[]): void {
  const seen = new Map<string, number>();
  config.sources.forEach((source, index) => {
    const first = seen.get(source.id);
    if (first !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['sources', index, 'id'],
        message: `duplicate source id "${source.id}" (also sources[${first}])`,
      });
    } else seen.set(source.id, index);
  });
  const checkChannels = (channels: Record<string, readonly string[]>, path: (string | number)[]) => {
    for (const [surface, ids] of Object.entries(channels)) {
      const spec = surfaces.find((s) => s.key === surface);
      if (!spec) {
        const known = surfaces.map((s) => s.key).join(', ') || 'none';
        ctx.addIssue({
          code: 'custom',
          path: [...path, surface],
          message: `unknown chat surface "${surface}" (known: ${known})`,
        });
        continue;
      }
      if (config.chat[surface] === undefined && spec.offWithoutSection) {
        // Fail closed: breaches routed here would be announced nowhere, and nothing at run time would say so.
        ctx.addIssue({
          code: 'custom',
          path: [...path, surface],
          message: `names ${surface} channels but there is no chat.${surface} section, so they would get nothing: add chat.${surface} or remove them`,
        });
      }
      ids.forEach((id, at) => {
        const problem = spec.channelId?.safeParse(id).error?.issues[0];
        if (problem) ctx.addIssue({ code: 'custom', path: [...path, surface, at], message: problem.message });
      });
    }
  };
  const unknownSources = (ids: readonly string[] | undefined, path: (string | number)[]) => {
    for (const id of ids ?? []) {
      if (!seen.has(id)) ctx.addIssue({ code: 'custom', path, message: `unknown source id "${id}"` });
    }
  };
  config.sla.policies.forEach((policy, index) => {
    unknownSources(policy.sources, ['sla', 'policies', index, 'sources']);
  });
  const routeNames = new Set<string>();
  config.routes.forEach((route, index) => {
    unknownSources(route.sources, ['routes', index, 'sources']);
    const name = route.name ?? `route-${index + 1}`;
    if (routeNames.has(name)) {
      ctx.addIssue({ code: 'custom', path: ['routes', index, 'name'], message: `duplicate route name "${name}"` });
    }
    routeNames.add(name);
    checkChannels(route.channels, ['routes', index, 'channels']);
  });
  checkChannels(config.escalation.leadChannels, ['escalation', 'leadChannels']);
  checkChannels(config.ops.adminChannels, ['ops', 'adminChannels']);
  config.identity.vendorUsers.forEach((entry, index) => {
    unknownSources([entry.source], ['identity', 'vendorUsers', index, 'source']);
  });
}
