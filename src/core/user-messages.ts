import { PlanLimitError, type AppError, type ErrorCode } from '../errors.ts';
import type { Language } from '../prompts/section-keys.ts';
import { SpecError } from '../grounding/spec-error.ts';
import { specErrorText } from '../grounding/spec-texts.ts';

type MessageFn = (error: AppError) => string;

const seconds = (error: AppError) => Math.max(1, Math.ceil(error.retryAfterSeconds ?? 30));

/** "in 23 min (14:05 UTC)": relative for everyone, absolute in UTC since time zones differ. */
function waitText(error: AppError): string {
  const wait = seconds(error);
  const minutes = Math.ceil(wait / 60);
  const relative =
    wait < 90 ? `${wait} s` : minutes < 120 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  if (!(error instanceof PlanLimitError)) return `in ${relative}`;
  const clock = error.resetAt.toISOString().slice(11, 16);
  return `in ${relative} (${clock} UTC)`;
}

/** A plan limit's sentences: who reached which limit, and when the next plan is possible. */
const LIMIT_TEXTS = {
  en: {
    unknown: (wait: string) => `The plan limit is reached. Next plan ${wait}.`,
    who: (error: PlanLimitError) =>
      ({
        user: `You have reached your limit of ${error.limit} plans and questions per hour.`,
        workspace: `This workspace has reached its limit of ${error.limit} plans and questions per hour.`,
        workspace_daily: `This workspace has reached its daily limit of ${error.limit} plans (days in UTC).`,
        workspace_cost: `This workspace has used its model budget of $${error.limit.toFixed(2)} for today (days in UTC).`,
      })[error.scope],
    next: (who: string, wait: string) =>
      `${who} You can start the next plan ${wait}; saved plans stay available through \`list\` and \`show\` meanwhile.`,
  },
  de: {
    unknown: (wait: string) => `Das Plan-Limit ist erreicht. Nächster Plan ${wait}.`,
    who: (error: PlanLimitError) =>
      ({
        user: `Du hast dein Limit von ${error.limit} Plänen und Fragen pro Stunde erreicht.`,
        workspace: `Dieser Workspace hat sein Limit von ${error.limit} Plänen und Fragen pro Stunde erreicht.`,
        workspace_daily: `Dieser Workspace hat sein Tageslimit von ${error.limit} Plänen erreicht (Tag in UTC).`,
        workspace_cost: `Dieser Workspace hat sein Modellbudget von ${error.limit.toFixed(2)} $ für heute verbraucht (Tag in UTC).`,
      })[error.scope],
    next: (who: string, wait: string) =>
      `${who} Der nächste Plan ist ${wait} möglich; bis dahin bleiben gespeicherte Pläne über \`list\` und \`show\` erreichbar.`,
  },
} as const satisfies Record<Language, unknown>;

function limitText(error: AppError, language: Language): string {
  const t = LIMIT_TEXTS[language];
  const wait = waitText(error);
  return error instanceof PlanLimitError ? t.next(t.who(error), wait) : t.unknown(wait);
}

/**
 * The fixed, helpful text users see for each error code, in their language. Raw exception
 * text never reaches users; it goes to the logs with the request id.
 */
