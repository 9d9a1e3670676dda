import type { Client } from '@elastic/elasticsearch';
import { CABLE_MAPPINGS } from './index-template.js';

/**
 * Move the alias to a new versioned index built from the current template (after a mapping
 * change). The minimal distribution has no `_reindex` module, so documents are copied with the
 * client's scroll and bulk helpers, which work on any cluster.
 *
 * Contract: the caller pauses intake first (the CLI pauses the queue), so nothing is written to
 * the old index while it is copied. On success the alias points only at the new index, which is
 * its write index; the old index is kept (delete it once satisfied).
 */
export async function reindexToNextVersion(client: Client, alias: string): Promise<{ from: string; to: string; documents: number }> {
  const current = Object.keys(await client.indices.getAlias({ name: alias }));
  const from = current.find((i) => /-v\d+$/.test(i));
  if (!from || current.length !== 1) throw new Error(`alias ${alias} must point at exactly one versioned index (found: ${current.join(', ') || 'none'})`);
  const version = Number(/-v(\d+)$/.exec(from)![1]);
  const to = `${alias}-v${version + 1}`;
  await client.indices.create({ index: to, mappings: CABLE_MAPPINGS });
  const stats = await client.helpers.bulk<{ cable_id: string }>({
    datasource: client.helpers.scrollDocuments<{ cable_id: string }>({ index: from, size: 500, query: { match_all: {} } })[Symbol.asyncIterator](),
    onDocument: (doc) => ({ index: { _index: to, _id: doc.cable_id } }),
    refreshOnCompletion: to,
  });
  if (stats.failed > 0) throw new Error(`${stats.failed} documents failed to copy into ${to}; the alias still points at ${from}`);
  await client.indices.updateAliases({
    actions: [{ remove: { index: from, alias } }, { add: { index: to, alias, is_write_index: true } }],
  });
  return { from, to, documents: stats.successful };
}
