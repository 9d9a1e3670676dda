import type { CableDocument } from '#shared/stages.js';

/**
 * The KQL queries docs/ANALYSTS.md gives analysts, each with what it promises: a test runs every
 * one on the dev corpus indexed by the pipeline (translating the KQL as Kibana does) and checks
 * that each hit keeps the promise and that the hits are as many as promised. One list, so the page
 * and the test cannot drift apart (a test checks the page holds each query).
 */
export interface AnalystQuery {
  /** What an analyst wants. */
  question: string;
  /** What they type in Kibana's search bar (KQL). */
  kql: string;
  /** What every hit satisfies. */
  holds: (d: CableDocument) => boolean;
  /** At least this many hits on the dev corpus (401 cables). */
  atLeast: number;
  /** Cables the query must find on the dev corpus. */
  finds?: string[];
}

const word = (w: string) => (text: string | null) => new RegExp(`\\b${w}`, 'i').test(text ?? '');

export const ANALYST_QUERIES: AnalystQuery[] = [
  {
    question: 'One cable by its id',
    kql: 'cable_id : 03ANKARA2521',
    holds: (d) => d.cable_id === '03ANKARA2521',
    atLeast: 1,
    finds: ['03ANKARA2521'],
  },
  {
    question: 'Cables from one post',
    kql: 'origin : "Embassy Ankara"',
    holds: (d) => d.origin === 'Embassy Ankara',
    atLeast: 3,
  },
  {
    question: 'Cables sent from one country (any of its posts)',
    kql: 'from.country_code : TR',
    holds: (d) => d.from?.country_code === 'TR',
    atLeast: 10,
  },
  {
    question: 'Cables sent in one year',
    kql: 'sent_at >= "2008-01-01" and sent_at < "2009-01-01"',
    holds: (d) => d.sent_at?.startsWith('2008') ?? false,
    atLeast: 50,
  },
  {
    question: 'Cables under one TAGS code',
    kql: 'tags : PHUM',
    holds: (d) => d.tags.includes('PHUM'),
    atLeast: 20,
  },
  {
    question: 'Cables under a TAGS subject by its name',
    kql: 'tag_labels : "Human rights"',
    holds: (d) => d.tag_labels.includes('Human rights'),
    atLeast: 20,
  },
  {
    question: 'Cables tagged with a country (ISO code of its TAGS)',
    kql: 'tag_countries : IR',
    holds: (d) => d.tag_countries.includes('IR'),
    atLeast: 20,
  },
  {
    question: 'SECRET cables',
    kql: 'classification : SECRET',
    holds: (d) => d.classification === 'SECRET',
    atLeast: 50,
  },
  {
    question: 'Cables not for foreign nationals',
    kql: 'caveats : NOFORN',
    holds: (d) => d.caveats.includes('NOFORN'),
    atLeast: 50,
  },
  {
    question: 'SECRET and NOFORN together',
    kql: 'classification : SECRET and caveats : NOFORN',
    holds: (d) => d.classification === 'SECRET' && d.caveats.includes('NOFORN'),
    atLeast: 20,
  },
  {
    question: 'Everything but the unclassified, on nuclear non-proliferation',
    kql: 'tags : KNNP and not classification : UNCLASSIFIED',
    holds: (d) => d.tags.includes('KNNP') && d.classification !== 'UNCLASSIFIED',
    atLeast: 10,
  },
  {
    question: 'Nuclear non-proliferation and Iran',
    kql: 'tags : KNNP and tag_countries : IR',
    holds: (d) => d.tags.includes('KNNP') && d.tag_countries.includes('IR'),
    atLeast: 3,
  },
  {
    question: 'A word in any of its forms (English stemming): sanction, sanctions',
    kql: 'body.english : sanction',
    holds: (d) => word('sanction')(d.body),
    atLeast: 20,
  },
  {
    question: 'A word in any of its forms, in subjects: election, elections',
    kql: 'subject.english : election',
    holds: (d) => word('election')(d.subject),
    atLeast: 5,
  },
  {
    question: 'An exact phrase',
    kql: 'body : "human rights"',
    holds: (d) => /human\s+rights/i.test(d.body),
    atLeast: 40,
  },
  {
    question: 'A phrase in any of its forms: nuclear program, nuclear programs',
    kql: 'body.english : "nuclear program"',
    holds: (d) => /nuclear\s+programs?\b/i.test(d.body),
    atLeast: 5,
  },
  {
    question: 'The cables that cite a given cable',
    kql: 'references.cable_id : 03ANKARA2521',
    holds: (d) => d.references.some((r) => r.cable_id === '03ANKARA2521'),
    atLeast: 1,
    finds: ['03ANKARA3694'],
  },
  {
    question: 'Cables that cite other cables',
    kql: 'references.cable_id : *',
    holds: (d) => d.references.some((r) => r.cable_id !== null),
    atLeast: 100,
  },
  {
    question: 'The SECRET paragraphs that mention a word (each paragraph with its own mark and words)',
    kql: 'paragraph_texts:{ portion_mark : S and text.english : nuclear }',
    holds: (d) => d.paragraph_texts.some((p) => p.portion_mark === 'S' && /nuclear/i.test(p.text)),
    atLeast: 3,
  },
  {
    question: 'Cables sent IMMEDIATE',
    kql: 'precedence : IMMEDIATE',
    holds: (d) => d.precedence === 'IMMEDIATE',
    atLeast: 50,
  },
  {
    question: 'Cables signed by one name',
    kql: 'signers : PEARSON',
    holds: (d) => d.signers.includes('PEARSON'),
    atLeast: 1,
    finds: ['03ANKARA2521'],
  },
];
