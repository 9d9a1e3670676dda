import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/shared/config.js';
import { ES_DEFAULT_VERSION, installElasticsearch, pickJdk, startNode } from './elasticsearch.js';
import { waitFor } from './process.js';

/**
 * A real Elasticsearch cluster of three nodes on this machine (issue #28): the minimal
 * distribution, each node with its own ports, data path and config folder, discovering the others
 * through seed hosts. Security off: the cluster's behaviour (replicas, a node lost) is what its
 * tests are about. `kill(i)` is SIGKILL; `start(i)` brings the node back on its data.
 */
export interface EsCluster {
  urls: string[];
  kill(i: number): void;
  start(i: number): Promise<void>;
  health(): Promise<string | null>;
  stop(): Promise<void>;
}

export async function startEsCluster(firstPort = 9280): Promise<EsCluster> {
  const home = loadConfig({ ...process.env }).stackHome;
  const installDir = installElasticsearch(home, ES_DEFAULT_VERSION);
  const jdk = pickJdk(17);
  const dir = mkdtempSync(join(tmpdir(), 'es-cluster-'));
  const ports = [0, 1, 2].map((i) => firstPort + i);
  const names = ports.map((_, i) => `node-${i}`);
  const seeds = ports.map((p) => `127.0.0.1:${p + 100}`).join(',');
  const nodeDir = (i: number): string => join(dir, names[i]!);
  for (let i = 0; i < 3; i++) {
    cpSync(join(installDir, 'config'), join(nodeDir(i), 'config'), { recursive: true });
    mkdirSync(join(nodeDir(i), 'data'), { recursive: true });
    mkdirSync(join(nodeDir(i), 'logs'), { recursive: true });
  }
  const pids = new Map<number, number>();
  const launch = async (i: number): Promise<void> => {
    const pidFile = await startNode({
      installDir,
      jdk,
      dir: nodeDir(i),
      confDir: join(nodeDir(i), 'config'),
      heap: '384m',
      chown: [dir],
      settings: [
        'cluster.name=cable-ingest-cluster',
        `node.name=${names[i]}`,
        `discovery.seed_hosts=${seeds}`,
        `cluster.initial_master_nodes=${names.join(',')}`,
        'xpack.security.enabled=false',
        'network.host=127.0.0.1',
        `http.port=${ports[i]}`,
        `transport.port=${ports[i]! + 100}`,
        `path.data=${join(nodeDir(i), 'data')}`,
        `path.logs=${join(nodeDir(i), 'logs')}`,
        'cluster.routing.allocation.disk.threshold_enabled=false',
      ],
    });
    pids.set(i, Number(readFileSync(pidFile, 'utf8').trim()));
  };
  const urls = ports.map((p) => `http://127.0.0.1:${p}`);
  const health = async (): Promise<string | null> => {
    for (const url of urls) {
      const res = await fetch(`${url}/_cluster/health`, { signal: AbortSignal.timeout(2_000) }).catch(() => null);
      if (res?.ok) return ((await res.json()) as { status: string; number_of_nodes: number }).status;
    }
    return null;
  };
  const nodes = async (): Promise<number> => {
    for (const url of urls) {
      const res = await fetch(`${url}/_cluster/health`, { signal: AbortSignal.timeout(2_000) }).catch(() => null);
      if (res?.ok) return ((await res.json()) as { number_of_nodes: number }).number_of_nodes;
    }
    return 0;
  };
  const kill = (i: number): void => {
    const pid = pids.get(i);
    if (pid === undefined) return;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
    pids.delete(i);
  };
  try {
    await Promise.all([0, 1, 2].map(launch));
    await waitFor('three nodes in the cluster', async () => (await nodes()) === 3, 180_000, 1_000);
  } catch (err) {
    for (let i = 0; i < 3; i++) kill(i);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    urls,
    kill,
    health,
    async start(i) {
      await launch(i);
      await waitFor('the node back in the cluster', async () => (await nodes()) === 3, 180_000, 1_000);
    },
    async stop() {
      for (let i = 0; i < 3; i++) kill(i);
      await new Promise((r) => setTimeout(r, 1_000));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
