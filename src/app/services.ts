import type { Queue } from 'bullmq';
import { loadConfig } from '#shared/config.js';
import { connect, serviceAddresses, type Connections } from '#shared/connections.js';
import { createQueue, QUEUE } from '#shared/queues.js';

/** An operator command's connections (connections.ts) and the two queues over them. */
export interface OpsServices extends Connections {
  cables: Queue;
  dlq: Queue;
}

/**
 * The one way an operator command connects: where serviceAddresses says (without starting
 * anything: an operator command reads or feeds what runs).
 */
export function opsServices(): OpsServices {
  const conn = connect(serviceAddresses(loadConfig()));
  const cables = createQueue(QUEUE.cables, conn.redis, conn.config.queuePrefix);
  const dlq = createQueue(QUEUE.deadLetter, conn.redis, conn.config.queuePrefix);
  return {
    ...conn,
    blocking: () => conn.blocking(),
    cables,
    dlq,
    async close() {
      await cables.close();
      await dlq.close();
      await conn.close();
    },
  };
}
