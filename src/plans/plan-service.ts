import { InputError, type PlanLimitError } from '../errors.ts';
import { diffRequests, diffSpecs } from '../core/field-changes.ts';
import { parsePlanRequest, type PlanRequest } from '../core/plan-request.ts';
import type { PlanStrategyName } from '../core/plan-types.ts';
import type { Language } from '../prompts/section-keys.ts';
import type { PromptLibrary } from '../prompts/load-prompts.ts';
import { readSpec } from '../grounding/read-spec.ts';
import { DEFAULT_SPEC_FETCH_TIMEOUT_MS, type SpecFetchSettings } from '../grounding/spec-fetch-settings.ts';
import { revisionSpecOf, specSourceLabel, type RevisionSpec, type SpecSource } from '../store/api-specs.ts';
import type { Database, Queryable } from '../store/database.ts';
import type { ConversationRef } from '../store/message-refs.ts';
import type { CreatedRevision, Platform } from '../store/plan-records.ts';
import { idempotent, type PlanStore } from '../store/plan-store.ts';
import { SHARED_TEXTS } from '../render/shared-texts.ts';
import type { PlanLimits } from './plan-limits.ts';
import { PLAN_QUEUES, type PlanQueue } from './plan-queue.ts';

/** An API spec given with a plan or a re-run: where it came from and its bytes as received. */
export interface SpecUpload {
  readonly source: SpecSource;
  readonly bytes: Uint8Array;
}

export interface Submission {
  readonly workspaceId: string;
  readonly platform: Platform;
  readonly requestedBy: string;
  /** Platform-prefixed and unique per user action (Slack view id, Teams activity id …). */
  readonly idempotencyKey: string;
  /** Where the plan was asked for: its first revision posts there. */
  readonly origin?: ConversationRef;
  /** Overrides PLAN_STRATEGY for this plan (the CLI's --strategy). */
  readonly strategy?: PlanStrategyName;
  /** The target API's OpenAPI document: the plan is grounded in it. */
  readonly spec?: SpecUpload | undefined;
}

export interface RerunInput {
  readonly workspaceId: string;
  readonly planNumber: number;
  /** Raw form values to change (typically calls per second and data volume). */
  readonly changes: Readonly<Record<string, unknown>>;
  readonly requestedBy: string;
  readonly idempotencyKey: string;
  /** For error messages; the revision keeps its own language unless `changes.language` says otherwise. */
  readonly language: Language;
  /** A new spec for this revision; without one it keeps the previous revision's. */
  readonly spec?: SpecUpload | undefined;
}

/** A new plan from a chat platform, taken at the door: the plan is created by a worker. */
export interface Acceptance {
  readonly workspaceId: string;
  readonly platform: 'slack' | 'teams';
  readonly requestedBy: string;
  readonly idempotencyKey: string;
  readonly origin: ConversationRef;
}

export interface PlanService {
  submit(request: PlanRequest, submission: Submission): Promise<CreatedRevision>;
  /**
   * Takes a new plan without waiting for anything a burst of plans would queue behind (the
   * workspace's plan number, the limits' lock): the limits are read, the submission is stored as
   * a job, and a worker then creates the plan through `submit` (the same key makes one plan).
   * Throws the PlanLimitError a plan would hit now.
   */
  accept(request: PlanRequest, acceptance: Acceptance): Promise<void>;
  /** The next revision of a plan with changed inputs; undefined when the workspace has no such plan. */
  rerun(input: RerunInput): Promise<CreatedRevision | undefined>;
  /** The plan limit a new plan of this user would break now (said before the form opens); submit and rerun throw it. */
  limitFor(workspaceId: string, userId: string): Promise<PlanLimitError | undefined>;
  /** How specs given by URL or as a platform's file are downloaded (SPEC_FETCH_*). */
  readonly specFetch: SpecFetchSettings;
}

export interface PlanServiceDeps {
  readonly db: Database;
  readonly store: PlanStore;
  readonly queue: PlanQueue;
  readonly prompts: PromptLibrary;
  readonly model: { readonly provider: string; readonly model: string };
  readonly strategy: PlanStrategyName;
  /** Per-user and per-workspace plan limits for chat platforms (the CLI is never limited). */
  readonly limits?: PlanLimits | undefined;
  /** Told of every refusal by a limit (metrics). */
  readonly onLimit?: ((error: PlanLimitError) => void) | undefined;
  /** Default: no allow-listed hosts, DEFAULT_SPEC_FETCH_TIMEOUT_MS. */
  readonly specFetch?: SpecFetchSettings | undefined;
}

const queueOf = (platform: Platform) => (platform === 'cli' ? PLAN_QUEUES.local : PLAN_QUEUES.chat);

/** What every new revision records besides its request: prompt, model, strategy, who and which key. */
function revisionFields(
  deps: PlanServiceDeps,
  request: PlanRequest,
  submission: { requestedBy: string; idempotencyKey: string; strategy?: PlanStrategyName },
) {
  const prompt = deps.prompts.plan(request.language);
  return {
    request,
    strategy: submission.strategy ?? deps.strategy,
    prompt: { id: prompt.id, version: prompt.version, hash: prompt.hash },
    provider: deps.model.provider,
    model: deps.model.model,
    requestedBy: submission.requestedBy,
    idempotencyKey: submission.idempotencyKey,
  };
}

/**
 * Writes a new revision and its job in one transaction under the caller's idempotency key. A
 * repeated key is answered with what it made (never limited), also when a concurrent transaction
 * with the same key won; a new plan beyond a limit throws PlanLimitError and nothing is written.
 */
