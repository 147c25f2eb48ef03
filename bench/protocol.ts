/**
 * The IPC messages between the scan benchmark (parent, the measured process) and the simulator child.
 * Plain JSON only: they cross process boundaries via child_process.fork's channel.
 */
import type { DatasetSpec } from '../adapters/dlp/simulator-kit/bench-kit.js';

/** parent → child, once: which vendor's simulator (a `benchKits` name, bench/vendors/index.ts), and what dataset to serve. */
export interface StartMessage extends DatasetSpec {
  type: 'start';
  vendor: string;
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

/** child → parent, once the loopback server listens. */
export interface ReadyMessage {
  type: 'ready';
  vendor: string;
  baseUrl: string;
  /** The source entry exactly as `SimulatorHandle.sourceConfig` gives it (dlp-bot.yaml shape). */
  sourceConfig: Record<string, unknown>;
  /** The environment variables `sourceConfig` names (sandbox credentials only). */
  env: Record<string, string>;
  /** The vendor's dataset facts (`ServedDataset.facts`): the parent derives the expected counts from them. */
  facts: unknown;
  startupMs: number;
}

/** child → parent, answering `counts`. */
export interface CountsMessage {
  type: 'counts';
  /** Every request the simulator received, token requests and errors included. */
  total: number;
  /** Token requests among them (0 for the Basic-auth simulators). */
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
