import type { ReferenceData } from '#shared/reference/types.js';
import type { CableDocument } from '#shared/stages.js';

/**
 * TAGS split into facets with labels and ISO country codes. Subject codes whose category is
 * `program` (the K-codes) form their own facet; geographic codes map FIPS-style to ISO 3166;
 * person tags are names (`CLINTON, HILLARY`); anything unknown is kept under `other`.
 */
export function tagFacets(
  ref: ReferenceData,
  tags: readonly string[],
): { facets: CableDocument['tag_facets']; labels: string[]; countries: string[]; unknown: string[] } {
  const facets: CableDocument['tag_facets'] = {
    subject: [],
    program: [],
    geographic: [],
    organization: [],
    person: [],
    other: [],
  };
  const labels: string[] = [];
  const countries: string[] = [];
  const unknown: string[] = [];
  let afterOvip = false;
  for (const tag of tags) {
    const subject = ref.subjectTags.get(tag);
    const geo = ref.geoTags.get(tag);
    if (subject) {
      (subject.category === 'program' ? facets.program : facets.subject).push(tag);
      labels.push(subject.meaning);
    } else if (geo) {
      if (geo.kind === 'organization') facets.organization.push(tag);
      else facets.geographic.push(tag);
      labels.push(geo.name);
      if (geo.iso2 && !countries.includes(geo.iso2)) countries.push(geo.iso2);
    } else if (tag.includes(',') || (afterOvip && /^[A-Z][A-Z' -]+$/.test(tag) && tag.length > 4)) {
      facets.person.push(tag);
    } else {
      facets.other.push(tag);
      unknown.push(`tag:${tag}`);
    }
    afterOvip = tag === 'OVIP';
  }
  return { facets, labels, countries, unknown };
}