function saveAndQueue<Made extends CreatedRevision | undefined>(
  deps: PlanServiceDeps,
  platform: Platform,
  who: { workspaceId: string; requestedBy: string; idempotencyKey: string },
  make: (tx: Queryable) => Promise<Made>,
): Promise<Made | CreatedRevision> {
  const { workspaceId, idempotencyKey } = who;
  return idempotent(
    deps.db,
    async (tx) => {
      if (deps.limits !== undefined && platform !== 'cli') {
        await deps.limits.lock(tx, workspaceId);
        const seen = await deps.store.findByIdempotencyKey(workspaceId, idempotencyKey, tx);
        if (seen !== undefined) return seen;
        const limited = await deps.limits.check(tx, workspaceId, who.requestedBy);
        if (limited !== undefined) {
          deps.onLimit?.(limited);
          throw limited;
        }
      }
      const made = await make(tx);
      if (made?.created === true) {
        await deps.queue.send(tx, queueOf(made.plan.platform), { workspaceId, revisionId: made.revision.id });
      }
      return made;
    },
    async () => {
      const found = await deps.store.findByIdempotencyKey(workspaceId, idempotencyKey);
      if (found === undefined) throw new Error(`idempotency key ${idempotencyKey} vanished`);
      return found;
    },
  );
}

/** Reads an uploaded spec before anything is written: a SpecError says what is wrong with it. */
function readUpload(upload: SpecUpload | undefined): { spec: RevisionSpec; bytes: Uint8Array } | undefined {
  if (upload === undefined) return undefined;
  const document = readSpec(upload.bytes, specSourceLabel(upload.source));
  return { spec: revisionSpecOf(upload.source, document), bytes: upload.bytes };
}

/** Keeps an uploaded spec's bytes in the revision's transaction (once per workspace and content). */
async function saveUpload(
  deps: PlanServiceDeps,
  tx: Queryable,
  workspaceId: string,
  upload: ReturnType<typeof readUpload>,
) {
  if (upload !== undefined) await deps.store.saveSpecBody(tx, workspaceId, upload.spec.sha256, upload.bytes);
}

function submitPlan(deps: PlanServiceDeps, request: PlanRequest, submission: Submission): Promise<CreatedRevision> {
  const { workspaceId, platform, origin } = submission;
  const upload = readUpload(submission.spec);
  return saveAndQueue(deps, platform, submission, async (tx) => {
    await saveUpload(deps, tx, workspaceId, upload);
    const fields = revisionFields(deps, request, submission);
    return deps.store.createPlan(tx, { ...fields, workspaceId, platform, origin, spec: upload?.spec });
  });
}

async function rerunPlan(deps: PlanServiceDeps, input: RerunInput): Promise<CreatedRevision | undefined> {
  const { store } = deps;
  const { workspaceId } = input;
  // A repeated key (double click, platform retry) is answered before comparing inputs: by
  // then its own revision is the latest, and "nothing changed" would be the wrong answer.
  const seen = await store.findByIdempotencyKey(workspaceId, input.idempotencyKey);
  if (seen !== undefined) return seen;
  const latest = await store.getRevision(workspaceId, input.planNumber);
  if (latest === undefined) return undefined;
  const plan = await store.findPlan(workspaceId, input.planNumber);
  const request = parsePlanRequest({ ...latest.request, ...input.changes }, input.language);
  const upload = readUpload(input.spec);
  const spec = upload?.spec ?? latest.spec;
  const changes = [...diffRequests(latest.request, request), ...diffSpecs(latest.spec, spec)];
  if (changes.length === 0) {
    throw new InputError([{ field: 'callsPerSecond', message: SHARED_TEXTS[input.language].nothingChanged }]);
  }
  return saveAndQueue(deps, plan?.platform ?? 'cli', input, async (tx) => {
    await saveUpload(deps, tx, workspaceId, upload);
    return store.createRevision(tx, workspaceId, input.planNumber, {
      ...revisionFields(deps, request, input),
      changes,
      spec,
    });
  });
}

/** Submitting and re-running plans, the same for every platform; a double submit or a retry makes one plan. */
export function createPlanService(deps: PlanServiceDeps): PlanService {
  return {
    async submit(request, submission) {
      const made = await submitPlan(deps, request, submission);
      if (made.created && submission.platform !== 'cli') deps.queue.wake('plan');
      return made;
    },
    async accept(request, acceptance) {
      const { workspaceId, requestedBy, idempotencyKey } = acceptance;
      const limited =
        deps.limits === undefined ? undefined : await deps.limits.check(deps.db, workspaceId, requestedBy);
      if (limited !== undefined) {
        // A repeated submission (a platform retry) of a plan already made is neither new nor refused.
        if ((await deps.store.findByIdempotencyKey(workspaceId, idempotencyKey)) !== undefined) return;
        deps.onLimit?.(limited);
        throw limited;
      }
      // A repeated key within the limits is stored again; the worker's submit makes no second plan of it.
      await deps.queue.takeSide('submission', { ...acceptance, request });
      deps.queue.wake('submission');
    },
    async rerun(input) {
      const made = await rerunPlan(deps, input);
      if (made?.created === true && made.plan.platform !== 'cli') deps.queue.wake('plan');
      return made;
    },
    async limitFor(workspaceId, userId) {
      return deps.limits === undefined ? undefined : deps.limits.check(deps.db, workspaceId, userId);
    },
    specFetch: deps.specFetch ?? { allowHosts: [], timeoutMs: DEFAULT_SPEC_FETCH_TIMEOUT_MS },
  };
}
