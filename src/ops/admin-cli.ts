import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createLogger } from '#shared/logger.js';
import { ensureFailuresIndex, failuresAlias } from '#shared/elasticsearch/failures-index.js';
import { ensureCableIndex } from '#shared/elasticsearch/index-template.js';
import { reindexToNextVersion } from '#shared/elasticsearch/reindex.js';
import { writerRole } from '#shared/elasticsearch/privileges.js';
import { loadConfig } from '#shared/config.js';
import { backfill } from './backfill.js';
import { reprocess, type ReprocessSelection } from './reprocess.js';
import { opsServices } from '../app/services.js';
import { formatStatus, pipelineStatus } from './status.js';
import { cableView, formatCableView, typedCableId } from './show.js';
import { serviceAddresses } from '#shared/connections.js';
import { createEsClient } from '#shared/elasticsearch/client.js';
import { loadReferenceData } from '#shared/reference/load.js';

/** `status`, `backfill`, `es setup|reindex`: operator commands that read or feed the queues. */
export function registerAdminCommands(program: Command): void {
  program
    .command('show')
    .description("a cable's header facts, subject, references (found or not) and the cables that cite it")
    .argument('<id>', 'a cable id as typed: 07MOSCOW584, "07 MOSCOW 584", 07moscow000584')
    .option('--json', 'print JSON')
    .action(async (typed: string, opts: { json?: boolean }) => {
      const id = typedCableId(typed, loadReferenceData().stations);
      if (!id) {
        process.stderr.write(`cable-ingest: "${typed}" is not a cable id (year, station, serial: 07MOSCOW584)\n`);
        process.exitCode = 2;
        return;
      }
      const config = serviceAddresses(loadConfig());
      const es = createEsClient(config);
      try {
        const view = await cableView(es, config.indexAlias, id);
        if (!view) {
          process.stderr.write(`cable-ingest: ${id} is not in the index ${config.indexAlias}\n`);
          process.exitCode = 1;
          return;
        }
        process.stdout.write(opts.json ? `${JSON.stringify(view, null, 2)}\n` : formatCableView(view));
      } finally {
        await es.close();
      }
    });

  program
    .command('status')
    .description('queue counts, throughput, oldest waiting job, dead-letter reasons, documents indexed')
    .option('--json', 'print JSON')
    .option('--watch [seconds]', 'refresh every N seconds (default 2)')
    .action(async (opts: { json?: boolean; watch?: string | boolean }) => {
      const s = opsServices();
      try {
        for (;;) {
          const status = await pipelineStatus(s.cables, s.dlq, s.es, s.config.indexAlias);
          const out = opts.json ? JSON.stringify(status, null, 2) : formatStatus(status);
          if (opts.watch) process.stdout.write('\x1b[2J\x1b[H');
          process.stdout.write(`${out}\n`);
          if (!opts.watch) break;
          await new Promise((r) =>
            setTimeout(r, 1000 * (typeof opts.watch === 'string' ? Number(opts.watch) || 2 : 2)),
          );
        }
      } finally {
        await s.close();
      }
    });

  program
    .command('backfill')
    .description(
      "ingest every file of a folder through the intake (copied into the spool; the folder is left as it is) and wait for each one's fate",
    )
    .argument('<dir>')
    .option('--move', 'move the files instead of copying them (same file system as SPOOL_DIR)')
    .option('--no-progress', 'no progress bar')
    .action(async (dir: string, opts: { progress: boolean; move?: boolean }) => {
      const s = opsServices();
      try {
        const log = createLogger(s.config);
        const summary = await backfill(s, log, resolve(dir), {
          progress: opts.progress && process.stderr.isTTY === true,
          move: opts.move === true,
        });
        process.stdout.write(`${JSON.stringify(summary)}\n`);
      } finally {
        await s.close();
      }
    });

  program
    .command('reprocess')
    .description(
      'read the kept originals of indexed cables again through the queue (a newer parser or reference tables) and index them again; waits for every file and prints a summary',
    )
    .option('--all', 'every document')
    .option('--parser-older-than <version>', 'documents with a version read by a parser older than this')
    .option('--id <ids...>', 'these documents (cable ids or document ids)')
    .option(
      '--dead-letters',
      'also put back into the inbox the files an older parser dead-lettered (parse and validate stages)',
    )
    .option('--no-progress', 'no progress bar')
    .action(
      async (opts: {
        all?: boolean;
        parserOlderThan?: string;
        id?: string[];
        deadLetters?: boolean;
        progress: boolean;
      }) => {
        const chosen = [opts.all, opts.parserOlderThan, opts.id].filter((o) => o !== undefined).length;
        if (chosen !== 1) throw new Error('say which: --all, --parser-older-than V or --id ID...');
        const selection: ReprocessSelection = opts.all
          ? { all: true }
          : opts.parserOlderThan
            ? { parserOlderThan: opts.parserOlderThan }
            : { ids: opts.id! };
        const s = opsServices();
        try {
          const summary = await reprocess(s, createLogger(s.config), selection, {
            progress: opts.progress && process.stderr.isTTY === true,
            deadLetters: opts.deadLetters === true,
          });
          process.stdout.write(`${JSON.stringify(summary)}\n`);
          if (summary.deadLettered > 0 || summary.missing > 0) process.exitCode = 1;
        } finally {
          await s.close();
        }
      },
    );

  const es = program
    .command('es')
    .description('the Elasticsearch side: index template, versioned indices, failures index');
  es.command('role')
    .description('print the least-privilege role descriptor for ELASTICSEARCH_INDEX (for an API key or a role)')
    .action(() => {
      const alias = loadConfig().indexAlias;
      process.stdout.write(`${JSON.stringify({ [`cable_ingest_${alias}`]: writerRole(alias) }, null, 2)}\n`);
    });
  es.command('setup')
    .description('put the index templates and create the versioned indices behind the aliases (idempotent)')
    .action(async () => {
      const s = opsServices();
      try {
        const index = await ensureCableIndex(s.es, s.config.indexAlias, {
          replicas: s.config.elasticsearchReplicas,
          englishStemming: s.config.englishStemming,
          refreshInterval: s.config.elasticsearchRefreshInterval,
          warn: (m) => process.stderr.write(`cable-ingest: ${m}\n`),
        });
        await ensureFailuresIndex(s.es, s.config.indexAlias, s.config.elasticsearchReplicas);
        process.stdout.write(`${s.config.indexAlias} -> ${index}\n${failuresAlias(s.config.indexAlias)} ready\n`);
      } finally {
        await s.close();
      }
    });
  es.command('reindex')
    .description(
      'after a mapping change: copy the documents into <alias>-v<N+1> and move the alias (the queue is paused meanwhile)',
    )
    .action(async () => {
      const s = opsServices();
      try {
        await ensureCableIndex(s.es, s.config.indexAlias, {
          replicas: s.config.elasticsearchReplicas,
          englishStemming: s.config.englishStemming,
          refreshInterval: s.config.elasticsearchRefreshInterval,
          warn: (m) => process.stderr.write(`cable-ingest: ${m}\n`),
        }); // the new template first
        await s.cables.pause();
        try {
          const r = await reindexToNextVersion(s.es, s.config.indexAlias);
          process.stdout.write(`${JSON.stringify(r)}\nthe old index ${r.from} is kept; delete it when satisfied\n`);
        } finally {
          await s.cables.resume();
        }
      } finally {
        await s.close();
      }
    });
}
