import { z } from 'zod';
import type { Database, Queryable } from './database.ts';
import { parseStored } from './message-refs.ts';

/** Where a spec came from: a file the person attached, a URL, or the optional catalog of public specs. */
export const specSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), name: z.string().min(1) }),
  z.object({ kind: z.literal('url'), url: z.string().min(1) }),
  z.object({ kind: z.literal('catalog'), id: z.string().min(1) }),
]);
export type SpecSource = z.infer<typeof specSourceSchema>;

/** The spec a revision was written against: its source and identity (the document is in api_specs). */
export const revisionSpecSchema = z.object({
  source: specSourceSchema,
  sha256: z.string().regex(/^[0-9a-f]{64}$/u),
  title: z.string(),
  version: z.string(),
  format: z.string(),
  operations: z.number().int().nonnegative(),
});
export type RevisionSpec = z.infer<typeof revisionSpecSchema>;

/** What a revision records of a spec it is written against: where it came from and the read document's identity. */
export function revisionSpecOf(
  source: SpecSource,
  document: { sha256: string; title: string; version: string; format: string; operationCount: number },
): RevisionSpec {
  const { sha256, title, version, format, operationCount: operations } = document;
  return { source, sha256, title, version, format, operations };
}

export const parseRevisionSpec = (value: unknown) => parseStored(revisionSpecSchema, value, 'API spec');

/** "petstore.yaml", "https://…/openapi.json", "catalog stripe.com". */
export function specSourceLabel(source: SpecSource): string {
  return source.kind === 'file' ? source.name : source.kind === 'url' ? source.url : `catalog ${source.id}`;
}

/** API spec documents by workspace and content, and the facts each revision was given. */
export interface ApiSpecStore {
  /** Keeps a spec's bytes (once per workspace and content) inside the caller's transaction. */
  saveSpecBody(tx: Queryable, workspaceId: string, sha256: string, body: Uint8Array): Promise<void>;
  readSpecBody(workspaceId: string, sha256: string): Promise<Uint8Array | undefined>;
  /** Records the facts as the model is given them; the first recorded version wins (a retried job reuses it). */
  saveSpecFacts(workspaceId: string, revisionId: string, facts: string): Promise<string>;
  /** Grounds a revision written without a spec in one found for it (the catalog); a spec it has already wins. */
  setRevisionSpec(workspaceId: string, revisionId: string, spec: RevisionSpec, body: Uint8Array): Promise<RevisionSpec>;
}

/** Keeps a spec's bytes once per workspace and content, inside the caller's transaction. */
export async function saveSpecBody(
  tx: Queryable,
  workspaceId: string,
  sha256: string,
  body: Uint8Array,
): Promise<void> {
  await tx.query(
    `INSERT INTO api_specs (workspace_id, sha256, body) VALUES ($1, $2, $3)
     ON CONFLICT (workspace_id, sha256) DO NOTHING`,
    [workspaceId, sha256, Buffer.from(body)],
  );
}

export function createApiSpecStore(db: Database): ApiSpecStore {
  return {
    saveSpecBody,
    async readSpecBody(workspaceId, sha256) {
      const [row] = await db.query<{ body: Uint8Array }>(
        'SELECT body FROM api_specs WHERE workspace_id = $1 AND sha256 = $2',
        [workspaceId, sha256],
      );
      return row === undefined ? undefined : new Uint8Array(row.body);
    },
    async saveSpecFacts(workspaceId, revisionId, facts) {
      const [row] = await db.query<{ spec_facts: string }>(
        `UPDATE plan_revisions SET spec_facts = COALESCE(spec_facts, $3)
         WHERE workspace_id = $1 AND id = $2 RETURNING spec_facts`,
        [workspaceId, revisionId, facts],
      );
      return row?.spec_facts ?? facts;
    },
    async setRevisionSpec(workspaceId, revisionId, spec, body) {
      return db.transaction(async (tx) => {
        await saveSpecBody(tx, workspaceId, spec.sha256, body);
        const [row] = await tx.query<{ spec: unknown }>(
          `UPDATE plan_revisions SET spec = COALESCE(spec, $3)
           WHERE workspace_id = $1 AND id = $2 RETURNING spec`,
          [workspaceId, revisionId, JSON.stringify(spec)],
        );
        return parseRevisionSpec(row?.spec) ?? spec;
      });
    },
  };
}
