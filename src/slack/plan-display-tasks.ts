import type { TaskUpdateChunk, URLSourceElement } from '@slack/types';
import { clip } from '../core/text.ts';
import type { SectionOutline } from '../plans/plan-delivery.ts';

export type TaskStatus = TaskUpdateChunk['status'];

/** Slack's limit for a task's title, details and output, and for the plan's title. */
export const TASK_TEXT = 256;

/**
 * The sections of a plan as tasks of Slack's plan display: where each is now, and what Slack was
 * last shown, so each update sends only the tasks that moved. A task never moves back from complete.
 */
export function createTaskBoard(outline: readonly SectionOutline[], sources: URLSourceElement[] | undefined) {
  const titles = new Map(
    outline.map((section) => [section.key, clip(`${section.number}. ${section.title}`, TASK_TEXT)]),
  );
  const now = new Map<string, TaskStatus>(outline.map((section) => [section.key, 'pending']));
  const shown = new Map<string, TaskStatus>();
  return {
    /** Moves a section's task; false when nothing changed (unknown, or complete already). */
    move(key: string, status: TaskStatus): boolean {
      const current = now.get(key);
      if (current === undefined || current === 'complete' || current === status) return false;
      now.set(key, status);
      return true;
    },
    /**
     * The tasks Slack has not seen as they are, marked as seen. At the end, `final` says what each
     * becomes (complete, or error for the unfinished ones of a failed plan, with `details`).
     */
    unseen(final?: (status: TaskStatus) => TaskStatus, details?: string): TaskUpdateChunk[] {
      const chunks: TaskUpdateChunk[] = [];
      for (const [key, current] of now) {
        const status = final?.(current) ?? current;
        if (shown.get(key) === status) continue;
        shown.set(key, status);
        chunks.push({
          type: 'task_update',
          id: key,
          title: titles.get(key) ?? key,
          status,
          ...(status === 'error' && details !== undefined ? { details: clip(details, TASK_TEXT) } : {}),
          ...(status === 'complete' && sources !== undefined ? { sources } : {}),
        });
      }
      return chunks;
    },
  };
}

export type TaskBoard = ReturnType<typeof createTaskBoard>;
