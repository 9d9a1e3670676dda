import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/shared/config.js';
import { ConfigError } from '../../src/shared/errors.js';

describe('configuration', () => {
  it('has defaults for everything', () => {
    const c = loadConfig({});
    assert.equal(c.indexAlias, 'cables');
    assert.equal(c.redisUrl, undefined);
    assert.equal(c.elasticsearchUrl, undefined);
    assert.equal(c.watchPolling, false);
    assert.match(c.inboxDir, /inbox$/);
    assert.ok(Object.isFrozen(c));
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
  it('accepts OPS_PORT=0 (pick a free port)', () => {
    assert.equal(loadConfig({ OPS_PORT: '0' }).opsPort, 0);
  });
});
