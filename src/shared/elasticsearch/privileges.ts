/**
 * The least privileges cable-ingest needs, as an Elasticsearch role descriptor: what an API key is
 * made with (`POST /_security/api_key` with `role_descriptors`) or a role is defined as. One
 * declaration, printed by `cable-ingest es role` and used as it is by the tests' secured node.
 *   cluster  monitor: the health the readiness check and `status` read;
 *            manage_index_templates: the index templates `es setup` and the workers put;
 *   indices  on `<alias>*` (the alias, its versioned indices `<alias>-vN` and the failures index
 *            `<alias>-failures-vN`): manage (create them, put the mapping, move the alias, refresh
 *            for `reprocess`), write (the bulk writes), read (the versions merge, `reprocess`).
 */
export interface RoleDescriptor {
  cluster: string[];
  indices: Array<{ names: string[]; privileges: string[] }>;
}

export function writerRole(alias: string): RoleDescriptor {
  return {
    cluster: ['monitor', 'manage_index_templates'],
    indices: [{ names: [`${alias}*`], privileges: ['manage', 'write', 'read'] }],
  };
}
