import { Client } from '@elastic/elasticsearch';

/**
 * The one way anything here connects to Elasticsearch: one client per process, explicit timeouts
 * so an outage is an error, not a hang. The 8.x client asks for REST compatibility with 8
 * (`compatible-with=8`), which a 9.x node serves too (README, "Elasticsearch versions").
 */
export function createEsClient(url: string, opts: { requestTimeoutMs?: number } = {}): Client {
  return new Client({ node: url, requestTimeout: opts.requestTimeoutMs ?? 30_000, maxRetries: 2, sniffOnStart: false });
}
