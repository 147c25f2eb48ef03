import { isIP } from 'node:net';
import { z } from 'zod';
import { Channels } from './schedules-schema.js';

/** The loopback addresses: the ops listener binds one of these unless `ops.host` says otherwise. */
export const LOOPBACK_HOSTS = ['127.0.0.1', '::1', 'localhost'] as const;

const host = z
  .string()
  .trim()
  .refine(
    (value) =>
      isIP(value) !== 0 || /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(value),
    'expected an address to listen on, e.g. 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)',
  );

/**
 * What operators watch and act on: the ops listener (`/livez`, `/readyz`, `/metrics`), on only when `port` is set and
 * on loopback unless `host` says otherwise, and the channels dlp-bot tells operators in.
 */
export const OpsConfig = z.strictObject({
  port: z
    .int()
    .min(0)
    .max(65_535)
    .optional()
    .describe('Port of the ops listener (/livez, /readyz, /metrics); unset, nothing listens; 0 picks a free port.'),
  host: host
    .default('127.0.0.1')
    .describe('Address the ops listener binds: loopback unless set; anything else serves /metrics to the network.'),
  adminChannels: Channels.default({}).describe(
    'Where dlp-bot tells its operators what needs them (notifications it gave up on), per surface.',
  ),
});
export type OpsConfig = z.infer<typeof OpsConfig>;
