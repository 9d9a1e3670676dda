import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { findJdks, type Jdk } from './jdk.js';
import { commandExists, isRoot, pidAlive, portOpen, run, waitFor } from './process.js';
import type { ServiceStatus } from './redis.js';

/**
 * The local Elasticsearch node: Elastic's minimal distribution, published on Maven Central as the
 * artifact below, for 8.x and 9.x (9.1.0 and 9.2.0 among them). LOCAL_ELASTICSEARCH_VERSION picks
 * it (default 8.19.21, what the project runs) and LOCAL_ELASTICSEARCH_PORT its HTTP port (default
 * 9200; transport on the port + 100). 8.x runs on a JDK from 17, 9.x from 21; the newest local JDK is
 * used. The client is the 8.x major, which asks for REST compatibility with 8: a 9.x node serves it.
 */
export const ES_DEFAULT_VERSION = '8.19.21';
export const esArtifact = (version: string): string =>
  `org.elasticsearch.distribution.integ-test-zip:elasticsearch:${version}:zip`;
export const esMinJava = (version: string): number => (majorOf(version) >= 9 ? 21 : 17);
export const LOCAL_ES = { host: '127.0.0.1', port: 9200 };

export interface LocalEs {
  version: string;
  port: number;
}

function majorOf(version: string): number {
  return Number.parseInt(version, 10);
}

/** Where a local node keeps its data, logs and pid: one folder per major (an 8.x node cannot open 9.x data). */
function nodeHome(home: string, version: string): string {
  return join(home, majorOf(version) === 8 ? 'elasticsearch' : `elasticsearch-${majorOf(version)}`);
}
/** Elasticsearch refuses to run as root: as root, the node runs as this system user. */
export const ES_USER = 'cable-ingest';

async function health(url: string): Promise<string | null> {
  try {
    const res = await fetch(`${url}/_cluster/health`, { signal: AbortSignal.timeout(3_000) });
    if (!res.ok) return null;
    const body = (await res.json()) as { status?: string };
    return body.status ?? null;
  } catch {
    return null;
  }
}

async function healthy(url: string): Promise<boolean> {
  const s = await health(url);
  return s === 'green' || s === 'yellow';
}

export function pickJdk(minJava: number): Jdk {
  const jdks = findJdks().filter((j) => j.major >= minJava);
  const jdk = jdks[0];
  if (!jdk) {
    throw new Error(
      `no JDK ${minJava}+ found under /usr/lib/jvm or JAVA_HOME: install one (apt-get install -y openjdk-${minJava}-jre-headless), or set ELASTICSEARCH_URL`,
    );
  }
  return jdk;
}

/** Fetch and unpack the distribution into the cache folder (once; later clones reuse it). */
export function installElasticsearch(home: string, version: string): string {
  const installDir = join(home, `elasticsearch-${version}`);
  if (!existsSync(join(installDir, 'bin', 'elasticsearch'))) unpackElasticsearch(home, version, installDir);
  placeEnglishDictionary(installDir);
  return installDir;
}

/** Debian's en_US dictionary (package hunspell-en-us), as Hunspell and Elasticsearch read it. */
const DEBIAN_HUNSPELL = '/usr/share/hunspell';

/**
 * The minimal distribution lacks analysis-common (no `english` analyzer), but core's `hunspell`
 * token filter stems English with a dictionary in `config/hunspell/en_US/`: put Debian's there
 * (installing the package when root and it is missing). Every node started from this config
 * folder, or a copy of it, can then stem. Without it, indices fall back to no stemming, with a
 * warning (src/shared/elasticsearch/english.ts).
 */
