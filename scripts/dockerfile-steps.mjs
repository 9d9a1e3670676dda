#!/usr/bin/env node
/**
 * The Dockerfile's build, without Docker: its stages' COPY, WORKDIR, ENV and RUN steps performed
 * in a clean temporary copy of the build context (the files git tracks, less .dockerignore), then
 * the final stage's app run on the seeds instead of its CMD. A step that would break
 * `docker build` (a lock file `npm ci` refuses, a compile error, a runtime dependency pruned away)
 * fails here, and so in CI. Prints what it does; exits non-zero on the first failure.
 *   node scripts/dockerfile-steps.mjs [--keep]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const keep = process.argv.includes('--keep');
const work = mkdtempSync(join(tmpdir(), 'dockerfile-steps-'));
const say = (line) => process.stdout.write(`${line}\n`);

/** The build context: what git tracks (a clean clone's files), without what .dockerignore names. */
function contextFiles() {
  const ignored = existsSync(join(root, '.dockerignore'))
    ? readFileSync(join(root, '.dockerignore'), 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#'))
    : [];
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  return tracked.filter((f) => !ignored.some((i) => f === i || f.startsWith(`${i.replace(/\/$/, '')}/`)));
}

/** Dockerfile instructions by stage (continuation lines joined, comments dropped). */
function stages() {
  const text = readFileSync(join(root, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
  const out = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [, op, rest] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    if (op === 'FROM') out.push({ from: rest, name: / AS (\w+)$/i.exec(rest)?.[1] ?? null, steps: [] });
    else out.at(-1).steps.push({ op, rest });
  }
  return out;
}

const files = contextFiles();
const context = join(work, 'context');
for (const f of files) {
  mkdirSync(dirname(join(context, f)), { recursive: true });
  cpSync(join(root, f), join(context, f));
}
say(`context: ${files.length} files in ${context}`);

const stageDirs = new Map();
let app = null;
let cmd = null;
for (const stage of stages()) {
  const dir = join(work, `stage-${stage.name ?? 'final'}`);
  mkdirSync(dir, { recursive: true });
  if (stage.name) stageDirs.set(stage.name, dir);
  let cwd = dir;
  const env = { ...process.env };
  say(`FROM ${stage.from} (${dir})`);
  for (const { op, rest } of stage.steps) {
    if (op === 'WORKDIR') {
      cwd = rest.startsWith('/') ? join(dir, rest) : join(cwd, rest);
      mkdirSync(cwd, { recursive: true });
    } else if (op === 'COPY') {
      // Docker's rules: several sources, or a destination ending in `/`, go into it as a folder
      // (a folder's contents, a file by its name); one source otherwise becomes the destination.
      const from = /^--from=(\w+)\s+/.exec(rest);
      const parts = rest.replace(/^--\S+\s+/, '').split(/\s+/);
      const dest = parts.pop();
      const intoFolder = dest.endsWith('/') || parts.length > 1;
      const destPath = dest.startsWith('/') ? join(dir, dest) : join(cwd, dest);
      for (const src of parts) {
        // From another stage: an absolute path in its image, here under its folder.
        const source = from ? join(stageDirs.get(from[1]), src) : join(context, src);
        const target = intoFolder && !statSync(source).isDirectory() ? join(destPath, basename(src)) : destPath;
        cpSync(source, target, { recursive: true });
      }
    } else if (op === 'ENV') {
      for (const m of rest.matchAll(/(\w+)=(\S+)/g)) env[m[1]] = m[2];
    } else if (op === 'RUN') {
      say(`RUN ${rest}`);
      const r = spawnSync('sh', ['-c', rest], { cwd, env, stdio: 'inherit' });
      if (r.status !== 0) {
        say(`dockerfile-steps: RUN failed (exit ${r.status}): ${rest}`);
        process.exit(1);
      }
    } else if (op === 'CMD') {
      cmd = JSON.parse(rest);
    }
  }
  app = { cwd, env };
}

// The final image's app, run on the seeds instead of its CMD (same node binary, node flags and
// entry point: a flag this Node refuses fails here).
const entry = cmd.find((a) => a.endsWith('.js'));
const nodeFlags = cmd.slice(1, cmd.indexOf(entry));
const seeds = join(root, 'seeds');
say(`run: node ${[...nodeFlags, entry].join(' ')} parse seeds/ (in ${app.cwd}, NODE_ENV=${app.env.NODE_ENV ?? ''})`);
// Dev-only tools must be gone (typescript may stay: a runtime dependency, valibot, names it as a peer).
for (const dev of ['eslint', 'prettier', 'fast-check']) {
  if (existsSync(join(app.cwd, 'node_modules', dev))) {
    say(`dockerfile-steps: the final image holds the dev dependency ${dev}: npm prune --omit=dev did not run`);
    process.exit(1);
  }
}
const r = spawnSync(process.execPath, [...nodeFlags, entry, 'parse', seeds], {
  cwd: app.cwd,
  env: { ...app.env, LOG_FORMAT: 'json' },
  encoding: 'utf8',
});
const docs = r.stdout
  .trim()
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l));
const read = docs.filter((d) => d.cable_id && !d.error).map((d) => d.cable_id);
say(`parsed: ${read.join(', ') || 'nothing'}`);
if (!keep) rmSync(work, { recursive: true, force: true });
if (r.status !== 0 || read.length !== 2) {
  say(`dockerfile-steps: the built app did not parse both seeds (exit ${r.status})\n${r.stderr}`);
  process.exit(1);
}
say('dockerfile-steps: ok');
