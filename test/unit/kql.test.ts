import assert from 'node:assert/strict';
import { it } from 'node:test';
import { kqlToDsl } from '../helpers/kql.js';

it('reads the KQL the analysts page uses as Kibana does, and refuses what it cannot read', () => {
  assert.deepEqual(kqlToDsl('tags : PHUM'), { match: { tags: { query: 'PHUM' } } });
  assert.deepEqual(kqlToDsl('body : "human rights"'), { match_phrase: { body: 'human rights' } });
  assert.deepEqual(kqlToDsl('references.cable_id : *'), { exists: { field: 'references.cable_id' } });
  assert.deepEqual(kqlToDsl('sent_at >= "2008-01-01" and sent_at < "2009-01-01"'), {
    bool: {
      filter: [{ range: { sent_at: { gte: '2008-01-01' } } }, { range: { sent_at: { lt: '2009-01-01' } } }],
    },
  });
  assert.deepEqual(kqlToDsl('tags : KNNP and not (classification : UNCLASSIFIED or tags : PHUM)'), {
    bool: {
      filter: [
        { match: { tags: { query: 'KNNP' } } },
        {
          bool: {
            must_not: [
              {
                bool: {
                  should: [
                    { match: { classification: { query: 'UNCLASSIFIED' } } },
                    { match: { tags: { query: 'PHUM' } } },
                  ],
                  minimum_should_match: 1,
                },
              },
            ],
          },
        },
      ],
    },
  });
  assert.deepEqual(kqlToDsl('paragraph_texts:{ portion_mark : S and text : nuclear }'), {
    nested: {
      path: 'paragraph_texts',
      query: {
        bool: {
          filter: [
            { match: { 'paragraph_texts.portion_mark': { query: 'S' } } },
            { match: { 'paragraph_texts.text': { query: 'nuclear' } } },
          ],
        },
      },
    },
  });
  assert.throws(() => kqlToDsl('tags ~ PHUM'), /KQL/);
  assert.throws(() => kqlToDsl('tags : PHUM and'), /ends too soon/);
});
