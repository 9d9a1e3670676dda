/**
 * Kibana saved objects for analysts and operators, with fixed ids, built here in code (the source
 * of truth) and written to kibana/cable-ingest.ndjson by `npm run kibana:assets`; a test keeps the
 * two in step and checks every field they use against the real index.
 * Aggregation-based visualizations (not Lens): their saved form is small and stable across 8.x.
 * Every field an asset names is typed by the documents' own declarations (FieldPath): a field
 * renamed or dropped there fails to compile here.
 */
import type { FailureDocument } from '#shared/elasticsearch/failures-index.js';
import type { FieldPath } from '#shared/elasticsearch/mapping-of.js';
import type { CableDocument } from '#shared/stages.js';

/** A field of the cables index as Kibana names it (`subject.keyword` is the subject's keyword subfield). */
export type CableField = FieldPath<CableDocument> | 'subject.keyword';
export type FailureField = FieldPath<FailureDocument>;
type AssetField = CableField | FailureField;

export interface SavedObject {
  id: string;
  type: string;
  attributes: Record<string, unknown>;
  references: Array<{ id: string; name: string; type: string }>;
  coreMigrationVersion?: string;
}

export const CABLES_VIEW = 'cable-ingest-cables';
export const FAILURES_VIEW = 'cable-ingest-failures';

const searchSource = (query = '', filter: unknown[] = []): { searchSourceJSON: string } => ({
  searchSourceJSON: JSON.stringify({
    query: { query, language: 'kuery' },
    filter,
    indexRefName: 'kibanaSavedObjectMeta.searchSourceJSON.index',
  }),
});
const viewRef = (view: string) => [
  { id: view, name: 'kibanaSavedObjectMeta.searchSourceJSON.index', type: 'index-pattern' },
];

/** One aggregation-based panel: what Kibana stores, and what it asks Elasticsearch. */
export interface Panel {
  id: string;
  title: string;
  view: string;
  visType: 'histogram' | 'pie' | 'horizontal_bar' | 'table';
  /** [metric, ...buckets] in Kibana's agg config form. */
  aggs: Array<{ id: string; type: string; schema: string; params: { field?: AssetField; [param: string]: unknown } }>;
}

const count = { id: '1', type: 'count', schema: 'metric', params: {} };
const terms = (id: string, field: AssetField, size: number, schema = 'segment') => ({
  id,
  type: 'terms',
  schema,
  params: { field, size, order: 'desc', orderBy: '1' },
});

export const PANELS: Panel[] = [
  {
    id: 'cable-ingest-vis-over-time',
    title: 'Cables per month by classification',
    view: CABLES_VIEW,
    visType: 'histogram',
    aggs: [
      count,
      {
        id: '2',
        type: 'date_histogram',
        schema: 'segment',
        params: { field: 'sent_at', interval: 'M', min_doc_count: 1 },
      },
      terms('3', 'classification', 6, 'group'),
    ],
  },
  {
    id: 'cable-ingest-vis-top-origins',
    title: 'Top sending posts',
    view: CABLES_VIEW,
    visType: 'horizontal_bar',
    aggs: [count, terms('2', 'origin', 20)],
  },
  {
    id: 'cable-ingest-vis-subject-tags',
    title: 'TAGS: subjects',
    view: CABLES_VIEW,
    visType: 'horizontal_bar',
    aggs: [count, terms('2', 'tag_facets.subject', 25)],
  },
  {
    id: 'cable-ingest-vis-tag-names',
    title: 'TAGS by name (subjects, programs, countries, organizations)',
    view: CABLES_VIEW,
    visType: 'horizontal_bar',
    aggs: [count, terms('2', 'tag_labels', 30)],
  },
  {
    id: 'cable-ingest-vis-geo-tags',
    title: 'TAGS: countries (ISO)',
    view: CABLES_VIEW,
    visType: 'horizontal_bar',
    aggs: [count, terms('2', 'tag_countries', 25)],
  },
  {
    id: 'cable-ingest-vis-precedence',
    title: 'Precedence',
    view: CABLES_VIEW,
    visType: 'pie',
    aggs: [count, terms('2', 'precedence', 6)],
  },
  {
    id: 'cable-ingest-vis-classification',
    title: 'Classification and caveats',
    view: CABLES_VIEW,
    visType: 'table',
    aggs: [count, terms('2', 'classification', 6, 'bucket'), terms('3', 'caveats', 10, 'bucket')],
  },
  {
    id: 'cable-ingest-vis-most-cited',
    title: 'Most cited cables (by the references of the cables in the index)',
    view: CABLES_VIEW,
    visType: 'table',
    aggs: [count, terms('2', 'references.cable_id', 25, 'bucket')],
  },
  {
    // Nested paragraph_texts cannot be aggregated by these visualizations: the per-cable list of marks can.
    id: 'cable-ingest-vis-portion-marks',
    title: 'Paragraph portion marks (cables holding a paragraph of each)',
    view: CABLES_VIEW,
    visType: 'horizontal_bar',
    aggs: [count, terms('2', 'paragraphs.portion_marks', 15)],
  },
  {
    id: 'cable-ingest-vis-dead-letter-reasons',
    title: 'Dead-letter reasons',
    view: FAILURES_VIEW,
    visType: 'pie',
    aggs: [count, terms('2', 'reason', 15)],
  },
];

