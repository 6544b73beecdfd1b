import type { AddressClass } from './public-address.ts';
import type { DownloadFailure, SpecError, SpecProblem } from './spec-error.ts';
import { cleanText } from './untrusted-text.ts';

/**
 * The languages of these texts. The same two as src/prompts' `Language`; declared here because
 * grounding sits beside prompts in the domain layer and imports only leaves.
 */
export type SpecLanguage = 'en' | 'de';

type ProblemTexts = { readonly [K in SpecProblem['kind']]: (problem: Extract<SpecProblem, { kind: K }>) => string };

const number = { en: new Intl.NumberFormat('en-US'), de: new Intl.NumberFormat('de-DE') } as const;
const mb = (language: SpecLanguage, bytes: number) =>
  new Intl.NumberFormat(language === 'de' ? 'de-DE' : 'en-US', { maximumFractionDigits: 1 }).format(bytes / 1e6);
const at = (line: number | undefined, word: string) => (line === undefined ? '' : ` ${word} ${line}`);
const more = (count: number, text: (n: string) => string, language: SpecLanguage) =>
  count > 0 ? text(number[language].format(count)) : '';

const seconds = (language: SpecLanguage, ms: number) =>
  new Intl.NumberFormat(language === 'de' ? 'de-DE' : 'en-US', { maximumFractionDigits: 1 }).format(ms / 1000);
const host = (name: string) => cleanText(name, 80);

/** A blocked address's class as a noun phrase; in German one form serves both nominative and accusative. */
const ADDRESS_CLASS_TEXTS: Record<SpecLanguage, Record<Exclude<AddressClass, 'public'>, string>> = {
  en: {
    unspecified: 'the unspecified address',
    'this-network': 'a "this network" address (0.0.0.0/8)',
    broadcast: 'the broadcast address',
    loopback: 'a loopback address',
    metadata: "the cloud metadata service's address",
    'link-local': 'a link-local address',
    private: 'a private address',
    shared: 'a carrier-grade NAT address',
    documentation: 'an address reserved for documentation',
    benchmarking: 'an address reserved for benchmarks',
    multicast: 'a multicast address',
    reserved: 'a reserved address',
  },
  de: {
    unspecified: 'die unspezifizierte Adresse',
    'this-network': 'eine Adresse aus 0.0.0.0/8 („dieses Netz“)',
    broadcast: 'die Broadcast-Adresse',
    loopback: 'eine Loopback-Adresse',
    metadata: 'die Adresse des Cloud-Metadatendienstes',
    'link-local': 'eine link-lokale Adresse',
    private: 'eine private Adresse',
    shared: 'eine Carrier-Grade-NAT-Adresse',
    documentation: 'eine für Dokumentation reservierte Adresse',
    benchmarking: 'eine für Benchmarks reservierte Adresse',
    multicast: 'eine Multicast-Adresse',
    reserved: 'eine reservierte Adresse',
  },
};

const DOWNLOAD_FAILURE_TEXTS: Record<SpecLanguage, Record<DownloadFailure, (host: string) => string>> = {
  en: {
    dns: (h) => `the host name ${h} could not be resolved`,
    connection: (h) => `no connection to ${h} could be made`,
    tls: (h) =>
      `no secure connection to ${h} (TLS): its certificate is invalid or not trusted, or the handshake failed`,
    truncated: (h) => `the connection to ${h} broke off before the spec was complete`,
    encoding: (h) => `${h} sent the spec compressed in a way that is not supported`,
  },
  de: {
    dns: (h) => `der Hostname ${h} ließ sich nicht auflösen`,
    connection: (h) => `zu ${h} kam keine Verbindung zustande`,
    tls: (h) =>
      `keine sichere Verbindung zu ${h} (TLS): das Zertifikat ist ungültig oder nicht vertrauenswürdig, oder der Verbindungsaufbau schlug fehl`,
    truncated: (h) => `die Verbindung zu ${h} brach ab, bevor die Spezifikation vollständig war`,
    encoding: (h) => `${h} schickte die Spezifikation in einer Kompression, die nicht unterstützt wird`,
  },
};

