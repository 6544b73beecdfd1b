import { describe, expect, it } from 'vitest';
import { createTaskBoard, TASK_TEXT } from './plan-display-tasks.ts';

const OUTLINE = [
  { key: 'architecture', number: 1, title: 'Architecture analysis' },
  { key: 'security', number: 3, title: 'Security' },
];
const SOURCE = [{ type: 'url' as const, url: 'https://api.example.com/openapi.json', text: 'Example API 1.0' }];

describe('plan display tasks', () => {
  it('sends only the tasks that moved since Slack last saw them, pending first', () => {
    const board = createTaskBoard(OUTLINE, undefined);
    expect(board.unseen().map((chunk) => [chunk.id, chunk.title, chunk.status])).toEqual([
      ['architecture', '1. Architecture analysis', 'pending'],
      ['security', '3. Security', 'pending'],
    ]);
    expect(board.unseen()).toEqual([]);
    expect(board.move('security', 'in_progress')).toBe(true);
    expect(board.move('security', 'in_progress')).toBe(false);
    expect(board.unseen().map((chunk) => [chunk.id, chunk.status])).toEqual([['security', 'in_progress']]);
  });

  it('never moves a task back from complete, and ignores sections it does not know', () => {
    const board = createTaskBoard(OUTLINE, undefined);
    board.unseen();
    expect(board.move('architecture', 'complete')).toBe(true);
    expect(board.move('architecture', 'in_progress')).toBe(false);
    expect(board.move('unknown', 'complete')).toBe(false);
    expect(board.unseen().map((chunk) => [chunk.id, chunk.status])).toEqual([['architecture', 'complete']]);
  });

  it('links the spec on complete tasks only', () => {
    const board = createTaskBoard(OUTLINE, SOURCE);
    board.move('architecture', 'complete');
    const [architecture, security] = board.unseen();
    expect(architecture?.sources).toEqual(SOURCE);
    expect(security?.sources).toBeUndefined();
  });

  it('ends a failed plan: finished tasks stay complete, the others become errors with the reason, clipped', () => {
    const board = createTaskBoard(OUTLINE, undefined);
    board.move('architecture', 'complete');
    board.unseen();
    const reason = `The model refused the key. ${'x'.repeat(400)}`;
    const final = board.unseen((status) => (status === 'complete' ? 'complete' : 'error'), reason);
    expect(final.map((chunk) => [chunk.id, chunk.status])).toEqual([['security', 'error']]);
    expect(final[0]?.details?.startsWith('The model refused the key.')).toBe(true);
    expect(Array.from(final[0]?.details ?? '').length).toBeLessThanOrEqual(TASK_TEXT);
  });
});
