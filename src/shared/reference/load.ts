import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import * as z from 'zod';
import { REFERENCE_DIR } from '../paths.js';
import { normalisePla, placeOfPla } from '../cable-identity.js';
import type { GeoTag, Post, ReferenceData, SubjectTag } from './types.js';

const SHARED_RIS = ['RHMFISS', 'RHMFIUU', 'RHMCSUU', 'RUEKJCS', 'RUEHC', 'RUEAUSA', 'RHEHAAA'];

const optionalNumber = z
  .string()
  .transform((s) => (s.trim() === '' ? null : Number(s)))
  .refine((n) => n === null || Number.isFinite(n), 'not a number');

const PostRow = z.object({
  ri: z.string().transform((s) => (s.trim() === '' ? null : s.trim())),
  pla: z.string().min(1),
  post_type: z.string(),
  city: z.string(),
  country: z.string(),
  iso2: z.string(),
  lat: optionalNumber,
  lon: optionalNumber,
});
const SubjectRow = z.object({ code: z.string().min(2), meaning: z.string(), category: z.string() });
const GeoRow = z.object({ code: z.string().min(1), name: z.string(), iso2: z.string(), kind: z.string() });

function readCsv(name: string, dir: string): Array<Record<string, string>> {
  return parse(readFileSync(join(dir, name), 'utf8'), { columns: true, skip_empty_lines: true, trim: true });
}

function rows<T>(name: string, dir: string, schema: z.ZodType<T>): T[] {
  return readCsv(name, dir).map((row, i) => {
    const r = schema.safeParse(row);
    if (!r.success) throw new Error(`reference/${name} row ${i + 2}: ${z.prettifyError(r.error)}`);
    return r.data;
  });
}

/** Read reference/*.csv once. Rows list the current post first and aliases after: first row wins. */
export function loadReferenceData(dir: string = REFERENCE_DIR): ReferenceData {
  const byRiAndPla = new Map<string, Post>();
  const byPla = new Map<string, Post>();
  const byRi = new Map<string, Post>();
  const byStation = new Map<string, Post>();
  for (const r of rows('routing-indicators.csv', dir, PostRow)) {
    const post: Post = {
      ri: r.ri,
      pla: r.pla,
      type: r.post_type || 'other',
      city: r.city || null,
      country: r.country || null,
      countryCode: r.iso2 || null,
      location: r.lat !== null && r.lon !== null ? { lat: r.lat, lon: r.lon } : null,
    };
    const pla = normalisePla(r.pla);
    if (r.ri && !byRiAndPla.has(`${r.ri}|${pla}`)) byRiAndPla.set(`${r.ri}|${pla}`, post);
    if (!byPla.has(pla)) byPla.set(pla, post);
    if (r.ri && !byRi.has(r.ri)) byRi.set(r.ri, post);
    const station = placeOfPla(r.pla);
    if (station && !byStation.has(station) && post.type !== 'agency' && post.type !== 'military') byStation.set(station, post);
  }
  const subjectTags = new Map<string, SubjectTag>();
  for (const r of rows('tags-subject.csv', dir, SubjectRow)) {
    if (!subjectTags.has(r.code)) subjectTags.set(r.code, { code: r.code, meaning: r.meaning, category: r.category.replace(/\s*\(legacy\)$/, '') });
  }
  const geoTags = new Map<string, GeoTag>();
  for (const r of rows('tags-geo.csv', dir, GeoRow)) {
    const kind = r.kind === 'organization' || r.kind === 'region' ? r.kind : 'country';
    if (!geoTags.has(r.code)) geoTags.set(r.code, { code: r.code, name: r.name, iso2: /^[A-Z]{2}$/.test(r.iso2) ? r.iso2 : null, kind });
  }
  const knownTags = new Set<string>([...subjectTags.keys(), ...geoTags.keys()]);
  // Ids keep a mission's own name (USUNNEWYORK, USEUBRUSSELS, UNVIEVIENNA) beside the plain city.
  const stations = new Set<string>(['STATE', 'SECDEF', 'USUNNEWYORK', 'USEUBRUSSELS', 'UNVIEVIENNA', 'USNATO', 'USOSCE', 'UNESCOPARISFR', 'RPODUBAI', 'AITTAIPEI', 'PARTO', 'SECTO', 'USDAFAS', 'USCBP', 'USDOC']);
  for (const s of byStation.keys()) stations.add(s);
  return Object.freeze({
    byRiAndPla,
    byPla,
    byRi,
    byStation,
    sharedRis: new Set(SHARED_RIS),
    subjectTags,
    geoTags,
    knownTags,
    stations,
  });
}