/**
 * A question the aggregation-based visualizations cannot ask: they do not aggregate nested fields,
 * so paragraphs (not cables) are counted by portion mark in a Vega panel, which sends its own
 * Elasticsearch request (a nested aggregation) under the dashboard's time range and filters
 * (`%context%`). The asset test runs `request` against the real index.
 */
export interface VegaPanel {
  id: string;
  title: string;
  /** The request body Kibana sends to the cables alias (`%context%` adds the dashboard's query). */
  request: { size: 0; aggs: Record<string, unknown> };
  /** Where in the response the bars are (a terms aggregation's buckets). */
  bucketsPath: string;
  /** The fields the request aggregates. */
  fields: CableField[];
  axes: { key: string; count: string };
}

/** The alias the data view and the Vega panels name (ELASTICSEARCH_INDEX's default). */
export const CABLES_ALIAS = 'cables';

export const VEGA_PANELS: VegaPanel[] = [
  {
    id: 'cable-ingest-vis-paragraphs-by-mark',
    title: 'Paragraphs by portion mark',
    request: {
      size: 0,
      aggs: {
        paragraphs: {
          nested: { path: 'paragraph_texts' },
          aggs: { marks: { terms: { field: 'paragraph_texts.portion_mark', size: 20, missing: '(none)' } } },
        },
      },
    },
    bucketsPath: 'aggregations.paragraphs.marks.buckets',
    fields: ['paragraph_texts.portion_mark'],
    axes: { key: 'portion mark', count: 'paragraphs' },
  },
];

function vegaSpec(p: VegaPanel): string {
  return JSON.stringify(
    {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: p.title,
      data: {
        url: { '%context%': true, '%timefield%': 'sent_at', index: CABLES_ALIAS, body: p.request },
        format: { property: p.bucketsPath },
      },
      mark: 'bar',
      encoding: {
        y: { field: 'key', type: 'nominal', sort: '-x', title: p.axes.key },
        x: { field: 'doc_count', type: 'quantitative', title: p.axes.count },
        tooltip: [
          { field: 'key', type: 'nominal', title: p.axes.key },
          { field: 'doc_count', type: 'quantitative', title: p.axes.count },
        ],
      },
    },
    null,
    2,
  );
}

