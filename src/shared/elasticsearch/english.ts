import type { Client } from '@elastic/elasticsearch';

/**
 * English analysis for the `<field>.english` subfields, by what the cluster offers:
 *   english   Elasticsearch's `english` analyzer (analysis-common: the full distribution, Elastic
 *             Cloud, the Docker images);
 *   hunspell  core's `hunspell` token filter with an en_US dictionary in the node's
 *             `config/hunspell/en_US/` (the minimal distribution the local stack runs: it places
 *             Debian's dictionary there);
 *   standard  neither: the subfields are analysed as the exact fields (no stemming), with a warning.
 * The analyzer is always named `cable_english`, so the mapping is one whatever the kind; which kind
 * an index got is recorded in its mapping's `_meta.english_analysis`.
 */
export type EnglishAnalysis = 'english' | 'hunspell' | 'standard';

export const ENGLISH_ANALYZER = 'cable_english';

/** What this cluster can do, asked with `_analyze` (no index needed): the best it offers. */
export async function probeEnglishAnalysis(client: Client): Promise<EnglishAnalysis> {
  const stems = async (body: Record<string, unknown>): Promise<boolean> => {
    try {
      const r = await client.indices.analyze({ ...body, text: 'sanctions' });
      return (r.tokens ?? []).some((t) => t.token === 'sanction');
    } catch {
      return false;
    }
  };
  if (await stems({ analyzer: 'english' })) return 'english';
  if (await stems({ tokenizer: 'standard', filter: ['lowercase', { type: 'hunspell', locale: 'en_US' }] }))
    return 'hunspell';
  return 'standard';
}

/** The index `analysis` settings defining `cable_english` for a kind. */
export function englishAnalysisSettings(kind: EnglishAnalysis): Record<string, unknown> {
  switch (kind) {
    case 'english':
      return { analyzer: { [ENGLISH_ANALYZER]: { type: 'english' } } };
    case 'hunspell':
      return {
        filter: { cable_english_stem: { type: 'hunspell', locale: 'en_US', dedup: true } },
        analyzer: {
          [ENGLISH_ANALYZER]: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'cable_english_stem'] },
        },
      };
    case 'standard':
      return { analyzer: { [ENGLISH_ANALYZER]: { type: 'standard' } } };
  }
}
