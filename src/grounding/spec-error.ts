import { AppError } from '../errors.ts';
import type { AddressClass } from './public-address.ts';

/** Why a download broke off before an answer (fetch-spec.ts maps Node's error codes to these). */
export type DownloadFailure = 'dns' | 'connection' | 'tls' | 'truncated' | 'encoding';

/**
 * What is wrong with a spec, as data: `kind` is the stable problem code, the other fields are
 * its parameters. spec-texts.ts turns each into one sentence per language; logs get the kind.
 */
export type SpecProblem =
  | { readonly kind: 'empty' }
  | {
      readonly kind: 'too-large';
      readonly sizeBytes: number;
      readonly limitBytes: number;
      /** A download cut off at the limit: the real size is unknown, only larger. */
      readonly atLeast?: boolean;
    }
  | { readonly kind: 'not-text'; readonly looksLike: string | undefined }
  | { readonly kind: 'json-syntax'; readonly line: number | undefined; readonly detail: string }
  | { readonly kind: 'yaml-syntax'; readonly line: number | undefined; readonly detail: string }
  | { readonly kind: 'yaml-aliases'; readonly limit: number }
  | { readonly kind: 'yaml-cycle' }
  | { readonly kind: 'too-deep'; readonly limit: number }
  | { readonly kind: 'not-openapi' }
  | { readonly kind: 'unsupported-version'; readonly version: string }
  | { readonly kind: 'malformed'; readonly field: string }
  | { readonly kind: 'upgrade-failed'; readonly detail: string }
  | { readonly kind: 'too-many-operations'; readonly count: number; readonly limit: number }
  | { readonly kind: 'external-ref'; readonly ref: string; readonly more: number }
  | { readonly kind: 'missing-ref'; readonly ref: string; readonly more: number }
  | { readonly kind: 'url-invalid' }
  | { readonly kind: 'url-scheme'; readonly scheme: string }
  | { readonly kind: 'url-credentials' }
  | {
      readonly kind: 'url-blocked';
      readonly host: string;
      readonly address: string;
      readonly addressClass: Exclude<AddressClass, 'public'>;
    }
  | { readonly kind: 'download-status'; readonly status: number }
  | { readonly kind: 'download-timeout'; readonly limitMs: number }
  | { readonly kind: 'download-failed'; readonly host: string; readonly reason: DownloadFailure }
  | { readonly kind: 'too-many-redirects'; readonly limit: number }
  /** A chat platform handed over a sign-in page instead of the file: the app lacks a scope. */
  | { readonly kind: 'file-access'; readonly scope: string }
  /** A platform's file address that is not on the platform's own file host: never downloaded with our token. */
  | { readonly kind: 'file-host'; readonly host: string };

export type SpecProblemKind = SpecProblem['kind'];

/** A spec that cannot be used: `problem` says why, `source` is the file name, URL or catalog id. */
export class SpecError extends AppError {
  readonly problem: SpecProblem;
  readonly source: string;

  constructor(problem: SpecProblem, source: string, options: { cause?: unknown } = {}) {
    super('SPEC_INVALID', `spec ${source}: ${problem.kind}`, options);
    this.name = 'SpecError';
    this.problem = problem;
    this.source = source;
  }
}
