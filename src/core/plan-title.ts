import { clip } from './text.ts';
import type { PlanRequest } from './plan-request.ts';

/** "SAP ECC 6.0 → Salesforce REST API": the first line of the system and the target, each clipped by code points. */
export function planTitle(request: Pick<PlanRequest, 'existingSystem' | 'targetApi'>): string {
  const system = request.existingSystem.split('\n')[0]?.trim() ?? '';
  return `${clip(system, 80)} → ${clip(request.targetApi, 80)}`;
}
