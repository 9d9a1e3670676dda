import { Client } from '@elastic/elasticsearch';

/** One client per process; explicit timeouts so an outage is an error, not a hang. */
export function createEsClient(url: string): Client {
  return new Client({ node: url, requestTimeout: 30_000, maxRetries: 2, sniffOnStart: false });
}
