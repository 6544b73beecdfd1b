/** Where plans are stored (DATABASE_* variables). */
export interface DatabaseSettings {
  /** Postgres when set; otherwise embedded PGlite in `dataDir`. */
  readonly url: string | undefined;
  readonly schema: string;
  readonly poolMax: number;
  readonly dataDir: string;
}
