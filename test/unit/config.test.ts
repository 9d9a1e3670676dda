import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { loadConfig } from '../../src/shared/config.js';
import { esClientOptions, type EsTarget } from '../../src/shared/elasticsearch/client.js';
import { ConfigError } from '../../src/shared/errors.js';

describe('configuration', () => {
  it('has defaults for everything', () => {
    const c = loadConfig({});
    assert.equal(c.indexAlias, 'cables');
    assert.equal(c.redis, undefined);
    assert.equal(c.elasticsearchUrl, undefined);
    assert.equal(c.watchPolling, false);
    assert.match(c.inboxDir, /inbox$/);
    assert.ok(Object.isFrozen(c));
  });
  it("sets how far a role's heap grows before V8 marks it again: 50% by default, 0 for V8's own choice", () => {
    assert.equal(loadConfig({}).heapGrowingPercent, 50);
    assert.equal(loadConfig({ HEAP_GROWING_PERCENT: '0' }).heapGrowingPercent, 0);
    assert.equal(loadConfig({ HEAP_GROWING_PERCENT: '100' }).heapGrowingPercent, 100);
    for (const bad of ['-1', '401', 'lots'])
      assert.throws(() => loadConfig({ HEAP_GROWING_PERCENT: bad }), /HEAP_GROWING_PERCENT/);
  });
  it('reads booleans as words, not truthiness', () => {
    assert.equal(loadConfig({ WATCH_POLLING: 'false' }).watchPolling, false);
    assert.equal(loadConfig({ WATCH_POLLING: 'true' }).watchPolling, true);
  });
  it('fails fast, naming every bad variable', () => {
    assert.throws(
      () => loadConfig({ WORKER_CONCURRENCY: 'many', REDIS_URL: 'http://x', ELASTICSEARCH_INDEX: 'Cables!' }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /WORKER_CONCURRENCY/);
        assert.match(err.message, /REDIS_URL: must be a redis/);
        assert.match(err.message, /ELASTICSEARCH_INDEX/);
        return true;
      },
    );
  });
  it('names Redis as one server, a Sentinel master or a Cluster, never two of them', () => {
    assert.deepEqual(loadConfig({ REDIS_URL: 'redis://r:6380' }).redis, {
      kind: 'server',
      url: 'redis://r:6380',
      username: undefined,
      password: undefined,
    });
    const s = loadConfig({
      REDIS_SENTINELS: 's1:26379, s2:26380',
      REDIS_SENTINEL_NAME: 'cables',
      REDIS_PASSWORD: 'master-secret',
      REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
    }).redis;
    assert.ok(s?.kind === 'sentinel');
    assert.deepEqual(s.sentinels, [
      { host: 's1', port: 26379 },
      { host: 's2', port: 26380 },
    ]);
    assert.equal(s.name, 'cables');
    assert.equal(s.password?.reveal(), 'master-secret');
    assert.equal(s.sentinelPassword?.reveal(), 'sentinel-secret');
    assert.doesNotMatch(JSON.stringify(s) + inspect(s), /secret/);
    const c = loadConfig({ REDIS_CLUSTER_NODES: 'c1:7000,c2:7001' });
    assert.equal(c.redis?.kind, 'cluster');
    assert.throws(
      () => loadConfig({ REDIS_URL: 'redis://r', REDIS_SENTINELS: 's1:26379' }),
      /REDIS_SENTINELS: set together with REDIS_URL/,
    );
    assert.throws(() => loadConfig({ REDIS_SENTINELS: 's1' }), /REDIS_SENTINELS: must be host:port/);
  });
  it('under Redis Cluster, the queue prefix carries a hash tag (one slot per queue, blobs too)', () => {
    assert.equal(loadConfig({ REDIS_CLUSTER_NODES: 'c1:7000' }).queuePrefix, '{cable-ingest}');
    assert.equal(loadConfig({ REDIS_CLUSTER_NODES: 'c1:7000', QUEUE_PREFIX: 'ci:{a}' }).queuePrefix, 'ci:{a}');
    assert.throws(
      () => loadConfig({ REDIS_CLUSTER_NODES: 'c1:7000', QUEUE_PREFIX: 'mine' }),
      /QUEUE_PREFIX: must hold a hash tag such as \{mine\}/,
    );
    assert.equal(loadConfig({ QUEUE_PREFIX: 'mine' }).queuePrefix, 'mine');
  });
  it('replicas: auto unless a number is given', () => {
    assert.equal(loadConfig({}).elasticsearchReplicas, 'auto');
    assert.equal(loadConfig({ ELASTICSEARCH_REPLICAS: '2' }).elasticsearchReplicas, 2);
    assert.throws(() => loadConfig({ ELASTICSEARCH_REPLICAS: 'many' }), /ELASTICSEARCH_REPLICAS/);
  });
  it('refresh interval: 500ms unless an Elasticsearch time (or -1) is given', () => {
    assert.equal(loadConfig({}).elasticsearchRefreshInterval, '500ms');
    assert.equal(loadConfig({ ELASTICSEARCH_REFRESH_INTERVAL: '500ms' }).elasticsearchRefreshInterval, '500ms');
    assert.equal(loadConfig({ ELASTICSEARCH_REFRESH_INTERVAL: '-1' }).elasticsearchRefreshInterval, '-1');
    for (const bad of ['fast', '500', '0s', '1 s'])
      assert.throws(
        () => loadConfig({ ELASTICSEARCH_REFRESH_INTERVAL: bad }),
        /ELASTICSEARCH_REFRESH_INTERVAL: must be a time such as 500ms/,
      );
  });
  it('accepts OPS_PORT=0 (pick a free port)', () => {
    assert.equal(loadConfig({ OPS_PORT: '0' }).opsPort, 0);
  });
});

