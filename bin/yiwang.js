#!/usr/bin/env node
// Entry point of the `yiwang` command. The sources are TypeScript run through tsx, so there is no build step.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli/index.ts');
await main(process.argv);
