/**
 * The IPC messages between the scan benchmark (parent, the measured process) and the simulator child.
 * Plain JSON only: they cross process boundaries via child_process.fork's channel.
 */

/** parent → child, once: what dataset to serve. */
export interface StartMessage {
  type: 'start';
  incidents: number;
  seed: number;
  breachedShare: number;
  /** The dataset's "now"; every generated record is visible from this instant on. */
  anchorMs: number;
}

/** parent → child: report what the simulator has served so far. */
export interface CountsRequest {
  type: 'counts';
}

/** parent → child: close the server and exit. */
export interface StopMessage {
  type: 'stop';
}

export type ParentMessage = StartMessage | CountsRequest | StopMessage;

export const PAN_LIST_STATUSES = ['open', 'in_review', 'resolved', 'dismissed'] as const;
export type PanListStatus = (typeof PAN_LIST_STATUSES)[number];

/** child → parent, once the loopback server listens. */
export interface ReadyMessage {
  type: 'ready';
  baseUrl: string;
  /** The source entry exactly as `SimulatorHandle.sourceConfig` gives it (dlp-bot.yaml shape). */
  sourceConfig: Record<string, unknown>;
  /** The environment variables `sourceConfig` names (sandbox credentials only). */
  env: Record<string, string>;
  /** Records per status in the served dataset; the parent derives the minimum request count from them. */
  statusCounts: Record<PanListStatus, number>;
  /** The simulator's own count of open records, a cross-check on `statusCounts.open`. */
  openIncidentCount: number;
  startupMs: number;
}

/** child → parent, answering `counts`. */
export interface CountsMessage {
  type: 'counts';
  /** Every request the simulator received, token requests and errors included. */
  total: number;
  token: number;
  byRoute: Record<string, number>;
  /** CPU the child spent since it reported ready (user + system): the server side of the scan. */
  cpuMs: number;
}

/** child → parent, when the child cannot start. */
export interface FailedMessage {
  type: 'failed';
  message: string;
}

export type ChildMessage = ReadyMessage | CountsMessage | FailedMessage;
