/** Teams' credentials in botbuilder's names (MicrosoftApp* variables). */
export interface TeamsSettings {
  readonly appId: string | undefined;
  readonly appPassword: string | undefined;
  readonly appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  readonly tenantId: string | undefined;
  /** Posts per conversation kept under Teams' per-thread limits (off: 429s only waited out). */
  readonly pacing: boolean;
}
