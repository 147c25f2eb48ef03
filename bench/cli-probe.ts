/**
 * Preloaded (`node --import`) into every process the `cli` benchmark times. Node cannot read a child's rusage, so
 * the child reports its own as it exits: CPU time and peak RSS of the whole process, on fd 3.
 */
import { writeSync } from 'node:fs';

process.on('exit', () => {
  const usage = process.resourceUsage();
  writeSync(3, JSON.stringify({ userUs: usage.userCPUTime, systemUs: usage.systemCPUTime, maxRssKb: usage.maxRSS }));
});
