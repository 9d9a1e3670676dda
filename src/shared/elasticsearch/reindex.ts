import type { Client } from '@elastic/elasticsearch';
import { CABLE_MAPPINGS } from './index-template.js';

/**
 * Move the alias to a new versioned index built from the current template (after a mapping
 * change). The minimal distribution has no `_reindex` module, so documents are copied with the
 * client's scroll helper and `_bulk`, which work on any cluster.
 *
 * Contract: the caller pauses intake first (the CLI pauses the queue), so nothing is written to
 * the old index while it is copied. On success the alias points only at the new index, which is
 * its write index; the old index is kept (delete it once satisfied).
 */
export async function reindexToNextVersion(
  client: Client,
  alias: string,
): Promise<{ from: string; to: string; documents: number }> {
  const current = Object.keys(await client.indices.getAlias({ name: alias }));
  const from = current.find((i) => /-v\d+$/.test(i));
  if (!from || current.length !== 1)
    throw new Error(
      `alias ${alias} must point at exactly one versioned index (found: ${current.join(', ') || 'none'})`,
    );
  const version = Number(/-v(\d+)$/.exec(from)![1]);
  const to = `${alias}-v${version + 1}`;
  await client.indices.create({ index: to, mappings: CABLE_MAPPINGS });
  // Page by page, each document under its own `_id` (not always its cable_id: cable-versions.ts).
  let documents = 0;
  for await (const page of client.helpers.scrollSearch<Record<string, unknown>>({
    index: from,
    size: 500,
    query: { match_all: {} },
  })) {
    const hits = page.body.hits.hits;
    if (hits.length === 0) continue;
    const res = await client.bulk({
      operations: hits.flatMap((h) => [{ index: { _index: to, _id: h._id! } }, h._source!]),
    });
    const failed = res.items.filter((i) => i.index?.error).length;
    if (failed > 0) throw new Error(`${failed} documents failed to copy into ${to}; the alias still points at ${from}`);
    documents += hits.length;
  }
  await client.indices.refresh({ index: to });
  await client.indices.updateAliases({
    actions: [{ remove: { index: from, alias } }, { add: { index: to, alias, is_write_index: true } }],
  });
  return { from, to, documents };
}
