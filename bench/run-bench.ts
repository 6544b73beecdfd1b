import { parseArgs } from 'node:util';
import { benchPlanStrategies } from './plan-strategies.bench.ts';

/** `npm run bench [-- --rate 60]`: prints each scenario's figures and checks its target. */
const { values } = parseArgs({ options: { rate: { type: 'string', default: '60' } } });
const rate = Number(values.rate);
let failed = false;

console.log(`Plan strategies: fake Anthropic model streaming at ${rate} tokens/s per response`);
const figures = await benchPlanStrategies(rate);
console.table(
  figures.map((figure) => ({
    strategy: figure.strategy,
    'wall (s)': (figure.wallMs / 1000).toFixed(2),
    'first section (s)': (figure.firstSectionMs / 1000).toFixed(2),
    'output tokens': figure.outputTokens,
  })),
);
const single = figures.find((figure) => figure.strategy === 'single');
const parallel = figures.find((figure) => figure.strategy === 'parallel');
if (single && parallel) {
  const ratio = parallel.wallMs / single.wallMs;
  const ok = ratio <= 0.35;
  failed ||= !ok;
  console.log(`parallel/single wall time: ${ratio.toFixed(3)} (target ≤ 0.35) ${ok ? 'OK' : 'MISSED'}`);
}
process.exitCode = failed ? 1 : 0;
