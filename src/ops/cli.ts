#!/usr/bin/env node
import { once } from 'node:events';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { ConfigError } from '#shared/errors.js';
import { loadConfig, type Config } from '#shared/config.js';
import { createLogger } from '#shared/logger.js';
import { KIBANA_DIR, packageVersion } from '#shared/paths.js';
import { describeImport, importIntoKibana } from './kibana/import.js';
import { loadReferenceData } from '#shared/reference/load.js';
import { contentHash, readFileBytes } from '#shared/file-bytes.js';
import { documentFromBytes } from '../workers/pipeline.js';
import { registerAdminCommands } from './admin-cli.js';
import { registerDlqCommands } from './dlq-cli.js';
import { runRoles, stopOnSignals, type Role } from '../app/run.js';
import { describeStack, stackDown, stackUp, stackUpSecured } from '../../tools/stack/index.js';
import { elasticsearchHealth } from '../../tools/stack/elasticsearch.js';
import { redisAnswers } from '#shared/redis.js';
import { serviceAddresses, shownRedis } from '#shared/connections.js';

function config(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`cable-ingest: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

async function startRoles(roles: Role[]): Promise<void> {
  const cfg = config();
  const log = createLogger(cfg);
  // Where the services are; nothing is started or installed here (that is `stack up`, which
  // `npm start` runs first).
  const running = await runRoles(serviceAddresses(cfg), roles, log);
  stopOnSignals(running, log);
}

function listFiles(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) {
      out.push(p);
      return;
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) walk(join(p, name));
    } else out.push(p);
  };
  for (const p of paths) walk(resolve(p));
  return out;
}

const program = new Command('cable-ingest')
  .description('Watch a folder for diplomatic cable files; parse, enrich and index them into Elasticsearch.')
  .version(packageVersion());

program
  .command('run', { isDefault: true })
  .description('watcher, workers and ops server in one process')
  .action(() => startRoles(['worker', 'watcher']));
program
  .command('watch')
  .description('the watcher alone: enqueue files dropped into INBOX_DIR')
  .action(() => startRoles(['watcher']));
program
  .command('work')
  .description('workers alone: read, parse, enrich and index queued cables')
  .action(() => startRoles(['worker']));

program
  .command('parse')
  .description('print the document each file would become, one JSON line per file (nothing is indexed)')
  .argument('<paths...>', 'files or folders')
  .action(async (paths: string[]) => {
    const cfg = config();
    const ref = loadReferenceData();
    // A reader that stops early (`| head`) closes the pipe: that ends the listing, not in a stack trace.
    let readerGone = false;
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      readerGone = true;
    });
    for (const path of listFiles(paths)) {
      if (readerGone) break;
      let line: string;
      try {
        const bytes = await readFileBytes(path, cfg.maxFileBytes);
        const file = {
          path,
          sha256: contentHash(bytes.ok ? bytes.value : Buffer.alloc(0)),
          size: bytes.ok ? bytes.value.length : 0,
          detectedAt: new Date().toISOString(),
        };
        const r = bytes.ok ? documentFromBytes(file, bytes.value, ref, cfg.maxFileBytes) : bytes;
        line = r.ok
          ? JSON.stringify(r.value)
          : JSON.stringify({
              source_path: path,
              error: {
                reason: r.failure.code,
                stage: r.failure.stage,
                message: r.failure.message,
                issues: r.failure.issues ?? [],
              },
            });
      } catch (err) {
        line = JSON.stringify({
          source_path: path,
          error: { reason: 'internal_error', message: (err as Error).message },
        });
      }
      // Wait for a slow reader rather than buffer a whole corpus of documents in memory.
      if (!process.stdout.write(`${line}\n`)) await once(process.stdout, 'drain').catch(() => undefined);
    }
  });

registerDlqCommands(program);
registerAdminCommands(program);

program
  .command('kibana')
  .description("Kibana's saved objects (data views, searches, visualizations, dashboard, map)")
  .command('import')
  .option('--url <url>', 'Kibana base URL (default: KIBANA_URL, else http://127.0.0.1:5601)')
  .option('--file <path>', 'saved objects NDJSON', join(KIBANA_DIR, 'cable-ingest.ndjson'))
  .action(async (opts: { url?: string; file: string }) => {
    const c = config();
    const r = await importIntoKibana(
      {
        url: opts.url ?? c.kibanaUrl,
        auth: c.elasticsearchAuth,
        caCert: c.kibanaCaCert,
        verify: c.elasticsearchTls.verify,
      },
      opts.file,
    );
    process.stdout.write(describeImport(r));
    if (!r.success) process.exitCode = 1;
  });

const stack = program.command('stack').description('the local Redis and Elasticsearch (no Docker needed)');
stack
  .command('up')
  .option('--quiet', 'print only on failure')
  .option('--secured', 'Elasticsearch with security on (HTTPS, a least-privilege user): prints the settings to use')
  .action(async (opts: { quiet?: boolean; secured?: boolean }) => {
    const started = Date.now();
    if (opts.secured) {
      const s = await stackUpSecured(config());
      process.stdout.write(
        `redis          ${s.redis.url}  (${s.redis.source})\n` +
          `elasticsearch  secured; settings (also in ${s.settingsFile}):\n\n${s.settings}\n` +
          `ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
      return;
    }
    const s = await stackUp(config());
    if (!opts.quiet)
      process.stdout.write(`${describeStack(s)}\nready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  });
stack.command('down').action(async () => {
  for (const line of await stackDown(config())) process.stdout.write(`${line}\n`);
});
stack.command('status').action(async () => {
  const cfg = config();
  const urls = serviceAddresses(cfg);
  const es = await elasticsearchHealth(urls.elasticsearchUrl);
  process.stdout.write(`elasticsearch  ${urls.elasticsearchUrl}  ${es ?? 'not answering'}\n`);
  process.stdout.write(
    `redis          ${shownRedis(urls.redis)}  ${(await redisAnswers(urls.redis)) ? 'up' : 'not answering'}\n`,
  );
  process.stdout.write(`cache folder   ${cfg.stackHome}\n`);
});

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`cable-ingest: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
