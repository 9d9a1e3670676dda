import { mkdirSync } from 'node:fs';
import type { Config } from '../../src/shared/config.js';
import { ensureElasticsearch, stopElasticsearch } from './elasticsearch.js';
import { ensureRedis, stopRedis, type ServiceStatus } from './redis.js';
import { securedLocalNode, stopSecuredLocalNode } from './secured-local.js';

export interface Stack {
  redis: ServiceStatus;
  elasticsearch: ServiceStatus;
}

/** Bring up (or find) Redis and Elasticsearch. Idempotent: a second call finds what the first started. */
export async function stackUp(
  config: Pick<Config, 'redis' | 'elasticsearchUrl' | 'stackHome' | 'localElasticsearch'>,
): Promise<Stack> {
  mkdirSync(config.stackHome, { recursive: true });
  const redis = await ensureRedis(config.redis, config.stackHome);
  const elasticsearch = await ensureElasticsearch(config.elasticsearchUrl, config.stackHome, config.localElasticsearch);
  return { redis, elasticsearch };
}

/**
 * Redis as `stackUp` brings it, and instead of the open node a secured one (HTTPS, a least-privilege
 * user): returns the settings that point the pipeline at it.
 */
export async function stackUpSecured(
  config: Pick<Config, 'redis' | 'stackHome' | 'indexAlias' | 'localElasticsearch'>,
): Promise<{ redis: ServiceStatus; settings: string; settingsFile: string }> {
  mkdirSync(config.stackHome, { recursive: true });
  const redis = await ensureRedis(config.redis, config.stackHome);
  return { redis, ...(await securedLocalNode(config)) };
}

export async function stackDown(config: Pick<Config, 'stackHome' | 'localElasticsearch'>): Promise<string[]> {
  return [
    stopSecuredLocalNode(config),
    await stopElasticsearch(config.stackHome, config.localElasticsearch.version),
    await stopRedis(config.stackHome),
  ];
}

export function describeStack(stack: Stack): string {
  const line = (name: string, s: ServiceStatus): string =>
    `${name.padEnd(14)} ${s.url}  (${s.source}; stop: ${s.stop})${s.detail ? `\n${' '.repeat(15)}${s.detail}` : ''}`;
  return [line('redis', stack.redis), line('elasticsearch', stack.elasticsearch)].join('\n');
}
