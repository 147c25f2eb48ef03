import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, CountsMessage, ParentMessage, ReadyMessage, StartMessage } from './protocol.js';

const CHILD_READY_TIMEOUT_MS = 60_000;

/** A vendor simulator in a forked process, driven over IPC (see protocol.ts). */
export interface SimulatorChild {
  start(message: Omit<StartMessage, 'type'>): Promise<ReadyMessage>;
  counts(): Promise<CountsMessage>;
  stop(): Promise<void>;
}

export function startSimulatorChild(): SimulatorChild {
  const path = fileURLToPath(new URL('./simulator-child.js', import.meta.url));
  // No execArgv: a --cpu-prof or --prof given to the benchmark must not profile the simulator too.
  // The child's stdout goes to our stderr, so nothing but the report ever reaches stdout.
  const child: ChildProcess = fork(path, [], { execArgv: [], stdio: ['ignore', 2, 2, 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const next = <T extends ChildMessage['type']>(type: T, timeoutMs: number) =>
    new Promise<Extract<ChildMessage, { type: T }>>((resolve, reject) => {
      const timer = setTimeout(
        () => done(new Error(`simulator child: no "${type}" within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const onMessage = (message: ChildMessage) => {
        if (message.type === type) done(null, message as Extract<ChildMessage, { type: T }>);
        else if (message.type === 'failed') done(new Error(`simulator child failed: ${message.message}`));
      };
      const onExit = (code: number | null) => done(new Error(`simulator child exited (${code}) before "${type}"`));
      function done(error: Error | null, message?: Extract<ChildMessage, { type: T }>) {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (error) reject(error);
        else resolve(message as Extract<ChildMessage, { type: T }>);
      }
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const send = (message: ParentMessage) => child.send(message);

  return {
    async start(message) {
      const ready = next('ready', CHILD_READY_TIMEOUT_MS);
      send({ type: 'start', ...message });
      return ready;
    },
    async counts() {
      const counts = next('counts', 10_000);
      send({ type: 'counts' });
      return counts;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
