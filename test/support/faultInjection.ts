// Preloaded into a city process by fault-injection tests (never by anything
// else): stops the process with SIGKILL the moment it reaches the fault point
// named in the file FAULT_POINT_FILE (e.g. `after-commit:assignmentProposed`),
// as a crash would. The test writes the file before each step, so one start
// serves every step; an empty or missing file stops nothing.
import { readFileSync } from 'node:fs';
import { subscribe } from 'node:diagnostics_channel';
import { FAULT_POINT_CHANNEL } from '../../subgraphs/faultPoints';

const file = process.env.FAULT_POINT_FILE;
if (file) {
  subscribe(FAULT_POINT_CHANNEL, (message) => {
    let wanted = '';
    try {
      wanted = readFileSync(file, 'utf8').trim();
    } catch {
      return;
    }
    if (wanted && (message as { name?: string }).name === wanted) process.kill(process.pid, 'SIGKILL');
  });
}