export const MAP_ID = 'cable-ingest-map-routes';
/** Saved searches: the KQL Kibana stores, and the Elasticsearch query it stands for (the asset test runs it). */
export const SAVED_SEARCHES: Array<{
  id: string;
  title: string;
  query: string;
  esQuery: Record<string, unknown>;
  columns: CableField[];
}> = [
  {
    id: 'cable-ingest-search-all',
    title: 'Cables: newest first',
    query: '',
    esQuery: { match_all: {} },
    columns: ['cable_id', 'origin', 'classification', 'subject'],
  },
  {
    id: 'cable-ingest-search-noforn',
    title: 'Cables: NOFORN',
    query: 'caveats : ("NOFORN" or "SBU-NOFORN")',
    esQuery: { terms: { caveats: ['NOFORN', 'SBU-NOFORN'] } },
    columns: ['cable_id', 'origin', 'classification', 'subject'],
  },
  {
    id: 'cable-ingest-search-unknown-codes',
    title: 'Cables with codes the tables do not know',
    query: 'ingest.unknown_codes : *',
    esQuery: { exists: { field: 'ingest.unknown_codes' } },
    columns: ['cable_id', 'ingest.unknown_codes'],
  },
  {
    id: 'cable-ingest-search-versions',
    title: 'Cables kept in more than one version',
    query: 'version_count > 1',
    esQuery: { range: { version_count: { gt: 1 } } },
    columns: ['cable_id', 'version_count', 'versions.source_path', 'ingest.sha256', 'ingest.source_path'],
  },
  {
    id: 'cable-ingest-search-inferred-ids',
    title: 'Cables whose id was inferred (year weighed from clues)',
    query: 'id_basis : "inferred"',
    esQuery: { term: { id_basis: 'inferred' } },
    columns: ['cable_id', 'id_basis', 'subject', 'ingest.source_path', 'version_count'],
  },
  {
    id: 'cable-ingest-search-secret-paragraphs',
    title: 'Cables holding a SECRET paragraph (S, S/NF, ...)',
    query: 'paragraph_texts:{ portion_mark : S* and not portion_mark : SBU* }',
    esQuery: {
      nested: {
        path: 'paragraph_texts',
        query: {
          bool: {
            must: [{ prefix: { 'paragraph_texts.portion_mark': 'S' } }],
            must_not: [{ prefix: { 'paragraph_texts.portion_mark': 'SBU' } }],
          },
        },
      },
    },
    columns: ['cable_id', 'classification', 'paragraphs.portion_marks', 'subject'],
  },
  {
    id: 'cable-ingest-search-citing',
    title: 'Cables that cite another cable',
    query: 'references.cable_id : *',
    esQuery: { exists: { field: 'references.cable_id' } },
    columns: ['cable_id', 'references.cable_id', 'subject'],
  },
];

/**
 * Citations both ways, as links in the cables data view (Kibana's URL field format): a cable's id
 * opens the cables that cite it; a reference's id opens the cable it names. Each link is a Discover
 * search whose KQL stands for the Elasticsearch query given beside it (the asset test runs that).
 */
export const FIELD_LINKS: Array<{
  field: CableField;
  label: string;
  kql: (value: string) => string;
  esQuery: (value: string) => Record<string, unknown>;
}> = [
  {
    field: 'cable_id',
    label: 'the cables citing it',
    kql: (v) => `references.cable_id:"${v}"`,
    esQuery: (v) => ({ term: { 'references.cable_id': v } }),
  },
  {
    field: 'references.cable_id',
    label: 'the cable',
    kql: (v) => `cable_id:"${v}"`,
    esQuery: (v) => ({ term: { cable_id: v } }),
  },
];

/** Kibana's URL format for a link: Discover on the cables view with a KQL query (rison in the hash). */
function discoverLink(kql: (value: string) => string): { id: 'url'; params: Record<string, string> } {
  return {
    id: 'url',
    params: {
      type: 'a',
      urlTemplate: `/app/discover#/?_a=(index:'${CABLES_VIEW}',query:(language:kuery,query:'${kql('{{value}}')}'))`,
      labelTemplate: '{{value}}',
    },
  };
}

/** Labels the cables data view shows for the identity fields (Kibana's `fieldAttrs`). */
const CABLE_FIELD_LABELS: Partial<Record<CableField, string>> = {
  id_basis: 'Id known by (read / inferred / content)',
  version_count: 'Versions (files of this cable)',
  'versions.sha256': 'Version: SHA-256',
  'versions.source_path': 'Version: dropped as',
  'versions.parser_version': 'Version: parser',
  'versions.id_basis': 'Version: id known by',
  'ingest.sha256': 'Chosen version: SHA-256',
};

/** A dashboard: its panels in order, two to a row; a map or a saved search takes a whole row. */
export interface Dashboard {
  id: string;
  title: string;
  description: string;
  panels: Array<{ id: string; type: 'visualization' | 'map' | 'search' }>;
}

const vis = (id: string): Dashboard['panels'][number] => ({ id, type: 'visualization' });
const search = (id: string): Dashboard['panels'][number] => ({ id, type: 'search' });

