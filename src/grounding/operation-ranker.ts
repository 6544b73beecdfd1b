import { descriptionOf, listOperations } from './operations.ts';
import type { SpecDocument } from './read-spec.ts';
import { cleanText } from './untrusted-text.ts';

/** One line of the compact index a model picks from. `id` is the operation's key, "POST /v1/refunds". */
export interface OperationIndexEntry {
  readonly id: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tags: readonly string[];
  /** The description's beginning: ranked with low weight, not shown in the rendered index. */
  readonly description: string;
}

/**
 * The model picker's port (implemented with the model client where the plan runs): given the
 * index and the use case in any language, the ids of the most relevant operations, best first.
 */
export type OperationPicker = (index: readonly OperationIndexEntry[], useCase: string) => Promise<readonly string[]>;

export const DEFAULT_RELEVANT_OPERATIONS = 30;
const INDEX_SUMMARY_CHARS = 80;
const DESCRIPTION_CHARS = 400;

/** The spec's operations as index entries, in document order. */
export function operationIndex(doc: SpecDocument): readonly OperationIndexEntry[] {
  return listOperations(doc).map((op) => ({
    id: op.key,
    operationId: op.operationId,
    summary: cleanText(op.summary, INDEX_SUMMARY_CHARS),
    tags: op.tags,
    description: descriptionOf(op.operation, DESCRIPTION_CHARS),
  }));
}

/** Whether an operation id only repeats what method, path, summary and tags say ("PostRefunds"). */
function saysMore(entry: OperationIndexEntry): boolean {
  const known = new Set(tokens(`${entry.id} ${entry.summary} ${entry.tags.join(' ')}`));
  return tokens(entry.operationId).some((word) => !known.has(word));
}

/**
 * The index as the model reads it, kept small (a few tokens per operation): operations grouped
 * under `# tag` lines in order of first appearance, one per line as "POST /v1/refunds | Create a
 * refund.", the operation id inserted only where it says more than the rest.
 */
export function renderOperationIndex(index: readonly OperationIndexEntry[]): string {
  const groups = new Map<string, OperationIndexEntry[]>();
  for (const entry of index) {
    const tag = entry.tags[0] ?? '';
    groups.set(tag, [...(groups.get(tag) ?? []), entry]);
  }
  const lines: string[] = [];
  for (const [tag, entries] of groups) {
    if (tag !== '') lines.push(`# ${tag}`);
    for (const entry of entries) {
      const fields = [entry.id, saysMore(entry) ? entry.operationId : '', entry.summary].filter(
        (field) => field !== '',
      );
      lines.push(fields.join(' | '));
    }
  }
  return lines.join('\n');
}

const STOPWORDS = new Set(
  'a an and are as at be by can do for from get how in into is it its of on or our the their them then this to use we with you your api apis via all any each new'.split(
    ' ',
  ),
);

/** Light stemming, enough for English plurals and verb forms: "refunds", "refunded" → "refund". */
export function stem(token: string): string {
  let word = token;
  if (word.length > 4 && word.endsWith('ies')) word = `${word.slice(0, -3)}y`;
  else if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) word = word.slice(0, -1);
  for (const suffix of ['ing', 'ed'])
    if (word.length > suffix.length + 3 && word.endsWith(suffix)) word = word.slice(0, -suffix.length);
  if (word.length > 3 && word.endsWith('e')) word = word.slice(0, -1);
  return word;
}

/** Words of a path, identifier or sentence: camelCase, snake_case, kebab-case and `/{x}` split. */
export function tokens(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 1 && !/^\d+$/.test(word) && !STOPWORDS.has(word))
    .map(stem);
}

/** Path and operation id say what an operation is; tags group it; a summary is wordier. */
const FIELD_WEIGHTS = { resource: 3, path: 2, operationId: 2, tags: 1.5, summary: 1 } as const;
const DESCRIPTION_WEIGHT = 0.3;
const MAX_MENTIONS = 3;

/** The path's first segment after a version prefix: `payment_intents` in `/v1/payment_intents/{intent}`. */
function primaryResource(path: string): string {
  const segments = path.split('/').filter((segment) => segment !== '' && !segment.startsWith('{'));
  const [first, second] = segments;
  return (first !== undefined && /^(v\d+(\.\d+)?|api|rest|\d{4}-\d{2}(-\d{2})?)$/i.test(first) ? second : first) ?? '';
}

