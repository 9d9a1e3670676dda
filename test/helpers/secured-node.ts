import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/shared/config.js';
import {
  ES_DEFAULT_VERSION,
  ES_USER,
  installElasticsearch,
  pickJdk,
  startNode,
} from '../../tools/stack/elasticsearch.js';
import { isRoot, run, waitFor } from '../../tools/stack/process.js';

/**
 * A real Elasticsearch node with security on, for the tests of what a refused credential does:
 * the minimal distribution (the same artifact as the local stack) with `xpack.security.enabled`,
 * users in the file realm (`bin/elasticsearch-users`, which the node reloads while it runs), each
 * with a built-in role. Its own config folder, data and port; stopped and removed by `stop()`.
 * HTTP without TLS: a single-node cluster allows it, and TLS is not what these tests are about.
 */
export interface SecuredNode {
  url: string;
  /** The node's URL with a user's credentials in it, as the client accepts them. */
  urlAs(user: string, password: string): string;
  /** Change a user's password in the file realm; the node picks it up within seconds. */
  setPassword(user: string, password: string): void;
  stop(): Promise<void>;
}

export async function startSecuredNode(
  users: Array<{ name: string; password: string; role: string }>,
  port = 9250,
): Promise<SecuredNode> {
  const home = loadConfig({ ...process.env }).stackHome;
  const version = ES_DEFAULT_VERSION;
  const installDir = installElasticsearch(home, version);
  const jdk = pickJdk(17);
  const dir = mkdtempSync(join(tmpdir(), 'es-secured-'));
  const conf = join(dir, 'config');
  cpSync(join(installDir, 'config'), conf, { recursive: true });
  mkdirSync(join(dir, 'data'));
  mkdirSync(join(dir, 'logs'));
  const env: NodeJS.ProcessEnv = { ...process.env, ES_JAVA_HOME: jdk.home, ES_PATH_CONF: conf };
  delete env['JAVA_HOME'];
  const tool = (args: string[]): void => void run(join(installDir, 'bin', 'elasticsearch-users'), args, { env });
  for (const u of users) tool(['useradd', u.name, '-p', u.password, '-r', u.role]);
  const pidFile = startNode({
    installDir,
    jdk,
    dir,
    confDir: conf,
    heap: '512m',
    chown: [dir],
    settings: [
      'discovery.type=single-node',
      'cluster.name=cable-ingest-secured',
      'xpack.security.enabled=true',
      'xpack.security.http.ssl.enabled=false',
      'xpack.security.transport.ssl.enabled=false',
      // The file realm's users file is read again this often (the default is 5 s).
      'resource.reload.interval.high=1s',
      'network.host=127.0.0.1',
      `http.port=${port}`,
      `transport.port=${port + 100}`,
      `path.data=${join(dir, 'data')}`,
      `path.logs=${join(dir, 'logs')}`,
      'cluster.routing.allocation.disk.threshold_enabled=false',
    ],
  });
  const url = `http://127.0.0.1:${port}`;
  const admin = users.find((u) => u.role === 'superuser');
  const auth = admin
    ? { authorization: `Basic ${Buffer.from(`${admin.name}:${admin.password}`).toString('base64')}` }
    : {};
  await waitFor(
    'the secured Elasticsearch node',
    async () => {
      const res = await fetch(`${url}/_cluster/health`, { headers: auth, signal: AbortSignal.timeout(3_000) }).catch(
        () => null,
      );
      return res?.ok === true;
    },
    180_000,
    1_000,
  );
  return {
    url,
    urlAs: (user, password) => `http://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    setPassword(user, password) {
      // As the node's own user: the users file it writes must stay readable by the node.
      const passwd = [join(installDir, 'bin', 'elasticsearch-users'), 'passwd', user, '-p', password];
      if (isRoot())
        run('runuser', ['-u', ES_USER, '--', 'env', `ES_JAVA_HOME=${jdk.home}`, `ES_PATH_CONF=${conf}`, ...passwd]);
      else run(passwd[0]!, passwd.slice(1), { env });
    },
    async stop() {
      const pid = Number(readFileSync(pidFile, 'utf8').trim());
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await waitFor('the secured node to stop', async () => !isAlive(pid), 30_000, 200);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
