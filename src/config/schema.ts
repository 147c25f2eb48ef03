import { z } from 'zod';
import { SlaConfig, SourceSlaConfig } from '../domain/sla-config.js';
import { LOG_LEVELS } from '../log.js';
import { checkCrossReferences } from './cross-references.js';
import { createConfigHelpers, requireSetVariables } from './helpers.js';
import { OpsConfig } from './ops-schema.js';
import { IdentityConfig, RolesConfig } from './people-schema.js';
import { RetentionConfig } from './retention-schema.js';
import { NotifyConfig, type RouteConfig, routeConfigFor } from './routes-schema.js';
import { ScanConfig } from './scan-schema.js';
import { cronExpression, DigestConfig, EscalationConfig, NoticesConfig, RemindersConfig } from './schedules-schema.js';
import type { Secret } from './secret.js';
import { TriageConfig } from './triage-schema.js';

/** Environment variables, passed in rather than read from `process.env` so tests and the CLI share one path. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Helpers a vendor adapter uses to declare its config fields; bound to one environment. */
export interface ConfigHelpers {
  /** A field that names an environment variable; parses to a `Secret` holding that variable's value. */
  secretFromEnv(description: string): z.ZodType<Secret, string>;
  /** Like `secretFromEnv`, but an unset variable parses to undefined (a later check decides if it is needed). */
  optionalSecretFromEnv(description: string): z.ZodType<Secret | undefined, string>;
  /** A port to listen on: the file's value, else the variable `name` (checked like a file value), else `fallback`. */
  portFromEnv(name: string, fallback: number): z.ZodType<number, number | undefined>;
  /** The environment, for non-secret defaults such as `SLACK_CHANNEL`. */
  env: Env;
}

/** A problem a rule across fields found; its path is relative to the entry or section it checked. */
export interface FieldProblem {
  path: (string | number)[];
  message: string;
}

/** What a vendor's or a surface's own config fields parse to. */
export type ParsedFields<Shape extends z.ZodRawShape> = z.output<z.ZodObject<Shape>>;

/** A source entry as its vendor's config fields parse it: the keys every source has, and the vendor's own. */
export type VendorSourceConfig<Shape extends z.ZodRawShape> = SourceConfig & ParsedFields<Shape>;

/**
 * How a vendor adapter contributes its own keys to a source entry. `Shape` types what its rules (and its adapter)
 * get: the entry as these very fields parsed it.
 */
export interface VendorConfigSpec<Shape extends z.ZodRawShape = z.ZodRawShape> {
  vendor: string;
  fields(helpers: ConfigHelpers): Shape;
  /** Rules across fields (one of the vendor's APIs needs a key another forbids); paths are relative to the entry. */
  validate?(source: VendorSourceConfig<Shape>): FieldProblem[];
}

/** What a surface's rules may know about the config as a whole. */
export interface ConfigContext {
  /** The sandbox's config, assembled in code because there is no file: it may leave out what a file must say. */
  sandbox: boolean;
}

/** How a chat surface contributes its keys, under `chat.<key>`; `Shape` types the section its rules get. */
export interface ChatConfigSpec<Shape extends z.ZodRawShape = z.ZodRawShape> {
  key: string;
  fields(helpers: ConfigHelpers): Shape;
  /** Rules across fields (Socket Mode needs an app token); paths are relative to the section. */
  validate?(section: ParsedFields<Shape>, context: ConfigContext): FieldProblem[];
  /** What one of this surface's channel ids looks like, checked wherever routes and escalation name one. */
  channelId?: z.ZodType<string, string>;
  /** Off until the file has a `chat.<key>` section (Slack, Teams): routes naming its channels need one. */
  offWithoutSection?: boolean;
  /** Things that work but that an operator should know (running unauthenticated); paths relative to the section. */
  warnings?(section: ParsedFields<Shape>): FieldProblem[];
}

const HttpOptions = z.strictObject({
  connectTimeoutMs: z.int().positive().default(10_000),
  headersTimeoutMs: z.int().positive().default(30_000),
  bodyTimeoutMs: z.int().positive().default(60_000),
  maxRetries: z.int().min(0).max(10).default(4),
  requestsPerMinute: z.int().positive().optional().describe("Pace requests to the vendor's published limit."),
  requestsPerHour: z.int().positive().optional(),
  connections: z.int().min(1).max(64).default(4),
});
export type HttpOptions = z.infer<typeof HttpOptions>;

const sourceId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'expected lowercase letters, digits and dashes (e.g. "pan-prod")');

const baseSourceShape = {
  id: sourceId,
  enabled: z.boolean().default(true),
  sla: SourceSlaConfig.optional(),
  schedule: cronExpression.optional().describe("This source's scan schedule; default scan.schedule."),
  http: HttpOptions.default(HttpOptions.parse({})),
};

