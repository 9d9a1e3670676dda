import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/shared/config.js';
import type { RoleDescriptor } from '../../src/shared/elasticsearch/privileges.js';
import { ES_DEFAULT_VERSION, ES_USER, installElasticsearch, pickJdk, startNode } from './elasticsearch.js';
import { isRoot, run, waitFor } from './process.js';

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
  /** With `tls`: the CA (PEM) that signed the node's certificate, its SHA-256 fingerprint, and a CA that did not. */
  ca?: { cert: string; fingerprint: string; otherCert: string };
  /** Change a user's password in the file realm; the node picks it up within seconds. */
  setPassword(user: string, password: string): void;
  stop(): Promise<void>;
}

export async function startSecuredNode(
  users: Array<{ name: string; password: string; role: string }>,
  options: { port?: number; tls?: boolean; roles?: Record<string, RoleDescriptor>; dir?: string } = {},
): Promise<SecuredNode> {
  const port = options.port ?? 9250;
  const home = loadConfig({ ...process.env }).stackHome;
  const version = ES_DEFAULT_VERSION;
  const installDir = installElasticsearch(home, version);
  const jdk = pickJdk(17);
  // A folder of its own: a temporary one (tests), or one kept by `stack up --secured`, made anew.
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'es-secured-'));
  if (options.dir) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }
  const conf = join(dir, 'config');
  cpSync(join(installDir, 'config'), conf, { recursive: true });
  mkdirSync(join(dir, 'data'));
  mkdirSync(join(dir, 'logs'));
  const env: NodeJS.ProcessEnv = { ...process.env, ES_JAVA_HOME: jdk.home, ES_PATH_CONF: conf };
  delete env['JAVA_HOME'];
  const tool = (args: string[]): void => void run(join(installDir, 'bin', 'elasticsearch-users'), args, { env });
  // Roles of the file realm (roles.yml, read by the node as it starts: one block a role, in YAML).
  if (options.roles) writeFileSync(join(conf, 'roles.yml'), rolesYaml(options.roles));
  for (const u of users) tool(['useradd', u.name, '-p', u.password, '-r', u.role]);
  const ca = options.tls ? makeCertificates(join(conf, 'certs')) : undefined;
  const pidFile = await startNode({
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
      ...(ca
        ? [
            'xpack.security.http.ssl.enabled=true',
            'xpack.security.http.ssl.key=certs/node.key',
            'xpack.security.http.ssl.certificate=certs/node.crt',
            'xpack.security.http.ssl.certificate_authorities=certs/ca.crt',
          ]
        : ['xpack.security.http.ssl.enabled=false']),
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
  const url = `${ca ? 'https' : 'http'}://127.0.0.1:${port}`;
  // Any user the node knows: it answers once it is up (403 too, for a user without `monitor`).
  const probeUser = users[0];
  const auth = probeUser
    ? { authorization: `Basic ${Buffer.from(`${probeUser.name}:${probeUser.password}`).toString('base64')}` }
    : {};
  const kill = async (): Promise<void> => {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await waitFor('the secured node to stop', async () => !isAlive(pid), 30_000, 200);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      'the secured Elasticsearch node',
      async () => {
        const res = await probe(`${url}/_cluster/health`, auth, ca?.cert);
        return res === 200 || res === 403;
      },
      180_000,
      1_000,
    );
  } catch (err) {
    // A node that never became ready is not left running (it would hold its ports).
    await kill().catch(() => undefined);
    throw err;
  }

  return {
    url,
    urlAs: (user, password) =>
      `${ca ? 'https' : 'http'}://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    ...(ca ? { ca } : {}),
    setPassword(user, password) {
      // As the node's own user: the users file it writes must stay readable by the node.
      const passwd = [join(installDir, 'bin', 'elasticsearch-users'), 'passwd', user, '-p', password];
      if (isRoot())
        run('runuser', ['-u', ES_USER, '--', 'env', `ES_JAVA_HOME=${jdk.home}`, `ES_PATH_CONF=${conf}`, ...passwd]);
      else run(passwd[0]!, passwd.slice(1), { env });
    },
    stop: kill,
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

/** GET a URL (trusting `caFile` for HTTPS) and give its status, or null when nothing answers. */
function probe(url: string, headers: Record<string, string>, caFile?: string): Promise<number | null> {
  return new Promise((resolve) => {
    const request = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = request(url, { headers, timeout: 3_000, ...(caFile ? { ca: readFileSync(caFile) } : {}) }, (res) => {
      res.resume();
      resolve(res.statusCode ?? null);
    });
    req.on('error', () => resolve(null));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/**
 * A test CA and the node's certificate signed by it (for 127.0.0.1 and localhost), with openssl,
 * and a second CA that signed nothing (the wrong CA). The node's certificate file holds the chain,
 * so a client can pin the CA by its fingerprint.
 */
export function makeCertificates(dir: string): { cert: string; fingerprint: string; otherCert: string } {
  mkdirSync(dir, { recursive: true });
  const ssl = (args: string[]): string => run('openssl', args, { cwd: dir });
  ssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '2',
    '-subj',
    '/CN=cable-ingest test CA',
  ]);
  ssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'other.key',
    '-out',
    'other.crt',
    '-days',
    '2',
    '-subj',
    '/CN=another CA',
  ]);
  ssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'node.key', '-out', 'node.csr', '-subj', '/CN=localhost']);
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  ssl([
    'x509',
    '-req',
    '-in',
    'node.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'leaf.crt',
    '-days',
    '2',
    '-extfile',
    'san.ext',
  ]);
  writeFileSync(
    join(dir, 'node.crt'),
    readFileSync(join(dir, 'leaf.crt'), 'utf8') + readFileSync(join(dir, 'ca.crt'), 'utf8'),
  );
  const fingerprint = ssl(['x509', '-in', 'ca.crt', '-noout', '-fingerprint', '-sha256']).trim().split('=')[1]!;
  return { cert: join(dir, 'ca.crt'), fingerprint, otherCert: join(dir, 'other.crt') };
}

/** roles.yml as the file realm reads it: each role a top-level block, lists written inline. */
function rolesYaml(roles: Record<string, RoleDescriptor>): string {
  const list = (xs: string[]): string => `[${xs.map((x) => JSON.stringify(x)).join(', ')}]`;
  return Object.entries(roles)
    .map(([name, r]) =>
      [
        `${name}:`,
        `  cluster: ${list(r.cluster)}`,
        '  indices:',
        ...r.indices.flatMap((i) => [`    - names: ${list(i.names)}`, `      privileges: ${list(i.privileges)}`]),
      ].join('\n'),
    )
    .join('\n')
    .concat('\n');
}