export const DASHBOARDS: Dashboard[] = [
  {
    id: 'cable-ingest-dashboard-analysts',
    title: 'Cables: for analysts',
    description:
      'What the archive holds and how it connects: cables per month by classification, who sends them, about what (TAGS by name), from where, which cables are cited most, and the paragraphs by portion mark.',
    panels: [
      vis('cable-ingest-vis-over-time'),
      vis('cable-ingest-vis-top-origins'),
      vis('cable-ingest-vis-tag-names'),
      vis('cable-ingest-vis-geo-tags'),
      { id: MAP_ID, type: 'map' },
      vis('cable-ingest-vis-most-cited'),
      vis('cable-ingest-vis-paragraphs-by-mark'),
      vis('cable-ingest-vis-classification'),
      vis('cable-ingest-vis-portion-marks'),
      search('cable-ingest-search-secret-paragraphs'),
      search('cable-ingest-search-citing'),
      search('cable-ingest-search-noforn'),
      search('cable-ingest-search-all'),
    ],
  },
  {
    id: 'cable-ingest-dashboard',
    title: 'Cables: ingest and data quality',
    description:
      'For operators: what failed and why, which codes the tables do not know, cables kept in several versions, ids inferred.',
    panels: [
      vis('cable-ingest-vis-dead-letter-reasons'),
      vis('cable-ingest-vis-precedence'),
      vis('cable-ingest-vis-subject-tags'),
      vis('cable-ingest-vis-over-time'),
      search('cable-ingest-search-unknown-codes'),
      search('cable-ingest-search-versions'),
      search('cable-ingest-search-inferred-ids'),
    ],
  },
];

function dashboard(d: Dashboard): SavedObject {
  let x = 0;
  let y = 0;
  const grid = d.panels.map((p, i) => {
    const wide = p.type !== 'visualization';
    if (wide && x !== 0) [x, y] = [0, y + 15];
    const gridData = { x, y, w: wide ? 48 : 24, h: 15, i: String(i + 1) };
    [x, y] = wide || x === 24 ? [0, y + 15] : [24, y];
    return { panelIndex: String(i + 1), gridData, embeddableConfig: {}, panelRefName: `panel_${i}` };
  });
  return {
    id: d.id,
    type: 'dashboard',
    attributes: {
      title: d.title,
      description: d.description,
      timeRestore: true,
      timeFrom: 'now-30y',
      timeTo: 'now',
      panelsJSON: JSON.stringify(grid),
      optionsJSON: JSON.stringify({ useMargins: true, hidePanelTitles: false }),
      kibanaSavedObjectMeta: searchSource(),
    },
    references: d.panels.map((p, i) => ({ id: p.id, name: `panel_${i}`, type: p.type })),
  };
}