describe('Elasticsearch connection settings', () => {
  const SECRET = 's3cret-value-that-must-not-show';
  const base = { ELASTICSEARCH_URL: 'https://a.example:9200,https://b.example:9200' };

  it('an API key in either form, or a user and password, reaches the client; several nodes too', () => {
    const encoded = esClientOptions(loadConfig({ ...base, ELASTICSEARCH_API_KEY: SECRET }) as EsTarget);
    assert.deepEqual(encoded.auth, { apiKey: SECRET });
    assert.deepEqual(encoded.node, ['https://a.example:9200', 'https://b.example:9200']);
    const pair = esClientOptions(loadConfig({ ...base, ELASTICSEARCH_API_KEY: `myid:${SECRET}` }) as EsTarget);
    assert.deepEqual(pair.auth, { apiKey: { id: 'myid', api_key: SECRET } });
    const basic = esClientOptions(
      loadConfig({ ...base, ELASTICSEARCH_USERNAME: 'writer', ELASTICSEARCH_PASSWORD: SECRET }) as EsTarget,
    );
    assert.deepEqual(basic.auth, { username: 'writer', password: SECRET });
  });

  it('a secret may come from a file (_FILE), never from both', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'secret-')), 'key');
    writeFileSync(file, `${SECRET}\n`);
    const c = loadConfig({ ...base, ELASTICSEARCH_API_KEY_FILE: file });
    assert.deepEqual(esClientOptions(c as EsTarget).auth, { apiKey: SECRET });
    assert.throws(
      () => loadConfig({ ...base, ELASTICSEARCH_API_KEY_FILE: file, ELASTICSEARCH_API_KEY: 'x' }),
      /ELASTICSEARCH_API_KEY_FILE: set together with ELASTICSEARCH_API_KEY/,
    );
    assert.throws(() => loadConfig({ ...base, ELASTICSEARCH_PASSWORD_FILE: '/no/such/file' }), /cannot read/);
  });

  it('no secret shows in the configuration as JSON, as pino or console print it, or in an error', () => {
    const c = loadConfig({ ...base, ELASTICSEARCH_USERNAME: 'writer', ELASTICSEARCH_PASSWORD: SECRET });
    assert.ok(!JSON.stringify(c).includes(SECRET));
    assert.ok(!inspect(c, { depth: 10 }).includes(SECRET));
    assert.ok(!`${JSON.stringify({ config: c })}`.includes(SECRET));
    try {
      loadConfig({ ...base, ELASTICSEARCH_USERNAME: 'writer', ELASTICSEARCH_API_KEY: SECRET });
      assert.fail('a key and a user together are refused');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /ELASTICSEARCH_API_KEY: set together with a user and password/);
      assert.ok(!err.message.includes(SECRET));
    }
  });

  it('a Cloud ID gives the deployment URL; TLS settings reach the client, verification on by default', () => {
    const id = `my-deploy:${Buffer.from('europe-west1.gcp.cloud.es.io:443$abc123$def456').toString('base64')}`;
    const c = loadConfig({ ELASTICSEARCH_CLOUD_ID: id, ELASTICSEARCH_CA_FINGERPRINT: 'AB'.repeat(32) });
    assert.equal(c.elasticsearchUrl, 'https://abc123.europe-west1.gcp.cloud.es.io:443');
    const o = esClientOptions(c as EsTarget);
    assert.equal(o.caFingerprint, 'AB'.repeat(32));
    // The fingerprint pins the CA: that pin, not the machine's trust store, is the check.
    assert.deepEqual(o.tls, { rejectUnauthorized: false });
    assert.deepEqual(esClientOptions(loadConfig(base) as EsTarget).tls, { rejectUnauthorized: true });
    const off = loadConfig({ ...base, ELASTICSEARCH_TLS_VERIFY: 'false' });
    assert.deepEqual(esClientOptions(off as EsTarget).tls, { rejectUnauthorized: false });
    assert.throws(() => loadConfig({ ...base, ELASTICSEARCH_CLOUD_ID: id }), /set together with ELASTICSEARCH_URL/);
  });
});
