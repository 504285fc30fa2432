#!/usr/bin/env node
// Writes cli/src/action-inputs.json: each action's input names and plain defaults from its action.yml,
// so the command line accepts exactly the action's inputs and applies the same defaults the runner
// would. `npm run build` runs it; test/cli checks the committed file is current.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { actionNames, root } from './actions.mjs';

export const CLI_INPUTS_FILE = join(root, 'cli', 'src', 'action-inputs.json');

export function cliInputsSource() {
  const actions = {};
  for (const name of actionNames()) {
    const meta = parse(readFileSync(join(root, 'actions', name, 'action.yml'), 'utf8'));
    actions[name] = Object.fromEntries(
      Object.entries(meta.inputs ?? {}).map(([k, v]) => {
        const d = v?.default === undefined ? '' : String(v.default);
        // Expressions (${{ github.token }}) only mean something on a runner.
        return [k, d.includes('${{') ? '' : d];
      }),
    );
  }
  return `${JSON.stringify(actions, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(CLI_INPUTS_FILE, cliInputsSource());
}
