import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client } from '@elastic/elasticsearch';
import type { ServiceConfig } from '../../src/shared/config.js';
import { createLogger } from '../../src/shared/logger.js';
import { runRoles, type Running } from '../../src/app/run.js';
import { SEEDS_DIR } from '../helpers/paths.js';
import { cliEnv, eventually, stopAndClean, testConfig } from '../helpers/services.js';

const CLI = fileURLToPath(new URL('../../src/ops/cli.js', import.meta.url));

/**
 * Issue #12: workers need only Redis and Elasticsearch. The worker runs in a mount namespace of its
 * own (`unshare -m`) with a tmpfs laid over the folder that holds the inbox and the spool, so
 * neither exists for it, as on another machine or in a container without the volume. The watcher
 * runs here; cables dropped into the inbox are indexed all the same.
 */
describe('a worker that cannot see the inbox or the spool', () => {
  let config: ServiceConfig;
  let watcher: Running;
  let worker: ChildProcess;
  let es: Client;
  let stderr = '';
  const parent = mkdtempSync(join(tmpdir(), 'cable-elsewhere-'));

  before(async () => {
    assert.equal(process.getuid?.(), 0, 'a mount namespace needs root (CI runs as root)');
    config = await testConfig({ INBOX_DIR: join(parent, 'inbox'), SPOOL_DIR: join(parent, 'spool') });
    mkdirSync(config.inboxDir, { recursive: true });
    es = new Client({ node: config.elasticsearchUrl });
    watcher = await runRoles(config, ['watcher'], createLogger(config));
    // The worker's view: a fresh tmpfs over the parent; it checks the inbox and spool are gone, then runs.
    const script = `mount -t tmpfs none "$1" && ! test -e "$INBOX_DIR" && ! test -e "$SPOOL_DIR" && exec "$2" "$3" work`;
    worker = spawn(
      'unshare',
      ['-m', '--propagation', 'private', 'sh', '-c', script, 'sh', parent, process.execPath, CLI],
      {
        env: cliEnv(config, { SPOOL_DIR: config.spoolDir }),
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    worker.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    await eventually(
      'the isolated worker to start',
      async () => {
        if (worker.exitCode !== null) throw new Error(`the worker exited ${worker.exitCode}: ${stderr}`);
        return stderr.includes('running; inbox');
      },
      60_000,
    );
  });
  after(async () => {
    worker.kill('SIGTERM');
    if (worker.exitCode === null) await new Promise((r) => worker.once('exit', r));
    await stopAndClean(watcher, config, es);
  });

  it('indexes the cables dropped into the inbox it cannot see, and the watcher finishes their files', async () => {
    for (const seed of readdirSync(SEEDS_DIR)) copyFileSync(join(SEEDS_DIR, seed), join(config.inboxDir, seed));
    for (const id of ['07MOSCOW584', '07ULAANBAATAR693']) {
      await eventually(
        `${id} indexed`,
        async () => (await es.exists({ index: config.indexAlias, id })) || null,
        30_000,
      );
    }
    const day = new Date().toISOString().slice(0, 10);
    await eventually(
      'both originals kept under done/',
      async () => readdirSync(join(config.spoolDir, 'done', day)).length === 2 || null,
      15_000,
    );
    assert.equal(existsSync(join(config.inboxDir, readdirSync(SEEDS_DIR)[0]!)), false);
    assert.doesNotMatch(stderr, /file_vanished/);
  });
});
