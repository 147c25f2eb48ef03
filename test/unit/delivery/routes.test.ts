import { describe, expect, it } from 'vitest';
import { RouteConfig } from '../../../src/config/routes-schema.js';
import { createRouter, type Target } from '../../../src/delivery/routes.js';
import type { Incident } from '../../../src/domain/incident.js';
import { fakeIncident } from '../../support/fake-source.js';
import { createRecordingSurface } from '../../support/recording-surface.js';

const slack = createRecordingSurface('slack', { defaultChannel: 'C-SLACK-DEFAULT' });
const teams = createRecordingSurface('teams', { defaultChannel: 'T-DEFAULT' });
const quiet = createRecordingSurface('quiet', { defaultChannel: null });

const routes = [
  { sources: ['pan'], channels: { slack: ['C-PAN'] } },
  { severities: ['critical', 'high'], channels: { slack: ['C-URGENT'], teams: ['T-URGENT'] } },
  { policies: ['pci*', 'GDPR ?'], channels: { slack: ['C-PCI', 'C-URGENT'], nosuch: ['X-1'] } },
  { sources: ['sym'], severities: ['low'], policies: ['*source code*'], channels: { teams: ['T-CODE'] } },
].map((route) => RouteConfig.parse(route));

const incident = (source: string, severity: Incident['severity'], policy: string | null) =>
  fakeIncident(source, '1', { severity, policy });
const names = (targets: Target[]) => targets.map((t) => `${t.surface.id}:${t.channel}`);

describe('createRouter', () => {
  const route = createRouter(routes, [slack, teams, quiet]);

  it.each([
    ['a source match only', incident('pan', 'low', 'Other'), ['slack:C-PAN']],
    ['a severity match on two surfaces', incident('sym', 'critical', 'Other'), ['slack:C-URGENT', 'teams:T-URGENT']],
    [
      'a case-insensitive policy glob',
      incident('sym', 'medium', 'PCI - Credit Card'),
      ['slack:C-PCI', 'slack:C-URGENT'],
    ],
    ['a single-character wildcard', incident('sym', 'medium', 'gdpr 2'), ['slack:C-PCI', 'slack:C-URGENT']],
    ['every condition of a route', incident('sym', 'low', 'Leaked Source Code (Java)'), ['teams:T-CODE']],
    [
      'several routes, deduplicated in route order',
      incident('pan', 'high', 'PCI - Credit Card'),
      ['slack:C-PAN', 'slack:C-URGENT', 'teams:T-URGENT', 'slack:C-PCI'],
    ],
  ])('should route %s', (_name, input, expected) => {
    expect(names(route(input))).toEqual(expected);
  });

  it.each([
    ['one condition of a route fails', incident('sym', 'medium', 'Leaked Source Code')],
    ['a policy route meets an incident without a policy', incident('sym', 'low', null)],
    ['a glob must match the whole name', incident('sym', 'medium', 'Not PCI')],
  ])('should fall back to each default channel, skipping surfaces without one, when %s', (_name, input) => {
    expect(names(route(input))).toEqual(['slack:C-SLACK-DEFAULT', 'teams:T-DEFAULT']);
  });

  it('should not let a policy wildcard match an incident that has no policy', () => {
    const anyPolicy = createRouter([RouteConfig.parse({ policies: ['*'], channels: { slack: ['C-ANY'] } })], [slack]);

    expect(names(anyPolicy(incident('pan', 'low', 'Anything')))).toEqual(['slack:C-ANY']);
    expect(names(anyPolicy(incident('pan', 'low', null)))).toEqual(['slack:C-SLACK-DEFAULT']);
  });

  it('should ignore channels of surfaces that are not running, so a route only for them adds nothing', () => {
    const slackOnly = createRouter(routes, [slack]);

    expect(names(slackOnly(incident('sym', 'low', 'Leaked Source Code')))).toEqual([]);
    expect(names(slackOnly(incident('sym', 'high', 'Other')))).toEqual(['slack:C-URGENT']);
  });

  it('should send everything to the default channels when no routes are configured', () => {
    expect(names(createRouter([], [slack, quiet, teams])(incident('pan', 'info', null)))).toEqual([
      'slack:C-SLACK-DEFAULT',
      'teams:T-DEFAULT',
    ]);
  });
});
