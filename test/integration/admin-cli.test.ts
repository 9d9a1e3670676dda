import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client } from '@elastic/elasticsearch';
import type { ServiceConfig } from '../../src/shared/config.js';
import { documentOf } from '../helpers/corpus.js';
import { sharedPath } from '../helpers/paths.js';
import { dropCableIndex, obliterateQueues, testConfig } from '../helpers/services.js';

const CLI = fileURLToPath(new URL('../../src/ops/cli.js', import.meta.url));

describe('operator commands: backfill, es setup, es reindex', () => {
  let config: ServiceConfig;
  let es: Client;
  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args], {
      env: { ...process.env, REDIS_URL: config.redisUrl, ELASTICSEARCH_URL: config.elasticsearchUrl, QUEUE_PREFIX: config.queuePrefix, ELASTICSEARCH_INDEX: config.indexAlias },
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };

  before(async () => {
    config = await testConfig();
    es = new Client({ node: config.elasticsearchUrl });
  });
  after(async () => {
    try {
      await obliterateQueues(config);
      await dropCableIndex(es, config.indexAlias);
    } finally {
      await es.close();
    }
  });

  it('backfill enqueues a folder once (hidden files skipped), a second run enqueues nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'backfill-'));
    const files = readdirSync(sharedPath('corpus', 'dev')).filter((n) => n.endsWith('.txt')).slice(0, 10);
    for (const f of files) copyFileSync(sharedPath('corpus', 'dev', f), join(dir, f));
    writeFileSync(join(dir, '.hidden.txt'), 'x');
    assert.deepEqual({ ...JSON.parse(cli('backfill', dir, '--no-progress')), seconds: 0 }, { files: 10, enqueued: 10, alreadyQueued: 0, unreadable: 0, seconds: 0 });
    assert.deepEqual({ ...JSON.parse(cli('backfill', dir, '--no-progress')), seconds: 0 }, { files: 10, enqueued: 0, alreadyQueued: 10, unreadable: 0, seconds: 0 });
  });

  it('es setup creates the versioned index and the failures index; es reindex moves the alias to v2 with every document', async () => {
    assert.match(cli('es', 'setup'), new RegExp(`${config.indexAlias} -> ${config.indexAlias}-v1`));
    assert.match(cli('es', 'setup'), new RegExp(`${config.indexAlias} -> ${config.indexAlias}-v1`), 'idempotent');
    assert.equal(await es.indices.exists({ index: `${config.indexAlias}-failures-v1` }), true);
    const docs = readdirSync(sharedPath('corpus', 'dev')).filter((n) => n.endsWith('.txt')).slice(0, 30).map((n) => documentOf(readFileSync(sharedPath('corpus', 'dev', n), 'utf8')));
    const operations = docs.flatMap((d) => (d.ok ? [{ index: { _index: config.indexAlias, _id: d.doc.cable_id } }, d.doc] : []));
    await es.bulk({ operations, refresh: true });
    const before = (await es.count({ index: config.indexAlias })).count;
    const r = JSON.parse(cli('es', 'reindex').split('\n')[0]!) as { from: string; to: string; documents: number };
    assert.deepEqual(r, { from: `${config.indexAlias}-v1`, to: `${config.indexAlias}-v2`, documents: before });
    assert.deepEqual(Object.keys(await es.indices.getAlias({ name: config.indexAlias })), [`${config.indexAlias}-v2`]);
    assert.equal((await es.count({ index: config.indexAlias })).count, before);
  });
});