export function createConfigSchema(
  vendors: readonly VendorConfigSpec[],
  env: Env,
  surfaces: readonly ChatConfigSpec[] = [],
  context: ConfigContext = { sandbox: false },
): z.ZodType<Config, unknown> {
  const helpers = createConfigHelpers(env);
  // A vendor's or a surface's rules across fields run on its entry or section as soon as that part's own fields
  // parse, not after the whole file does: a field error in one part and a cross-field problem in another (Socket
  // Mode without an app token) are reported in the same round.
  const crossFieldRules =
    (spec: {
      validate?(
        value: Record<string, unknown>,
        context: ConfigContext,
      ): { path: (string | number)[]; message: string }[];
    }) =>
    (value: Record<string, unknown>, ctx: z.RefinementCtx) => {
      for (const problem of spec.validate?.(value, context) ?? []) {
        ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
      }
    };
  const chat = z
    .strictObject(
      Object.fromEntries(
        surfaces.map((s) => [
          s.key,
          z.strictObject(s.fields(helpers)).check(requireSetVariables).superRefine(crossFieldRules(s)).optional(),
        ]),
      ),
    )
    .default({});
  const sourceVariants = vendors.map((v) =>
    z
      .strictObject({ ...baseSourceShape, vendor: z.literal(v.vendor), ...v.fields(helpers) })
      .check(requireSetVariables)
      .superRefine(crossFieldRules(v)),
  );
  const Source = sourceVariants.length
    ? z.discriminatedUnion('vendor', sourceVariants as [(typeof sourceVariants)[0], ...typeof sourceVariants], {
        error: (issue) => {
          if (issue.code !== 'invalid_union' || !('discriminator' in issue)) return undefined;
          const vendor = (issue.input as { vendor?: unknown } | undefined)?.vendor;
          const known = vendors.map((v) => v.vendor).join(', ');
          return vendor === undefined
            ? `vendor is required (one of ${known})`
            : `unknown vendor ${JSON.stringify(vendor)} (known: ${known})`;
        },
      })
    : z.never();

  return z
    .strictObject({
      store: z
        .strictObject({
          path: z.string().min(1).default('./data/dlp-bot.sqlite'),
          retention: RetentionConfig.default(RetentionConfig.parse({})),
        })
        .default({ path: './data/dlp-bot.sqlite', retention: RetentionConfig.parse({}) }),
      log: z
        .strictObject({
          // No default: left unset, the command line picks one (see `chooseLogLevel`).
          level: z.enum(LOG_LEVELS).optional(),
          format: z.enum(['auto', 'json', 'pretty']).default('auto'),
        })
        .default({ format: 'auto' }),
      sla: SlaConfig.default(SlaConfig.parse({})),
      scan: ScanConfig.default(ScanConfig.parse({})),
      chat,
      roles: RolesConfig.default(RolesConfig.parse({})),
      identity: IdentityConfig.default({ vendorUsers: [] }),
      triage: TriageConfig.default(TriageConfig.parse({})),
      routes: z.array(routeConfigFor(surfaces.map((s) => s.key))).default([]),
      notify: NotifyConfig.default({ rollupAfter: 20 }),
      digest: DigestConfig.default(DigestConfig.parse({})),
      escalation: EscalationConfig.default(EscalationConfig.parse({})),
      reminders: RemindersConfig.default(RemindersConfig.parse({})),
      notices: NoticesConfig.default(NoticesConfig.parse({})),
      ops: OpsConfig.default(OpsConfig.parse({})),
      shutdown: z
        .strictObject({
          graceSeconds: z
            .number()
            .min(0)
            .max(600)
            .default(10)
            .describe('On SIGTERM, how long chat calls in flight may finish before they are aborted.'),
        })
        .default({ graceSeconds: 10 }),
      sources: z.array(Source).min(1, 'configure at least one source'),
    })
    .superRefine((config, ctx) => checkCrossReferences(config, ctx, surfaces));
}

/** A configured source entry as the core sees it; the adapter reads its own vendor-specific keys. */
export interface SourceConfig {
  id: string;
  vendor: string;
  enabled: boolean;
  sla?: SourceSlaConfig | undefined;
  schedule?: string | undefined;
  http: HttpOptions;
  [vendorKey: string]: unknown;
}

export interface Config {
  store: { path: string; retention: RetentionConfig };
  log: {
    level?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent' | undefined;
    format: 'auto' | 'json' | 'pretty';
  };
  sla: SlaConfig;
  scan: ScanConfig;
  /** Each surface's own section (`chat.slack`, …), read by that surface; absent when not configured. */
  chat: Record<string, Record<string, unknown> | undefined>;
  roles: RolesConfig;
  identity: IdentityConfig;
  triage: TriageConfig;
  routes: RouteConfig[];
  notify: NotifyConfig;
  digest: DigestConfig;
  escalation: EscalationConfig;
  reminders: RemindersConfig;
  notices: NoticesConfig;
  ops: OpsConfig;
  shutdown: { graceSeconds: number };
  sources: SourceConfig[];
}
