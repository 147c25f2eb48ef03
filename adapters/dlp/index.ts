import type { AdapterDefinition } from '../../src/ports/index.js';
import { paloalto } from './paloalto/index.js';
import { skyhigh } from './skyhigh/index.js';
import { symantec } from './symantec/index.js';
import { symphony } from './symphony/index.js';
import { zscaler } from './zscaler/index.js';

/**
 * Every vendor adapter, registered explicitly (no folder scanning). Adding a vendor is one folder under
 * adapters/dlp/ and one line here: config schema, sandbox, `simulate`, contract test and benchmark all read this
 * list. See adapters/README.md for the checklist.
 */
export const ADAPTERS: readonly AdapterDefinition[] = [paloalto, symantec, skyhigh, zscaler, symphony];
