import type { PlanEvent } from '../core/plan-types.ts';
import type { ParentState } from '../render/plan-facts.ts';
import type { ChatMessageRef, MessageRef } from '../store/message-refs.ts';
import type { RevisionRecord, SectionRecord } from '../store/plan-records.ts';
import type { DeliveryTarget, SectionOutline } from './plan-delivery.ts';

/** A section as the thread shows it: the stored section and the footer naming what it misses. */
export interface ThreadSection {
  readonly section: SectionRecord;
  /** "Still missing: …", in the revision's language; absent when the section covers its checklist. */
  readonly footer: string | undefined;
}

/** How one platform draws the plan thread's messages (Block Kit, Adaptive Cards); the thread never looks inside. */
export interface ThreadRenderer<Payload> {
  /** The revision's parent: inputs, what changed, its state, and (when done) its actions. */
  parent(target: DeliveryTarget, revision: RevisionRecord, state: ParentState): Payload;
  placeholder(target: DeliveryTarget, section: SectionOutline): Payload;
  /** A section: the first message replaces its placeholder, the others are continuations. */
  section(target: DeliveryTarget, section: ThreadSection): Payload[];
  /** A re-run's "what changed" (model-written Markdown, neutralised by the renderer). */
  changes(target: DeliveryTarget, summary: string): Payload;
  /** The notice that the revision failed, with the fixed text for its error. */
  failure(target: DeliveryTarget, message: string): Payload;
}

/** The per-platform part of the plan thread: where a revision's parent goes, how to post into and update a thread. */
export interface ThreadPoster<Payload, Ref extends ChatMessageRef = ChatMessageRef> {
  readonly render: ThreadRenderer<Payload>;
  /**
   * Posts the parent, without placeholders: revision 1 where the plan was asked for (or, where the
   * platform cannot post there, somewhere the requester sees it), later ones in the plan's thread.
   */
  postParent(target: DeliveryTarget, payload: Payload): Promise<Ref>;
  /** Posts a reply in the parent's thread; its message id. */
  reply(parent: Ref, payload: Payload): Promise<string>;
  /** Replaces a message of the parent's thread (the parent itself, a placeholder). */
  update(parent: Ref, messageId: string, payload: Payload): Promise<void>;
  /** The reference of a message posted in the parent's thread. */
  messageRef(parent: Ref, messageId: string): MessageRef;
  /** Parses the stored parent reference: undefined when it is another platform's. */
  ownRef(ref: MessageRef | undefined): Ref | undefined;
  /** A failure before any parent was posted: tells the requester some other way. */
  notifyUnthreaded(target: DeliveryTarget, message: string): Promise<void>;
  /**
   * The platform's own progress display (Slack's plan display), started after the parent instead
   * of placeholders: its message id, or undefined where the platform refuses it (placeholders then).
   * Sections are then posted in plan order as replies.
   */
  openProgress?(parent: Ref, target: DeliveryTarget, outline: readonly SectionOutline[]): Promise<string | undefined>;
  /** Ends the progress display: every task complete, or `failure` said. Best effort, must not throw. */
  closeProgress?(target: DeliveryTarget, failure: string | undefined): Promise<void>;
  /** While the model writes (streamed text, retries): best effort, must not throw. */
  progress?(parent: Ref, target: DeliveryTarget, event: PlanEvent): void;
  /** After the parent, each section and the end: a chat's "typing…" renewed; must not throw. */
  stillWriting?(parent: Ref): Promise<void>;
  /** The revision is over (done or failed): drop what was kept for it. */
  release?(target: DeliveryTarget): void;
}
