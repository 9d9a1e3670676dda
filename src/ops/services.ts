import type { Client } from '@elastic/elasticsearch';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { loadConfig, withServices, type Config, type ServiceConfig } from '../shared/config.js';
import { createEsClient } from '../shared/elasticsearch/client.js';
import { createQueue, QUEUE } from '../shared/queues.js';
import { createRedis } from '../shared/redis.js';
import { LOCAL_ES } from './stack/elasticsearch.js';
import { LOCAL_REDIS } from './stack/redis.js';

export interface OpsServices {
  config: ServiceConfig;
  redis: Redis;
  es: Client;
  cables: Queue;
  dlq: Queue;
  close(): Promise<void>;
}

/** REDIS_URL / ELASTICSEARCH_URL when set, else where the local stack listens. */
export function withOpsServices(base: Config): ServiceConfig {
  return withServices(
    base,
    base.redisUrl ?? `redis://${LOCAL_REDIS.host}:${LOCAL_REDIS.port}`,
    base.elasticsearchUrl ?? `http://${LOCAL_ES.host}:${base.localElasticsearch.port}`,
  );
}

/**
 * The one way an operator command connects: REDIS_URL / ELASTICSEARCH_URL when set, else the local
 * stack's addresses (without starting it: an operator command reads or feeds what runs).
 */
export function opsServices(): OpsServices {
  const config = withOpsServices(loadConfig());
  const redis = createRedis(config.redisUrl, 'producer');
  const es = createEsClient(config.elasticsearchUrl);
  const cables = createQueue(QUEUE.cables, redis, config.queuePrefix);
  const dlq = createQueue(QUEUE.deadLetter, redis, config.queuePrefix);
  return {
    config,
    redis,
    es,
    cables,
    dlq,
    async close() {
      await cables.close();
      await dlq.close();
      redis.disconnect();
      await es.close();
    },
  };
}