/** Every sentence about a spec problem, English and German side by side (style rule 6). */
const PROBLEM_TEXTS: Record<SpecLanguage, ProblemTexts> = {
  en: {
    empty: () => 'the file is empty',
    'too-large': (p) =>
      p.atLeast === true
        ? `the spec is larger than the limit of ${mb('en', p.limitBytes)} MB`
        : `the spec is ${mb('en', p.sizeBytes)} MB; the limit is ${mb('en', p.limitBytes)} MB`,
    'not-text': (p) =>
      `that file is not text${p.looksLike === undefined ? '' : ` (it looks like ${p.looksLike})`}, so it is not an OpenAPI or Swagger document`,
    'json-syntax': (p) => `not valid JSON${at(p.line, 'at line')}: ${p.detail}`,
    'yaml-syntax': (p) => `not valid YAML${at(p.line, 'at line')}: ${p.detail}`,
    'yaml-aliases': (p) =>
      `the YAML expands more than ${p.limit} aliases (*name), which looks like an alias bomb; it was not expanded`,
    'yaml-cycle': () =>
      'the YAML contains itself through an alias (*name inside &name), which JSON and OpenAPI cannot express',
    'too-deep': (p) => `the document is nested more than ${p.limit} levels deep`,
    'not-openapi': () => 'that file is not an OpenAPI or Swagger document: no `openapi` or `swagger` field',
    'unsupported-version': (p) =>
      `version \`${p.version}\` is not supported; supported are Swagger 2.0 and OpenAPI 3.0 and 3.1`,
    malformed: (p) => `its \`${p.field}\` field does not have the shape OpenAPI requires`,
    'upgrade-failed': (p) => `the Swagger 2.0 document could not be converted to OpenAPI 3: ${p.detail}`,
    'too-many-operations': (p) =>
      `the spec has ${number.en.format(p.count)} operations; the limit is ${number.en.format(p.limit)}`,
    'external-ref': (p) =>
      `uses an external reference (${p.ref})${more(p.more, (n) => ` and ${n} more`, 'en')}, which is not followed`,
    'missing-ref': (p) =>
      `refers to ${p.ref}${more(p.more, (n) => ` and ${n} more`, 'en')}, which the spec does not define`,
    'url-invalid': () => 'that is not a valid URL',
    'url-scheme': (p) =>
      p.scheme === 'http'
        ? 'only https URLs are downloaded (plain http only from hosts the administrator has allowed)'
        : `only https URLs are downloaded, not ${p.scheme}: URLs`,
    'url-credentials': () =>
      'the URL contains a user name or password, which is never sent; please give a URL that needs no login',
    'url-blocked': (p) =>
      p.host === p.address
        ? `${p.address} is ${ADDRESS_CLASS_TEXTS.en[p.addressClass]}; only public addresses are downloaded`
        : `${host(p.host)} resolves to ${ADDRESS_CLASS_TEXTS.en[p.addressClass]} (${p.address}); only public addresses are downloaded`,
    'download-status': (p) => `the server answered with HTTP status ${p.status}`,
    'download-timeout': (p) => `the download did not finish within ${seconds('en', p.limitMs)} seconds`,
    'download-failed': (p) => DOWNLOAD_FAILURE_TEXTS.en[p.reason](host(p.host)),
    'too-many-redirects': (p) => `the URL redirects more than ${p.limit} times`,
    'file-access': (p) =>
      `the file could not be read: the app lacks the ${p.scope} permission (an administrator reinstalls it with the current manifest)`,
    'file-host': (p) =>
      `the file's address is not on the platform's file host (${host(p.host)}), so it was not downloaded`,
  },
  de: {
    empty: () => 'die Datei ist leer',
    'too-large': (p) =>
      p.atLeast === true
        ? `die Spezifikation ist größer als die Grenze von ${mb('de', p.limitBytes)} MB`
        : `die Spezifikation ist ${mb('de', p.sizeBytes)} MB groß; die Grenze liegt bei ${mb('de', p.limitBytes)} MB`,
    'not-text': (p) =>
      `diese Datei ist kein Text${p.looksLike === undefined ? '' : ` (sie sieht aus wie ${p.looksLike})`} und damit kein OpenAPI- oder Swagger-Dokument`,
    'json-syntax': (p) => `kein gültiges JSON${at(p.line, 'in Zeile')}: ${p.detail}`,
    'yaml-syntax': (p) => `kein gültiges YAML${at(p.line, 'in Zeile')}: ${p.detail}`,
    'yaml-aliases': (p) =>
      `das YAML löst mehr als ${p.limit} Aliase (*name) auf, das sieht nach einer Alias-Bombe aus; es wurde nicht aufgelöst`,
    'yaml-cycle': () =>
      'das YAML enthält sich selbst über einen Alias (*name innerhalb von &name), was JSON und OpenAPI nicht ausdrücken können',
    'too-deep': (p) => `das Dokument ist tiefer als ${p.limit} Ebenen verschachtelt`,
    'not-openapi': () => 'diese Datei ist kein OpenAPI- oder Swagger-Dokument: kein Feld `openapi` oder `swagger`',
    'unsupported-version': (p) =>
      `Version \`${p.version}\` wird nicht unterstützt; unterstützt werden Swagger 2.0 sowie OpenAPI 3.0 und 3.1`,
    malformed: (p) => `das Feld \`${p.field}\` hat nicht die Form, die OpenAPI verlangt`,
    'upgrade-failed': (p) => `das Swagger-2.0-Dokument ließ sich nicht in OpenAPI 3 umwandeln: ${p.detail}`,
    'too-many-operations': (p) =>
      `die Spezifikation hat ${number.de.format(p.count)} Operationen; die Grenze liegt bei ${number.de.format(p.limit)}`,
    'external-ref': (p) =>
      `verwendet eine externe Referenz (${p.ref})${more(p.more, (n) => ` und ${n} weitere`, 'de')}, der nicht gefolgt wird`,
    'missing-ref': (p) =>
      `verweist auf ${p.ref}${more(p.more, (n) => ` und ${n} weitere`, 'de')}, das die Spezifikation nicht definiert`,
    'url-invalid': () => 'das ist keine gültige URL',
    'url-scheme': (p) =>
      p.scheme === 'http'
        ? 'es werden nur https-URLs abgerufen (einfaches http nur von Hosts, die der Administrator freigegeben hat)'
        : `es werden nur https-URLs abgerufen, keine ${p.scheme}:-URLs`,
    'url-credentials': () =>
      'die URL enthält einen Benutzernamen oder ein Passwort, die nie mitgeschickt werden; bitte eine URL ohne Anmeldung angeben',
    'url-blocked': (p) =>
      p.host === p.address
        ? `${p.address} ist ${ADDRESS_CLASS_TEXTS.de[p.addressClass]}; abgerufen werden nur öffentliche Adressen`
        : `${host(p.host)} zeigt auf ${ADDRESS_CLASS_TEXTS.de[p.addressClass]} (${p.address}); abgerufen werden nur öffentliche Adressen`,
    'download-status': (p) => `der Server antwortete mit HTTP-Status ${p.status}`,
    'download-timeout': (p) =>
      `der Download war nicht innerhalb von ${seconds('de', p.limitMs)} Sekunden abgeschlossen`,
    'download-failed': (p) => DOWNLOAD_FAILURE_TEXTS.de[p.reason](host(p.host)),
    'too-many-redirects': (p) => `die URL leitet mehr als ${p.limit}-mal weiter`,
    'file-access': (p) =>
      `die Datei konnte nicht gelesen werden: der App fehlt die Berechtigung ${p.scope} (eine Administratorin installiert sie mit dem aktuellen Manifest neu)`,
    'file-host': (p) =>
      `die Adresse der Datei liegt nicht auf dem Dateiserver der Plattform (${host(p.host)}), daher wurde sie nicht abgerufen`,
  },
};

const SENTENCES = {
  en: { unusable: (source: string, why: string) => `The API spec ${source} cannot be used: ${why}.` },
  de: {
    unusable: (source: string, why: string) => `Die API-Spezifikation ${source} kann nicht verwendet werden: ${why}.`,
  },
} as const satisfies Record<SpecLanguage, unknown>;

/** The clause naming one problem, e.g. "the spec is 14.2 MB; the limit is 10 MB". */
export function describeSpecProblem(problem: SpecProblem, language: SpecLanguage): string {
  const text = PROBLEM_TEXTS[language][problem.kind] as (p: SpecProblem) => string;
  return text(problem);
}

/** The full sentence a user sees for a spec that cannot be used, naming its source. */
export function specErrorText(error: SpecError, language: SpecLanguage): string {
  return SENTENCES[language].unusable(`(${cleanText(error.source, 80)})`, describeSpecProblem(error.problem, language));
}