function termWeights(entry: OperationIndexEntry): Map<string, number> {
  const weights = new Map<string, number>();
  const path = entry.id.slice(entry.id.indexOf(' ') + 1);
  const fields: readonly (readonly [keyof typeof FIELD_WEIGHTS, string])[] = [
    ['resource', primaryResource(path)],
    ['path', path],
    ['operationId', entry.operationId],
    ['tags', entry.tags.join(' ')],
    ['summary', entry.summary],
  ];
  for (const [field, text] of fields)
    for (const term of tokens(text)) weights.set(term, Math.max(weights.get(term) ?? 0, FIELD_WEIGHTS[field]));
  // A description mentions many things once; a word it repeats is what the operation is about.
  const mentions = new Map<string, number>();
  for (const term of tokens(entry.description)) mentions.set(term, (mentions.get(term) ?? 0) + 1);
  for (const [term, count] of mentions)
    weights.set(term, (weights.get(term) ?? 0) + DESCRIPTION_WEIGHT * Math.min(count, MAX_MENTIONS));
  return weights;
}

interface Scored {
  readonly entry: OperationIndexEntry;
  readonly weights: ReadonlyMap<string, number>;
  readonly score: number;
}

function scoreAll(index: readonly OperationIndexEntry[], query: readonly string[]): Scored[] {
  const documents = index.map((entry) => ({ entry, weights: termWeights(entry) }));
  const idf = new Map(
    query.map((term) => {
      const frequency = documents.filter((document) => document.weights.has(term)).length;
      return [term, frequency === 0 ? 0 : Math.log(1 + index.length / frequency)];
    }),
  );
  return documents
    .map(({ entry, weights }) => ({
      entry,
      weights,
      score: query.reduce((sum, term) => sum + (weights.get(term) ?? 0) * (idf.get(term) ?? 0), 0),
    }))
    .filter((scored) => scored.score > 0)
    .sort((a, b) => b.score - a.score || a.entry.id.length - b.entry.id.length);
}

/**
 * The fallback when no model picks: operations ranked by the use case's words, IDF-weighted (so
 * "refund" counts more than "customer" in Stripe's spec), only those that match at all. A use
 * case names several things ("collect card payments and refund them"): the ranking takes turns
 * between its words, each word's best operations first (those naming it in their path or id,
 * its own resource first: `/v1/refunds` before `/v1/charges/{charge}/refunds`), so one frequent word cannot crowd out the others. English only in effect: a German
 * use case shares few words with an English spec (that is the model picker's job).
 */
export function rankOperationsLexically(
  index: readonly OperationIndexEntry[],
  useCase: string,
  limit = DEFAULT_RELEVANT_OPERATIONS,
): string[] {
  const query = [...new Set(tokens(useCase))];
  const scored = scoreAll(index, query);
  const perTerm = query
    .map((term) => {
      const weight = (item: Scored) => Math.floor(item.weights.get(term) ?? 0);
      // Stable sort: within one weight, the overall score's order stays.
      return scored.filter((item) => weight(item) >= FIELD_WEIGHTS.path).sort((a, b) => weight(b) - weight(a));
    })
    .filter((list) => list.length > 0);
  const chosen = new Set<string>();
  for (let round = 0; chosen.size < limit && perTerm.some((list) => list.length > round); round++)
    for (const list of perTerm) {
      const id = list[round]?.entry.id;
      if (id !== undefined && chosen.size < limit) chosen.add(id);
    }
  for (const item of scored) if (chosen.size < limit) chosen.add(item.entry.id);
  return [...chosen];
}

/** Which operations a plan's facts show, and who chose them (for the logs). */
export interface RelevantOperations {
  readonly ids: readonly string[];
  readonly chosenBy: 'model' | 'lexical';
  /** Why the model's choice was not used, when it was not. */
  readonly pickerProblem: unknown;
}

/**
 * The model picks when a picker is given; its answer is checked against the index (invented ids
 * dropped). When it fails or picks nothing that exists, the lexical ranking decides.
 */
export async function chooseRelevantOperations(
  doc: SpecDocument,
  useCase: string,
  options: { readonly picker?: OperationPicker; readonly limit?: number } = {},
): Promise<RelevantOperations> {
  const index = operationIndex(doc);
  const limit = options.limit ?? DEFAULT_RELEVANT_OPERATIONS;
  let pickerProblem: unknown = undefined;
  if (options.picker) {
    try {
      const known = new Set(index.map((entry) => entry.id));
      const picked = [...new Set(await options.picker(index, useCase))].filter((id) => known.has(id)).slice(0, limit);
      if (picked.length > 0) return { ids: picked, chosenBy: 'model', pickerProblem };
      pickerProblem = new Error('the picker chose no operation of the spec');
    } catch (error) {
      pickerProblem = error;
    }
  }
  return { ids: rankOperationsLexically(index, useCase, limit), chosenBy: 'lexical', pickerProblem };
}
