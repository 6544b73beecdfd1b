/**
 * The load bench's client, in a worker thread of its own: it sends a burst of requests at once
 * and slash commands at a steady rate, and times each from the moment it is sent to its complete
 * answer. Apart from the bench's fakes (which stream 200 plans on the main thread) and on plain
 * node:http, its timings are the service's answer times, not the bench's own queueing.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { signSlackRequest, slashCommandBody } from '../test/helpers/slack-signing.ts';

/** One request of the burst, ready to send (a Slack one is signed already). */
export interface PreparedRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Slash commands sent at a steady rate while the burst is answered and the plans run. */
export interface SteadyCommands {
  readonly url: string;
  readonly signingSecret: string;
  readonly perSecond: number;
  readonly fields: {
    readonly command: string;
    readonly teamId: string;
    readonly channelId: string;
    readonly userId: string;
  };
}

export interface GeneratorInput {
  readonly burst: readonly PreparedRequest[];
  readonly steady?: SteadyCommands | undefined;
}

/** A request's answer: its time, status and body (for checking what the service answered). */
export interface Answer {
  readonly ms: number;
  readonly status: number;
  readonly body: string;
}

export interface GeneratorOutput {
  readonly burst: readonly Answer[];
  readonly steady: readonly Answer[];
}

// Slack opens connections as it needs them; none is queued behind another here.
const agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });

function send(request: PreparedRequest): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const done = (status: number, body: string) => resolve({ ms: performance.now() - started, status, body });
    const outgoing = http.request(
      request.url,
      { method: 'POST', agent, headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(response.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
        response.on('error', () => done(0, ''));
      },
    );
    outgoing.on('error', () => done(0, ''));
    outgoing.end(request.body);
  });
}

function command(steady: SteadyCommands, index: number): PreparedRequest {
  const body = slashCommandBody({ text: '', triggerId: `load${index}.0123456789abcdef`, ...steady.fields });
  return {
    url: steady.url,
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...signSlackRequest(body, steady.signingSecret) },
  };
}

/** The thread's side: the burst at once, commands until told to stop, then every answer. */
function generate(input: GeneratorInput, port: NonNullable<typeof parentPort>) {
  const burst = Promise.all(input.burst.map(send));
  const steady: Promise<Answer>[] = [];
  const { steady: commands } = input;
  const firing =
    commands === undefined
      ? undefined
      : setInterval(() => steady.push(send(command(commands, steady.length))), 1000 / commands.perSecond);
  port.once('message', () => {
    clearInterval(firing);
    void Promise.all([burst, Promise.all(steady)]).then(([burstAnswers, steadyAnswers]) => {
      const output: GeneratorOutput = { burst: burstAnswers, steady: steadyAnswers };
      port.postMessage(output);
      agent.destroy();
    });
  });
  void burst.then(() => port.postMessage('burst answered'));
}

if (parentPort !== null && workerData !== null) generate(workerData as GeneratorInput, parentPort);

/** The bench's side: starts the generator; `burstAnswered` once the burst is answered, `stop` for every answer. */
export function startLoadGenerator(input: GeneratorInput): {
  readonly burstAnswered: Promise<void>;
  stop(): Promise<GeneratorOutput>;
} {
  const worker = new Worker(new URL(import.meta.url), { workerData: input });
  let answered: () => void = () => undefined;
  const burstAnswered = new Promise<void>((resolve) => (answered = resolve));
  let finished: (output: GeneratorOutput) => void = () => undefined;
  const output = new Promise<GeneratorOutput>((resolve) => (finished = resolve));
  worker.on('message', (message: 'burst answered' | GeneratorOutput) => {
    if (message === 'burst answered') answered();
    else finished(message);
  });
  const failed = new Promise<never>((_, reject) => worker.once('error', reject));
  return {
    burstAnswered: Promise.race([burstAnswered, failed]),
    async stop() {
      worker.postMessage('stop');
      const result = await Promise.race([output, failed]);
      await worker.terminate();
      return result;
    },
  };
}
