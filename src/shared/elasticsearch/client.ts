import { readFileSync } from 'node:fs';
import { Client, type ClientOptions } from '@elastic/elasticsearch';
import type { EsAuth, EsTls } from '../config.js';

/** Where and how to reach Elasticsearch: the configuration's part of it. */
export interface EsTarget {
  elasticsearchUrl: string;
  elasticsearchAuth?: EsAuth | null;
  elasticsearchTls?: EsTls;
}

/**
 * The one way anything here connects to Elasticsearch, with the client's own options for what
 * users run: several nodes (the client spreads requests and moves off a dead one), an API key
 * (either form) or a user and password, the cluster's CA file or its fingerprint, verification on
 * unless turned off. Explicit timeouts so an outage is an error, not a hang. The 8.x client asks
 * for REST compatibility with 8 (`compatible-with=8`), which a 9.x node serves too.
 */
export function esClientOptions(target: EsTarget | string, opts: { requestTimeoutMs?: number } = {}): ClientOptions {
  const t: EsTarget = typeof target === 'string' ? { elasticsearchUrl: target } : target;
  const nodes = t.elasticsearchUrl
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u !== '');
  const options: ClientOptions = {
    node: nodes.length === 1 ? nodes[0]! : nodes,
    requestTimeout: opts.requestTimeoutMs ?? 30_000,
    maxRetries: 2,
    sniffOnStart: false,
  };
  const auth = t.elasticsearchAuth;
  if (auth && 'apiKey' in auth) {
    const key = auth.apiKey.reveal();
    // `id:api_key` as Kibana shows it when a key is made, or the encoded form Elasticsearch returns.
    const colon = key.indexOf(':');
    options.auth = { apiKey: colon > 0 ? { id: key.slice(0, colon), api_key: key.slice(colon + 1) } : key };
  } else if (auth) {
    options.auth = { username: auth.username, password: auth.password.reveal() };
  }
  const tls = t.elasticsearchTls;
  if (tls) {
    if (tls.caCert) options.tls = { ca: readFileSync(tls.caCert), rejectUnauthorized: tls.verify };
    else options.tls = { rejectUnauthorized: tls.verify };
    // A fingerprint pins the CA itself (Elastic's own clients do so): the pin is the check, so the
    // usual chain check, which would refuse a CA the machine does not trust, is not made as well.
    if (tls.caFingerprint) {
      options.caFingerprint = tls.caFingerprint;
      options.tls = { ...options.tls, rejectUnauthorized: false };
    }
  }
  return options;
}

export function createEsClient(target: EsTarget | string, opts: { requestTimeoutMs?: number } = {}): Client {
  return new Client(esClientOptions(target, opts));
}
