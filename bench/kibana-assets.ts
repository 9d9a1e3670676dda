/** Write kibana/cable-ingest.ndjson from src/ops/kibana/assets.ts. npm run kibana:assets */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAssets, toNdjson } from '../src/ops/kibana/assets.js';
import { KIBANA_DIR } from '../src/shared/paths.js';

const path = join(KIBANA_DIR, 'cable-ingest.ndjson');
writeFileSync(path, toNdjson(buildAssets()));
process.stdout.write(`wrote ${path}\n`);
