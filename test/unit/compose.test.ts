import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { ES_DEFAULT_VERSION as ES_VERSION } from '../../tools/stack/elasticsearch.js';
import { PACKAGE_ROOT } from '../helpers/paths.js';

const hasCompose = spawnSync('sh', ['-c', 'command -v docker-compose'], { stdio: 'ignore' }).status === 0;
// CI installs docker-compose (.ci/run); elsewhere a missing tool is reported as a skip, never silently.
const skip =
  !hasCompose && process.env['CI'] !== 'true'
    ? 'docker-compose is not installed (apt-get install docker-compose)'
    : false;

it('docker-compose.yml passes `docker-compose config`', { skip }, () => {
  const r = spawnSync('docker-compose', ['-f', join(PACKAGE_ROOT, 'docker-compose.yml'), 'config', '--services'], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n').sort(), ['elasticsearch', 'kibana', 'redis', 'watcher', 'worker']);
});

it('compose runs Elasticsearch and Kibana at one version, by default the one the local stack runs', () => {
  const text = readFileSync(join(PACKAGE_ROOT, 'docker-compose.yml'), 'utf8');
  const pinned = `\\$\\{ELASTIC_VERSION:-${ES_VERSION.replace(/\./g, '\\.')}\\}`;
  assert.match(text, new RegExp(`image: elasticsearch:${pinned}\\n`));
  assert.match(text, new RegExp(`image: kibana:${pinned}\\n`));
});
