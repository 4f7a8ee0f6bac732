// Entry of the `yiwang classify` worker threads: registers tsx in this thread (loader hooks are per thread),
// then runs the TypeScript worker.
import { register } from 'tsx/esm/api';
register();
await import('./classify-worker.ts');
