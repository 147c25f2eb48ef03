import { leftOutLine } from '../src/app/origins.js';
import type { SourceScope } from '../src/app/runtime.js';
import type { Block } from '../src/views/view.js';

/** The one line under a list or digest that names the stored sources the config no longer has. */
export function leftOutNote(scope: SourceScope): Block[] {
  return scope.leftOut.length > 0 ? [{ type: 'context', text: leftOutLine(scope.leftOut) }] : [];
}
