export interface ReplayGuard {
  /** False when this signature was seen within the window. */
  admit(signature: string | undefined): boolean;
  /** Signatures remembered now. */
  size(): number;
}

/**
 * Security: Bolt checks a request's signature and that its timestamp is under five minutes old,
 * but a captured request could be sent again within those five minutes. Remembering each
 * signature for that window turns a replay into a 401 before it reaches any handler. Only
 * signatures already verified may be admitted (see verified-requests.ts): otherwise anyone could
 * fill it.
 * @see https://api.slack.com/authentication/verifying-requests-from-slack
 */
export function createReplayGuard(windowMs = 5 * 60_000, now: () => number = () => Date.now()): ReplayGuard {
  const seen = new Map<string, number>();
  return {
    size: () => seen.size,
    admit(signature: string | undefined): boolean {
      if (signature === undefined || signature === '') return true;
      const time = now();
      for (const [key, at] of seen) {
        if (time - at <= windowMs) break;
        seen.delete(key);
      }
      if (seen.has(signature)) return false;
      seen.set(signature, time);
      return true;
    },
  };
}
