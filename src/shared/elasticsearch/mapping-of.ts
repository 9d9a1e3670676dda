import type { GeoPoint } from '../stages.js';

/**
 * The compiler's check that an Elasticsearch mapping and a TypeScript document type describe the
 * same fields: `MAPPING satisfies MappingOf<Doc>` fails to compile when a field of the type has no
 * mapping, when a mapped field is not in the type, or when an object is mapped as a leaf (and the
 * other way round). The type is the one declaration of the document's shape; the mapping is
 * written beside it with the types Elasticsearch needs, and cannot drift from it.
 */

/** An array's element; a value that may be null is mapped as the value (Elasticsearch has no null type). */
type Field<T> = NonNullable<T extends readonly (infer E)[] ? E : T>;

type Scalar = string | number | boolean;

/** How one field of type T is mapped (an object may be `nested`: each element searched on its own). */
export type FieldMappingOf<T> =
  Field<T> extends Scalar
    ? { readonly type: string; readonly [option: string]: unknown }
    : Field<T> extends GeoPoint
      ? { readonly type: 'geo_point' }
      : { readonly type?: 'nested'; readonly properties: PropertiesOf<Field<T>> };

/** Every field of T mapped, and nothing else (the excess check of an object literal). */
export type PropertiesOf<T> = { readonly [K in keyof T]-?: FieldMappingOf<T[K]> };

export interface MappingOf<T> {
  readonly dynamic: 'strict';
  readonly properties: PropertiesOf<T>;
}

/**
 * Every dotted path of T's fields, as Kibana and queries name them (`from.location`,
 * `versions.source_path`): assets that name a field are checked against the type with it.
 */
export type FieldPath<T> = {
  [K in keyof T & string]: Field<T[K]> extends Scalar | GeoPoint ? K : K | `${K}.${FieldPath<Field<T[K]>>}`;
}[keyof T & string];