export function buildAssets(): SavedObject[] {
  const objects: SavedObject[] = [
    {
      id: CABLES_VIEW,
      type: 'index-pattern',
      attributes: {
        title: CABLES_ALIAS,
        name: 'Cables',
        timeFieldName: 'sent_at',
        fieldAttrs: JSON.stringify(
          Object.fromEntries(Object.entries(CABLE_FIELD_LABELS).map(([f, customLabel]) => [f, { customLabel }])),
        ),
        fieldFormatMap: JSON.stringify(Object.fromEntries(FIELD_LINKS.map((l) => [l.field, discoverLink(l.kql)]))),
      },
      references: [],
    },
    {
      id: FAILURES_VIEW,
      type: 'index-pattern',
      attributes: { title: 'cables-failures', name: 'Cable failures (dead-letter)', timeFieldName: 'dead_lettered_at' },
      references: [],
    },
  ];
  for (const s of SAVED_SEARCHES) {
    objects.push({
      id: s.id,
      type: 'search',
      attributes: {
        title: s.title,
        columns: s.columns,
        sort: [['sent_at', 'desc']],
        kibanaSavedObjectMeta: searchSource(s.query),
      },
      references: viewRef(CABLES_VIEW),
    });
  }
  for (const p of PANELS) {
    objects.push({
      id: p.id,
      type: 'visualization',
      attributes: {
        title: p.title,
        visState: JSON.stringify({
          title: p.title,
          type: p.visType,
          aggs: p.aggs,
          params: { addLegend: true, addTooltip: true },
        }),
        uiStateJSON: '{}',
        description: '',
        kibanaSavedObjectMeta: searchSource(),
      },
      references: viewRef(p.view),
    });
  }
  objects.push({
    id: MAP_ID,
    type: 'map',
    attributes: {
      title: 'Sending posts and routes to addressees',
      description:
        'Where cables were sent from, and lines from sender to each addressee (from.location -> to.location).',
      mapStateJSON: JSON.stringify({
        zoom: 1.5,
        center: { lon: 20, lat: 25 },
        timeFilters: { from: 'now-30y', to: 'now' },
        refreshConfig: { isPaused: true, interval: 0 },
        query: { query: '', language: 'kuery' },
        filters: [],
      }),
      layerListJSON: JSON.stringify([
        {
          id: 'basemap',
          type: 'EMS_VECTOR_TILE',
          sourceDescriptor: { type: 'EMS_TMS', isAutoSelect: true },
          visible: true,
          alpha: 1,
        },
        {
          id: 'routes',
          label: 'Sender to addressee',
          type: 'GEOJSON_VECTOR',
          sourceDescriptor: {
            type: 'ES_PEW_PEW',
            id: 'routes-source',
            indexPatternRefName: 'layer_1_source_index_pattern',
            sourceGeoField: 'from.location',
            destGeoField: 'to.location',
            metrics: [{ type: 'count' }],
            applyGlobalQuery: true,
          },
          style: {
            type: 'VECTOR',
            properties: {
              lineColor: { type: 'STATIC', options: { color: '#54B399' } },
              lineWidth: { type: 'STATIC', options: { size: 1 } },
            },
          },
          visible: true,
          alpha: 0.6,
        },
        {
          id: 'senders',
          label: 'Sending posts',
          type: 'GEOJSON_VECTOR',
          sourceDescriptor: {
            type: 'ES_SEARCH',
            id: 'senders-source',
            indexPatternRefName: 'layer_2_source_index_pattern',
            geoField: 'from.location',
            scalingType: 'CLUSTERS',
            tooltipProperties: ['origin', 'cable_id', 'subject'],
          },
          style: { type: 'VECTOR', properties: { fillColor: { type: 'STATIC', options: { color: '#E7664C' } } } },
          visible: true,
          alpha: 0.9,
        },
      ]),
      uiStateJSON: JSON.stringify({ isLayerTOCOpen: true, openTOCDetails: [] }),
    },
    references: [
      { id: CABLES_VIEW, name: 'layer_1_source_index_pattern', type: 'index-pattern' },
      { id: CABLES_VIEW, name: 'layer_2_source_index_pattern', type: 'index-pattern' },
    ],
  });
  for (const p of VEGA_PANELS) {
    objects.push({
      id: p.id,
      type: 'visualization',
      attributes: {
        title: p.title,
        visState: JSON.stringify({ title: p.title, type: 'vega', aggs: [], params: { spec: vegaSpec(p) } }),
        uiStateJSON: '{}',
        description: '',
        kibanaSavedObjectMeta: searchSource(),
      },
      references: [],
    });
  }
  for (const d of DASHBOARDS) objects.push(dashboard(d));
  return objects;
}

export function toNdjson(objects: SavedObject[]): string {
  return objects.map((o) => JSON.stringify(o)).join('\n') + '\n';
}

/** Every field the assets use, with the kind of use Kibana makes of it. */
export function fieldsUsed(): Array<{ view: string; field: AssetField; use: 'aggregate' | 'time' | 'geo' | 'search' }> {
  const out: Array<{ view: string; field: AssetField; use: 'aggregate' | 'time' | 'geo' | 'search' }> = [
    { view: CABLES_VIEW, field: 'sent_at', use: 'time' },
    { view: FAILURES_VIEW, field: 'dead_lettered_at', use: 'time' },
    { view: CABLES_VIEW, field: 'from.location', use: 'geo' },
    { view: CABLES_VIEW, field: 'to.location', use: 'geo' },
  ];
  for (const p of PANELS)
    for (const a of p.aggs)
      if (a.params.field !== undefined) out.push({ view: p.view, field: a.params.field, use: 'aggregate' });
  for (const p of VEGA_PANELS) for (const f of p.fields) out.push({ view: CABLES_VIEW, field: f, use: 'aggregate' });
  for (const s of SAVED_SEARCHES) for (const c of s.columns) out.push({ view: CABLES_VIEW, field: c, use: 'search' });
  for (const f of ['origin', 'cable_id', 'subject'] as const) out.push({ view: CABLES_VIEW, field: f, use: 'search' });
  for (const f of Object.keys(CABLE_FIELD_LABELS) as CableField[])
    out.push({ view: CABLES_VIEW, field: f, use: 'search' });
  out.push(
    { view: CABLES_VIEW, field: 'version_count', use: 'aggregate' },
    { view: CABLES_VIEW, field: 'id_basis', use: 'aggregate' },
  );
  return out;
}