export function placeEnglishDictionary(installDir: string): boolean {
  const target = join(installDir, 'config', 'hunspell', 'en_US');
  if (existsSync(join(target, 'en_US.dic'))) return true;
  const aff = join(DEBIAN_HUNSPELL, 'en_US.aff');
  if (!existsSync(aff) && isRoot() && commandExists('apt-get')) {
    const install = spawnSync('apt-get', ['install', '-y', '-qq', 'hunspell-en-us'], {
      stdio: 'ignore',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (install.status !== 0) {
      run('apt-get', ['update', '-qq']);
      run('apt-get', ['install', '-y', '-qq', 'hunspell-en-us'], {
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    }
  }
  if (!existsSync(aff)) return false;
  mkdirSync(target, { recursive: true });
  for (const f of ['en_US.aff', 'en_US.dic']) copyFileSync(join(DEBIAN_HUNSPELL, f), join(target, f));
  return true;
}

/** Whether the node at `url` stems English with core's hunspell filter (the dictionary is loaded at its start). */
async function stemsEnglish(url: string): Promise<boolean> {
  const res = await fetch(`${url}/_analyze`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      tokenizer: 'standard',
      filter: ['lowercase', { type: 'hunspell', locale: 'en_US' }],
      text: 'sanctions',
    }),
    signal: AbortSignal.timeout(5_000),
  }).catch(() => null);
  if (!res?.ok) return false;
  return (
    ((await res.json()) as { tokens?: Array<{ token: string }> }).tokens?.some((t) => t.token === 'sanction') ?? false
  );
}

function unpackElasticsearch(home: string, version: string, installDir: string): void {
  const downloads = join(home, 'downloads');
  mkdirSync(downloads, { recursive: true });
  const zip = join(downloads, `elasticsearch-${version}.zip`);
  if (!existsSync(zip)) {
    if (!commandExists('mvn'))
      throw new Error(
        'Maven (mvn) is needed to fetch Elasticsearch: apt-get install -y maven, or set ELASTICSEARCH_URL',
      );
    run('mvn', [
      '-q',
      '-B',
      'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy',
      `-Dartifact=${esArtifact(version)}`,
      `-DoutputDirectory=${downloads}`,
    ]);
  }
  const tmp = join(home, `.unpack-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  if (commandExists('unzip')) run('unzip', ['-q', zip, '-d', tmp]);
  else run('jar', ['xf', zip], { cwd: tmp });
  const top = readdirSync(tmp).find((d) => d.startsWith('elasticsearch'));
  if (!top) throw new Error(`${zip} did not unpack to an elasticsearch folder`);
  rmSync(installDir, { recursive: true, force: true });
  run('mv', [join(tmp, top), installDir]);
  rmSync(tmp, { recursive: true, force: true });
  for (const f of readdirSync(join(installDir, 'bin'))) chmodSync(join(installDir, 'bin', f), 0o755);
}

function ensureUser(): void {
  if (spawnSync('id', ['-u', ES_USER], { stdio: 'ignore' }).status === 0) return;
  run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', ES_USER]);
}

/**
 * Start one node of the distribution in the background (`-d`), as the system user when root (it
 * refuses root), with its own config folder, pid file and settings: the local node, and the test
 * nodes (a secured node, a cluster's nodes) alike. `-d` returns once the node has started (ten
 * seconds and more): awaited as a child process, so the caller's event loop (a test's pipeline,
 * its status probes) runs meanwhile.
 */
export async function startNode(o: {
  installDir: string;
  jdk: Jdk;
  /** Its working folder; the pid file is `es.pid` there. */
  dir: string;
  confDir: string;
  heap: string;
  /** Folders the node's user must own. */
  chown: string[];
  /** `-E` settings, as `name=value`. */
  settings: string[];
}): Promise<string> {
  const pidFile = join(o.dir, 'es.pid');
  const args = [join(o.installDir, 'bin', 'elasticsearch'), '-d', '-p', pidFile, ...o.settings.map((x) => `-E${x}`)];
  const opts = `-Xms${o.heap} -Xmx${o.heap}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ES_JAVA_HOME: o.jdk.home,
    ES_JAVA_OPTS: opts,
    ES_PATH_CONF: o.confDir,
  };
  delete env['JAVA_HOME'];
  let file = args[0]!;
  let argv = args.slice(1);
  if (isRoot()) {
    ensureUser();
    run('chown', ['-R', `${ES_USER}:`, ...o.chown]);
    const vars = [`ES_JAVA_HOME=${o.jdk.home}`, `ES_JAVA_OPTS=${opts}`, `ES_PATH_CONF=${o.confDir}`];
    file = 'runuser';
    argv = ['-u', ES_USER, '--', 'env', ...vars, ...args];
  }
  const failure = await new Promise<{ code: number | string; output: string } | null>((resolve) =>
    execFile(file, argv, { encoding: 'utf8', cwd: o.dir, env, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
      resolve(err ? { code: (err as { code?: number | string }).code ?? 'unknown', output: stderr || stdout } : null),
    ),
  );
  if (failure)
    throw new Error(
      `Elasticsearch failed to start (exit ${failure.code}); see its logs under ${o.dir}\n${failure.output.slice(-2000)}`,
    );
  return pidFile;
}

/**
 * Elasticsearch: ELASTICSEARCH_URL if set; else 127.0.0.1:9200 if it answers; else the minimal
 * distribution started as a single node (security off, heap 1 GB, data in the cache folder).
 */
export async function ensureElasticsearch(
  configured: string | undefined,
  home: string,
  local: LocalEs = { version: ES_DEFAULT_VERSION, port: LOCAL_ES.port },
): Promise<ServiceStatus> {
  if (configured) {
    if (!(await healthy(configured)))
      throw new Error(`ELASTICSEARCH_URL=${configured} does not report a yellow or green cluster`);
    return { url: configured, source: 'configured', stop: 'configured outside cable-ingest' };
  }
  const url = `http://${LOCAL_ES.host}:${local.port}`;
  const esHome = nodeHome(home, local.version);
  const pidFile = join(esHome, 'es.pid');
  if (await healthy(url)) {
    const ours = pidAlive(pidFile) !== null;
    // A node of ours started before its config held the English dictionary reads it only at a start.
    if (ours && placeEnglishDictionary(installElasticsearch(home, local.version)) && !(await stemsEnglish(url))) {
      await stopElasticsearch(home, local.version);
      return ensureElasticsearch(configured, home, local);
    }
    return {
      url,
      source: ours ? 'started' : 'found',
      stop: ours ? 'npm run stack:down' : 'not started by cable-ingest',
    };
  }
  if (pidAlive(pidFile) === null && (await portOpen(LOCAL_ES.host, local.port))) {
    throw new Error(
      `port ${local.port} is taken by something that is not a healthy Elasticsearch: free it or set ELASTICSEARCH_URL`,
    );
  }
  const jdk = pickJdk(esMinJava(local.version));
  if (pidAlive(pidFile) === null) {
    const installDir = installElasticsearch(home, local.version);
    const data = join(esHome, 'data');
    const logs = join(esHome, 'logs');
    mkdirSync(data, { recursive: true });
    mkdirSync(logs, { recursive: true });
    // The node's user must reach the distribution inside the cache folder.
    if (isRoot()) chmodSync(home, 0o755);
    await startNode({
      installDir,
      jdk,
      dir: esHome,
      confDir: join(installDir, 'config'),
      heap: '1g',
      chown: [installDir, esHome],
      settings: [
        'discovery.type=single-node',
        'cluster.name=cable-ingest',
        'xpack.security.enabled=false',
        `network.host=${LOCAL_ES.host}`,
        `http.port=${local.port}`,
        `transport.port=${local.port + 100}`,
        `path.data=${data}`,
        `path.logs=${logs}`,
        // A small test disk must not flip the node to read-only.
        'cluster.routing.allocation.disk.threshold_enabled=false',
      ],
    });
  }
  await waitFor('Elasticsearch', () => healthy(url), 180_000, 1_000);
  return {
    url,
    source: 'started',
    stop: 'npm run stack:down',
    detail: `Elasticsearch ${local.version} on Java ${jdk.major} (${jdk.home}), data in ${esHome}`,
  };
}

export async function stopElasticsearch(home: string, version = ES_DEFAULT_VERSION): Promise<string> {
  const pidFile = join(nodeHome(home, version), 'es.pid');
  const pid = pidAlive(pidFile);
  if (pid === null) return 'elasticsearch: not started by cable-ingest, left alone';
  process.kill(pid, 'SIGTERM');
  await waitFor('Elasticsearch to stop', async () => pidAlive(pidFile) === null, 60_000, 500);
  return `elasticsearch: stopped (pid ${pid})`;
}

export { health as elasticsearchHealth };