const MESSAGES: Record<Language, Record<ErrorCode, MessageFn>> = {
  en: {
    CONFIG_INVALID: () => 'The bot is misconfigured. An administrator has to fix its settings.',
    PROMPT_INVALID: () => 'The plan prompt is broken. An administrator has to fix the prompt files.',
    INPUT_INVALID: () => 'Some fields need attention; see the messages next to them.',
    MODEL_RATE_LIMITED: (e) => `The model provider is rate-limiting us. Try again in ${seconds(e)} s.`,
    MODEL_OVERLOADED: () => 'The model is overloaded right now. Please try again in a few minutes.',
    MODEL_AUTH_FAILED: () => 'The model rejected the API key. An administrator has to check the key.',
    MODEL_BAD_REQUEST: () => 'The model refused the request. An administrator can find the details in the logs.',
    MODEL_TIMEOUT: () => 'The model did not answer in time. Please try again.',
    MODEL_CONNECTION: () => 'The model could not be reached. Please try again shortly.',
    MODEL_SERVER_ERROR: () => 'The model provider had an internal error. Please try again shortly.',
    MODEL_CIRCUIT_OPEN: (e) => `The model has failed several times in a row; new requests pause for ${seconds(e)} s.`,
    MODEL_BUSY: () => 'Too many plans are being written at once. Please try again in a minute.',
    MODEL_EMPTY_OUTPUT: () => 'The model returned an empty answer. Please try again.',
    MISSING_API_KEY: () => 'No API key is configured for the model provider. An administrator has to set one.',
    PLAN_INTERRUPTED: () => 'Writing this plan was interrupted too often. Please start it again.',
    PLAN_LIMIT_REACHED: (e) => limitText(e, 'en'),
    SPEC_INVALID: (e) => (e instanceof SpecError ? specErrorText(e, 'en') : 'The API spec cannot be used.'),
    INTERNAL: () => 'Something went wrong on our side. Please try again; if it persists, tell an administrator.',
  },
  de: {
    CONFIG_INVALID: () => 'Der Bot ist falsch konfiguriert. Ein Administrator muss die Einstellungen korrigieren.',
    PROMPT_INVALID: () => 'Der Plan-Prompt ist fehlerhaft. Ein Administrator muss die Prompt-Dateien korrigieren.',
    INPUT_INVALID: () => 'Einige Felder müssen korrigiert werden; siehe die Hinweise daneben.',
    MODEL_RATE_LIMITED: (e) =>
      `Der Modellanbieter begrenzt gerade unsere Anfragen. Bitte in ${seconds(e)} s erneut versuchen.`,
    MODEL_OVERLOADED: () => 'Das Modell ist gerade überlastet. Bitte in ein paar Minuten erneut versuchen.',
    MODEL_AUTH_FAILED: () => 'Das Modell hat den API-Schlüssel abgelehnt. Ein Administrator muss den Schlüssel prüfen.',
    MODEL_BAD_REQUEST: () => 'Das Modell hat die Anfrage abgelehnt. Details stehen für Administratoren im Log.',
    MODEL_TIMEOUT: () => 'Das Modell hat nicht rechtzeitig geantwortet. Bitte erneut versuchen.',
    MODEL_CONNECTION: () => 'Das Modell war nicht erreichbar. Bitte gleich erneut versuchen.',
    MODEL_SERVER_ERROR: () => 'Beim Modellanbieter ist ein interner Fehler aufgetreten. Bitte gleich erneut versuchen.',
    MODEL_CIRCUIT_OPEN: (e) =>
      `Das Modell ist mehrmals hintereinander ausgefallen; neue Anfragen pausieren ${seconds(e)} s.`,
    MODEL_BUSY: () => 'Gerade werden zu viele Pläne gleichzeitig geschrieben. Bitte in einer Minute erneut versuchen.',
    MODEL_EMPTY_OUTPUT: () => 'Das Modell hat eine leere Antwort geliefert. Bitte erneut versuchen.',
    MISSING_API_KEY: () =>
      'Für den Modellanbieter ist kein API-Schlüssel eingerichtet. Ein Administrator muss ihn setzen.',
    PLAN_INTERRUPTED: () => 'Das Schreiben dieses Plans wurde zu oft unterbrochen. Bitte neu starten.',
    PLAN_LIMIT_REACHED: (e) => limitText(e, 'de'),
    SPEC_INVALID: (e) =>
      e instanceof SpecError ? specErrorText(e, 'de') : 'Die API-Spezifikation kann nicht verwendet werden.',
    INTERNAL: () =>
      'Bei uns ist etwas schiefgelaufen. Bitte erneut versuchen; falls es bleibt, einen Administrator informieren.',
  },
};

export function userMessage(error: AppError, language: Language): string {
  return MESSAGES[language][error.code](error);
}

const RETRY_TEXT: Record<Language, (reason: string, delaySeconds: number) => string> = {
  en: (reason, delay) => `${reason}, retrying in ${delay} s…`,
  de: (reason, delay) => `${reason}, neuer Versuch in ${delay} s …`,
};

const RETRY_REASON: Record<Language, Partial<Record<ErrorCode, string>> & { readonly other: string }> = {
  en: {
    other: 'Model error',
    MODEL_RATE_LIMITED: 'The model provider is rate-limiting us',
    MODEL_OVERLOADED: 'The model is overloaded',
    MODEL_TIMEOUT: 'The model did not answer in time',
    MODEL_CONNECTION: 'The connection to the model broke',
    MODEL_SERVER_ERROR: 'The model provider had an error',
  },
  de: {
    other: 'Fehler beim Modell',
    MODEL_RATE_LIMITED: 'Der Modellanbieter begrenzt unsere Anfragen',
    MODEL_OVERLOADED: 'Das Modell ist überlastet',
    MODEL_TIMEOUT: 'Das Modell hat nicht rechtzeitig geantwortet',
    MODEL_CONNECTION: 'Die Verbindung zum Modell ist abgebrochen',
    MODEL_SERVER_ERROR: 'Beim Modellanbieter ist ein Fehler aufgetreten',
  },
};

/** "The model is overloaded, retrying in 20 s…" for a progress line. */
export function retryMessage(code: ErrorCode, delayMs: number, language: Language): string {
  const reason = RETRY_REASON[language][code] ?? RETRY_REASON[language].other;
  return RETRY_TEXT[language](reason, Math.max(1, Math.round(delayMs / 1000)));
}
