import type { Command } from 'commander';
import type { Queue } from 'bullmq';
import type { ServiceConfig } from '#shared/config.js';
import {
  getDeadLetter,
  listDeadLetters,
  purgeDeadLetter,
  replayDeadLetter,
  type DeadLetterRecord,
} from '#shared/dead-letter.js';
import { Spool } from '../intake/spool.js';
import { opsServices } from '../app/services.js';

/** `cable-ingest dlq ...`: inspect, replay and purge dead-lettered cables. Needs Redis, and the spool to replay. */
async function withQueues<T>(fn: (q: { dlq: Queue; cables: Queue; config: ServiceConfig }) => Promise<T>): Promise<T> {
  const s = opsServices();
  try {
    return await fn({ dlq: s.dlq, cables: s.cables, config: s.config });
  } finally {
    await s.close();
  }
}

function row(r: DeadLetterRecord): string {
  const e = r.entry;
  return [
    r.id.slice(0, 12),
    e.code.padEnd(20),
    e.stage.padEnd(8),
    String(e.attempts).padStart(3),
    e.deadLetteredAt,
    e.job.path,
  ].join('  ');
}

async function selected(
  dlq: Queue,
  id: string | undefined,
  opts: { reason?: string; all?: boolean },
): Promise<string[]> {
  if (id) {
    // A unique prefix of the id is enough, as `dlq list` prints 12 characters.
    if (id.length >= 64) return [id];
    const matches = (await listDeadLetters(dlq)).filter((r) => r.id.startsWith(id));
    if (matches.length > 1) throw new Error(`${id} matches ${matches.length} entries; give more of the id`);
    return matches.map((r) => r.id);
  }
  if (opts.reason) return (await listDeadLetters(dlq, { reason: opts.reason })).map((r) => r.id);
  if (opts.all) return (await listDeadLetters(dlq)).map((r) => r.id);
  throw new Error('say which: an ID, --reason R or --all');
}

export function registerDlqCommands(program: Command): void {
  const dlq = program.command('dlq').description('the dead-letter queue: every cable that failed, with its reason');
  dlq
    .command('list')
    .option('--json', 'print JSON')
    .option('--reason <code>', 'only entries with this reason code')
    .action(async (opts: { json?: boolean; reason?: string }) => {
      const records = await withQueues(({ dlq: q }) => listDeadLetters(q, opts.reason ? { reason: opts.reason } : {}));
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify(
            records.map((r) => ({ id: r.id, ...r.entry })),
            null,
            2,
          )}\n`,
        );
        return;
      }
      process.stdout.write(
        `${['id'.padEnd(12), 'reason'.padEnd(20), 'stage'.padEnd(8), 'try', 'dead-lettered at'.padEnd(24), 'file'].join('  ')}\n`,
      );
      for (const r of records) process.stdout.write(`${row(r)}\n`);
      process.stdout.write(`${records.length} entr${records.length === 1 ? 'y' : 'ies'}\n`);
    });
  dlq
    .command('show')
    .argument('<id>', 'entry id (or a unique prefix)')
    .action(async (id: string) => {
      await withQueues(async ({ dlq: q }) => {
        const [full] = await selected(q, id, {});
        const r = full ? await getDeadLetter(q, full) : null;
        if (!r) throw new Error(`no dead-letter entry ${id}`);
        process.stdout.write(`${JSON.stringify({ id: r.id, ...r.entry }, null, 2)}\n`);
      });
    });
  dlq
    .command('retry')
    .description(
      "put the originals back into the inbox from the spool's failed area (after fixing the cause); replaying twice is harmless",
    )
    .argument('[id]', 'entry id (or a unique prefix)')
    .option('--reason <code>', 'every entry with this reason')
    .option('--all', 'every entry')
    .action(async (id: string | undefined, opts: { reason?: string; all?: boolean }) => {
      await withQueues(async ({ dlq: q, config }) => {
        const spool = await Spool.open(config.spoolDir, config.inboxDir);
        const counts: Record<string, number> = {};
        for (const one of await selected(q, id, opts)) {
          const outcome = await replayDeadLetter(q, one, spool);
          counts[outcome] = (counts[outcome] ?? 0) + 1;
        }
        process.stdout.write(`${JSON.stringify(counts)}\n`);
      });
    });
  dlq
    .command('purge')
    .description('delete entries for good')
    .argument('[id]', 'entry id (or a unique prefix)')
    .option('--reason <code>', 'every entry with this reason')
    .option('--all', 'every entry')
    .action(async (id: string | undefined, opts: { reason?: string; all?: boolean }) => {
      await withQueues(async ({ dlq: q }) => {
        let n = 0;
        for (const one of await selected(q, id, opts)) if (await purgeDeadLetter(q, one)) n++;
        process.stdout.write(`purged ${n}\n`);
      });
    });
}
