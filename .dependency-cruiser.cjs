// The layer rules of src/ in one place (ARCHITECTURE.md draws them), checked by `npm run deps`
// (part of `npm test`). Imports point down this list only:
//   wiring          main.ts, service.ts, surfaces.ts, worker-processes.ts, runtime.ts, cli.ts, config.ts, config-env.ts
//   surfaces        slack/, teams/, cli/          (never each other)
//   application     plans/
//   presentation    render/                       (platform-neutral texts and Markdown)
//   infrastructure  store/, http/, observability/
//   domain          core/ → prompts/, llm/, grounding/  (grounding imports only leaves)
//   leaf            errors.ts, logger.ts, log-context.ts, package-root.ts
// Type-only imports count too: a cycle through types is still a cycle.

const WIRING = '^src/(main|service|surfaces|worker-processes|runtime|cli|config|config-env)\\.ts$';
const layer = (name, path) => ({ name, path });
const LAYERS = [
  layer('wiring', WIRING),
  layer('surfaces', '^src/(slack|teams|cli)/'),
  layer('application', '^src/plans/'),
  layer('presentation', '^src/render/'),
  layer('infrastructure', '^src/(store|http|observability)/'),
  layer('domain', '^src/(core|prompts|llm|grounding)/'),
  layer('leaf', '^src/(errors|logger|log-context|package-root)\\.ts$'),
];

/** Each layer may import only the layers below it (and itself). */
const downwardOnly = LAYERS.slice(1).map((from, index) => ({
  name: `layer-${from.name}`,
  comment: `${from.name} imports only layers below it`,
  severity: 'error',
  from: { path: from.path },
  to: {
    path: LAYERS.slice(0, index + 1).map((above) => above.path),
    // The CLI is an entry point of its own: its commands open the runtime when they need it.
    ...(from.name === 'surfaces' ? { pathNot: '^src/(runtime|config)\\.ts$' } : {}),
  },
}));

/** A platform's SDK lives in its surface (and the wiring that starts it), nowhere else. */
const sdkOnlyIn = (surface, sdkPath, sdk) => ({
  name: `${surface}-sdk-in-src/${surface}-only`,
  comment: `${sdk} live in src/${surface} (and the wiring that starts it).`,
  severity: 'error',
  from: { path: '^src/', pathNot: `^src/${surface}/|^src/(service|runtime)\\.ts$` },
  to: { path: sdkPath },
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles, not even through types.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...downwardOnly,
    {
      name: 'chat-surfaces-below-wiring',
      comment: 'Slack and Teams get what they need from the wiring as arguments.',
      severity: 'error',
      from: { path: '^src/(slack|teams)/' },
      to: { path: WIRING },
    },
    {
      name: 'surfaces-apart',
      comment: 'Slack and Teams are adapters of the same application: neither reaches into the other.',
      severity: 'error',
      from: { path: '^src/(slack|teams)/' },
      to: { path: '^src/(slack|teams)/', pathNot: '^src/$1/' },
    },
    {
      name: 'domain-order',
      comment: 'core uses prompts and llm; prompts and llm do not use core.',
      severity: 'error',
      from: { path: '^src/(prompts|llm)/' },
      to: { path: '^src/core/' },
    },
    {
      name: 'grounding-imports-leaves-only',
      comment: 'grounding is pure domain: it imports only leaves; core uses it, prompts and llm do not.',
      severity: 'error',
      from: { path: '^src/grounding/' },
      to: { path: '^src/', pathNot: '^src/grounding/|^src/(errors|logger|log-context|package-root)\\.ts$' },
    },
    {
      name: 'grounding-not-below-prompts-llm',
      comment: 'The spec facts reach prompts as data through core, never by import.',
      severity: 'error',
      from: { path: '^src/(prompts|llm)/' },
      to: { path: '^src/grounding/' },
    },
    sdkOnlyIn('slack', 'node_modules/@slack/', "Bolt and Slack's Web API client"),
    sdkOnlyIn('teams', 'node_modules/(botbuilder|botframework-)', 'botbuilder'),
    {
      name: 'no-test-code-in-src',
      comment: 'Fixtures, fakes and helpers live under test/.',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { path: '^test/|node_modules/vitest' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
    exclude: { path: '\\.test\\.ts$' },
  },
};
