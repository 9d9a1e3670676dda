import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/shared/config.js';
import { writerRole } from '../../src/shared/elasticsearch/privileges.js';
import { ES_DEFAULT_VERSION as ES_VERSION } from '../../tools/stack/elasticsearch.js';
import { PACKAGE_ROOT } from '../helpers/paths.js';

const hasCompose = spawnSync('sh', ['-c', 'command -v docker-compose'], { stdio: 'ignore' }).status === 0;
// CI installs docker-compose (.ci/run); elsewhere a missing tool is reported as a skip, never silently.
const skip =
  !hasCompose && process.env['CI'] !== 'true'
    ? 'docker-compose is not installed (apt-get install docker-compose)'
    : false;

const BASE = join(PACKAGE_ROOT, 'docker-compose.yml');
const CLUSTER = join(PACKAGE_ROOT, 'docker-compose.cluster.yml');
const PASSWORDS = { ELASTIC_PASSWORD: 'e-pass-28', KIBANA_PASSWORD: 'k-pass-28', CABLE_INGEST_PASSWORD: 'c-pass-28' };

function compose(files: string[], args: string[], env: Record<string, string> = PASSWORDS) {
  return spawnSync('docker-compose', [...files.flatMap((f) => ['-f', f]), ...args], {
    encoding: 'utf8',
    cwd: PACKAGE_ROOT,
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...env },
  });
}

interface Service {
  environment?: Record<string, string>;
  command?: string | string[];
}

/** The resolved configuration, read through docker-compose's own YAML library (python3-yaml, its dependency). */
function resolved(files: string[]): { services: Record<string, Service> } {
  const r = compose(files, ['config']);
  assert.equal(r.status, 0, r.stderr);
  const json = spawnSync('python3', ['-c', 'import json,sys,yaml; print(json.dumps(yaml.safe_load(sys.stdin)))'], {
    input: r.stdout,
    encoding: 'utf8',
  });
  assert.equal(json.status, 0, json.stderr);
  return JSON.parse(json.stdout) as { services: Record<string, Service> };
}

describe('docker-compose files (security on, as Elastic sets it up)', { skip }, () => {
  it('both pass `docker-compose config`: one node, and the three-node variant', () => {
    const one = compose([BASE], ['config', '--services']);
    assert.equal(one.status, 0, one.stderr);
    assert.deepEqual(one.stdout.trim().split('\n').sort(), ['es01', 'kibana', 'redis', 'setup', 'watcher', 'worker']);
    const three = compose([BASE, CLUSTER], ['config', '--services']);
    assert.equal(three.status, 0, three.stderr);
    assert.deepEqual(three.stdout.trim().split('\n').sort(), [
      'es01',
      'es02',
      'es03',
      'kibana',
      'redis',
      'setup',
      'watcher',
      'worker',
    ]);
  });

  it('no password has a default: without .env, config refuses and names the variable', () => {
    const r = compose([BASE], ['config'], {});
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /set (ELASTIC|KIBANA|CABLE_INGEST)_PASSWORD in \.env/);
  });

  it("the pipeline's environment is a configuration it accepts: HTTPS, its own user, the CA", () => {
    const { services } = resolved([BASE]);
    for (const role of ['watcher', 'worker']) {
      const c = loadConfig(services[role]!.environment!);
      assert.equal(c.elasticsearchUrl, 'https://es01:9200');
      assert.deepEqual(
        c.elasticsearchAuth && 'username' in c.elasticsearchAuth && c.elasticsearchAuth.username,
        'cable_ingest',
      );
      assert.equal(c.elasticsearchTls.caCert, '/certs/ca/ca.crt');
      assert.equal(c.elasticsearchTls.verify, true);
    }
    const kibana = services['kibana']!.environment!;
    assert.equal(kibana['ELASTICSEARCH_USERNAME'], 'kibana_system');
    assert.equal(kibana['ELASTICSEARCH_SSL_CERTIFICATEAUTHORITIES'], 'config/certs/ca/ca.crt');
    const three = resolved([BASE, CLUSTER]).services;
    assert.equal(
      loadConfig(three['worker']!.environment!).elasticsearchUrl,
      'https://es01:9200,https://es02:9200,https://es03:9200',
    );
    assert.equal(three['es01']!.environment!['discovery.type'], 'multi-node');
  });

  it('setup makes the role `cable-ingest es role` prints, and its script is valid shell', () => {
    const { services } = resolved([BASE]);
    const setup = services['setup']!;
    assert.deepEqual(JSON.parse(setup.environment!['CABLE_INGEST_ROLE']!), writerRole('cables'));
    const command = Array.isArray(setup.command) ? setup.command : [setup.command!];
    const script = /bash -c '([\s\S]*)'\s*$/.exec(command.join(' '))?.[1];
    assert.ok(script, 'setup runs a bash script');
    const check = spawnSync('bash', ['-n', '-c', script], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
    for (const n of ['es01', 'es02', 'es03']) assert.match(script, new RegExp(n), `a certificate for ${n}`);
    assert.match(script, /_security\/user\/kibana_system\/_password/);
  });
});

it('compose runs Elasticsearch and Kibana at one version, by default the one the local stack runs', () => {
  const text = readFileSync(BASE, 'utf8');
  const pinned = `\\$\\{ELASTIC_VERSION:-${ES_VERSION.replace(/\./g, '\\.')}\\}`;
  assert.match(text, new RegExp(`image: elasticsearch:${pinned}\\n`));
  assert.match(text, new RegExp(`image: kibana:${pinned}\\n`));
  assert.match(readFileSync(CLUSTER, 'utf8'), new RegExp(`image: elasticsearch:${pinned}\\n`));
});
