// Worker-thread entry of the analyser pool (pool.ts). Plain JavaScript so that it can register tsx itself,
// exactly as bin/yiwang.js does, whatever loader the parent thread uses; then it loads the TypeScript worker.
import { register } from 'tsx/esm/api';
register();
await import('./pool-worker.ts');
