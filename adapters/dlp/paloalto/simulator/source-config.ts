export type SimulatorApi = 'seed' | 'published';

export const isSimulatorApi = (api: string): api is SimulatorApi => api === 'seed' || api === 'published';

export interface SimulatorEndpoints {
  api: SimulatorApi;
  seedBaseUrl: string;
  publishedBaseUrl: string;
  tokenUrl: string;
  credentials: { clientId: string; clientSecret: string; tsgId: string };
  /** Names of the environment variables the source entry refers to. */
  env: { clientId: string; clientSecret: string };
}

/** A source entry for dlp-bot.yaml pointing at this simulator, in the chosen API's form. */
export function simulatorSourceConfig(e: SimulatorEndpoints, id: string): Record<string, unknown> {
  const common = {
    tokenUrl: e.tokenUrl,
    tsgId: e.credentials.tsgId,
    clientIdEnv: e.env.clientId,
    clientSecretEnv: e.env.clientSecret,
  };
  return e.api === 'published'
    ? { id, vendor: 'paloalto', api: 'published', baseUrl: e.publishedBaseUrl, ...common }
    : { id, vendor: 'paloalto', baseUrl: e.seedBaseUrl, ...common };
}

/** The chosen API's base URL first (people and scripts read the first `base URL:`), then the other one. */
export function describeApi(e: SimulatorEndpoints): string[] {
  const seed = `${e.seedBaseUrl}  (seed spec: /incidents)`;
  const published = `${e.publishedBaseUrl}  (published: /v2/api/incidents, /v1/api/…, /v1/public/…)`;
  const { credentials: c } = e;
  return [
    `  base URL:     ${e.api === 'seed' ? seed : published}`,
    `  also serves:  ${e.api === 'seed' ? published : seed}`,
    `  token URL:    ${e.tokenUrl}  (HTTP Basic, grant_type=client_credentials, scope=tsg_id:${c.tsgId})`,
    `  credentials:  client id ${c.clientId}, secret ${c.clientSecret}, tsg_id ${c.tsgId}`,
  ];
}
