import type { Client } from '@elastic/elasticsearch';

/**
 * Elasticsearch's own account of a run (`_nodes/stats`, summed over nodes): time spent indexing,
 * searches, real-time gets (an `_mget` counts each of its documents), refreshes, and bulk requests
 * with their bytes. Read before and after each run; the difference is that run's.
 */
export interface EsWork {
  indexMs: number;
  searches: number;
  gets: number;
  refreshes: number;
  bulkRequests: number;
  bulkBytes: number;
}
export async function esWorkOfCluster(es: Client): Promise<EsWork> {
  const r = await es.nodes.stats({ metric: 'indices', index_metric: 'indexing,search,get,refresh,bulk' });
  const sum = (f: (n: (typeof r.nodes)[string]) => number | undefined): number =>
    Object.values(r.nodes).reduce((a, n) => a + (f(n) ?? 0), 0);
  return {
    indexMs: sum((n) => n.indices?.indexing?.index_time_in_millis),
    searches: sum((n) => n.indices?.search?.query_total),
    gets: sum((n) => n.indices?.get?.total),
    refreshes: sum((n) => n.indices?.refresh?.total),
    bulkRequests: sum((n) => n.indices?.bulk?.total_operations),
    bulkBytes: sum((n) => n.indices?.bulk?.total_size_in_bytes),
  };
}
/** A run's Elasticsearch work per cable, and its bulk requests' count and mean size. */
export function esWorkOf(a: EsWork, b: EsWork, cables: number): Record<string, number> {
  const bulks = b.bulkRequests - a.bulkRequests;
  return {
    index_ms_per_cable: Math.round(((b.indexMs - a.indexMs) / cables) * 100) / 100,
    searches: b.searches - a.searches,
    gets: b.gets - a.gets,
    refreshes: b.refreshes - a.refreshes,
    bulk_requests: bulks,
    bulk_mean_kb: bulks > 0 ? Math.round((b.bulkBytes - a.bulkBytes) / bulks / 1024) : 0,
  };
}
