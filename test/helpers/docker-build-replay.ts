import { linkSync, mkdirSync, readdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { cp, mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { envPairs, execForm, words, type Instruction, type Stage } from './dockerfile.ts';
import { spawnInGroup } from './process-group.ts';

/**
 * Replays a Dockerfile's build steps on this machine, without a Docker engine: each stage gets an
 * empty directory standing for its root filesystem, COPY copies from the build context (filtered
 * by .dockerignore) or from an earlier stage, RUN runs the commands it knows. Whatever it does
 * not know how to replay fails with the instruction's line, so the Dockerfile and the test that
 * relies on this cannot drift apart silently.
 */

/** Docker's .dockerignore rules (moby/patternmatcher): last match wins, `!` re-includes, a match on a parent directory counts. */
export interface IgnoreRules {
  excludes(relativePath: string): boolean;
  /** Whether a `!` rule could re-include something under this directory (else an excluded one need not be walked). */
  mayReinclude(directory: string): boolean;
}

/** Translates one pattern the way moby/patternmatcher does: `*` within a segment, `**` across segments. */
function patternRegExp(pattern: string): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern.charAt(index);
    if (char === '*' && pattern.charAt(index + 1) === '*') {
      index += pattern.charAt(index + 2) === '/' ? 2 : 1;
      source += index + 1 >= pattern.length ? '.*' : '(.*/)?';
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += /[.+^${}()|\\]/u.test(char) ? `\\${char}` : char;
  }
  return new RegExp(`^${source}$`, 'u');
}

export function readDockerignore(text: string): IgnoreRules {
  const rules = text
    .split(/\r?\n/u)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const include = line.startsWith('!');
      const pattern = path.posix.normalize((include ? line.slice(1) : line).trim()).replace(/^\/+|\/+$/gu, '');
      // The part before the first wildcard: what a path must start with to match.
      const literal = /^[^*?[]*/u.exec(pattern)?.[0] ?? '';
      return { include, literal, regexp: patternRegExp(pattern) };
    });
  return {
    excludes(relativePath) {
      const parts = relativePath.split('/');
      const candidates = parts.map((_, index) => parts.slice(0, index + 1).join('/'));
      let excluded = false;
      for (const rule of rules) {
        if (rule.include !== excluded) continue;
        if (candidates.some((candidate) => rule.regexp.test(candidate))) excluded = !rule.include;
      }
      return excluded;
    },
    mayReinclude(directory) {
      const prefix = `${directory}/`;
      return rules.some((rule) => rule.include && (prefix.startsWith(rule.literal) || rule.literal.startsWith(prefix)));
    },
  };
}

/** Where a path of a stage's filesystem lives on this machine. */
function hostPath(root: string, workdir: string, target: string): string {
  return path.join(root, path.posix.resolve(workdir, target));
}

/** Context files under `relative` (a file or a directory) that .dockerignore lets through. */
async function contextFiles(context: string, relative: string, ignore: IgnoreRules): Promise<string[]> {
  const info = await stat(path.join(context, relative)).catch(() => undefined);
  if (info === undefined) throw new Error(`COPY ${relative}: not in the build context`);
  if (!info.isDirectory()) return ignore.excludes(relative) ? [] : [relative];
  const files: string[] = [];
  for (const entry of await readdir(path.join(context, relative), { withFileTypes: true })) {
    const child = path.posix.join(relative, entry.name);
    // node_modules and .git are big: skip an excluded directory when no rule can re-include anything inside.
    if (entry.isDirectory() && ignore.excludes(child) && !ignore.mayReinclude(child)) continue;
    files.push(...(await contextFiles(context, child, ignore)));
  }
  return files;
}

/** Expands a `*`/`?` in the last segment of a COPY source against the context's listing. */
async function expandSource(context: string, source: string): Promise<string[]> {
  const clean = path.posix.normalize(source).replace(/^\/+|\/+$/gu, '');
  if (!/[*?[]/u.test(clean)) return [clean];
  const directory = path.posix.dirname(clean);
  const matcher = patternRegExp(path.posix.basename(clean));
  const names = await readdir(path.join(context, directory));
  return names.filter((name) => matcher.test(name)).map((name) => path.posix.join(directory, name));
}

export interface ReplayedStage {
  readonly stage: Stage;
  /** This machine's directory standing for the stage's `/`. */
  readonly root: string;
  /** The stage's final WORKDIR, as the image sees it. */
  readonly workdir: string;
  readonly env: Readonly<Record<string, string>>;
  /** Maps a path of the image (absolute, or relative to WORKDIR) to this machine. */
  hostPath(target: string): string;
}

export interface ReplayOptions {
  readonly stages: readonly Stage[];
  /** The build context: the repository root. */
  readonly context: string;
  readonly ignore: IgnoreRules;
  /** An empty directory; each stage's root is made inside it. */
  readonly into: string;
  /** Environment for RUN besides the stage's ENV (PATH, HOME, proxies …). */
  readonly runEnv: Readonly<Record<string, string>>;
}

/** Replays every stage in order and returns them; the last one is the image. */
export async function replayBuild(options: ReplayOptions): Promise<ReplayedStage[]> {
  const done: ReplayedStage[] = [];
  for (const [index, stage] of options.stages.entries()) {
    if (options.stages.some((other) => other.name === stage.base.toLowerCase())) {
      throw new Error(
        `FROM ${stage.base}: building on an earlier stage is not replayed; teach test/helpers/docker-build-replay.ts`,
      );
    }
    const root = path.join(options.into, stage.name ?? `stage-${String(index)}`);
    await mkdir(root, { recursive: true });
    let workdir = '/';
    const env: Record<string, string> = {};
    for (const instruction of stage.instructions) {
      const where = `Dockerfile line ${String(instruction.line)}`;
      switch (instruction.keyword) {
        case 'WORKDIR':
          workdir = path.posix.resolve(workdir, instruction.args);
          await mkdir(hostPath(root, workdir, '.'), { recursive: true });
          break;
        case 'ENV':
          Object.assign(env, envPairs(instruction.args));
          break;
        case 'COPY':
          await replayCopy(instruction, { root, workdir, done, options });
          break;
        case 'RUN':
          await replayRun(instruction, hostPath(root, workdir, '.'), { ...options.runEnv, ...env });
          break;
        case 'USER':
        case 'EXPOSE':
        case 'HEALTHCHECK':
        case 'STOPSIGNAL':
        case 'CMD':
        case 'LABEL':
          break; // Metadata of the image: no effect on its files.
        default:
          throw new Error(
            `${where}: ${instruction.keyword} is not replayed; teach test/helpers/docker-build-replay.ts`,
          );
      }
    }
    done.push({ stage, root, workdir, env, hostPath: (target) => hostPath(root, workdir, target) });
  }
  return done;
}

async function replayCopy(
  instruction: Instruction,
  state: { root: string; workdir: string; done: readonly ReplayedStage[]; options: ReplayOptions },
): Promise<void> {
  const known = new Set(['from', 'chown', 'chmod', 'link']);
  const unknown = Object.keys(instruction.flags).filter((flag) => !known.has(flag));
  if (unknown.length > 0)
    throw new Error(`Dockerfile line ${String(instruction.line)}: COPY --${unknown.join(', --')} is not replayed`);
  const parts = words(instruction.args);
  const destination = parts.at(-1) ?? '';
  const sources = parts.slice(0, -1);
  const into = hostPath(state.root, state.workdir, destination);
  const intoDirectory = destination.endsWith('/') || destination === '.' || sources.length > 1;
  const from = instruction.flags['from'];
  if (from !== undefined) {
    const stage = state.done.find((candidate) => candidate.stage.name === from.toLowerCase());
    if (stage === undefined)
      throw new Error(`Dockerfile line ${String(instruction.line)}: COPY --from=${from}: no such earlier stage`);
    for (const source of sources) {
      const origin = stage.hostPath(path.posix.resolve('/', source));
      const isDirectory = (await stat(origin)).isDirectory();
      const target = isDirectory || !intoDirectory ? into : path.join(into, path.basename(origin));
      if (isDirectory) linkTree(origin, target);
      else await cp(origin, target);
    }
    return;
  }
  const { context, ignore } = state.options;
  for (const pattern of sources) {
    for (const source of await expandSource(context, pattern)) {
      const isDirectory = (await stat(path.join(context, source))).isDirectory();
      const files = await contextFiles(context, source, ignore);
      // Docker fails the same way: a source .dockerignore removed entirely is "not found".
      if (files.length === 0)
        throw new Error(`Dockerfile line ${String(instruction.line)}: COPY ${source}: excluded by .dockerignore`);
      for (const file of files) {
        const target = isDirectory
          ? path.join(into, path.relative(source, file))
          : intoDirectory
            ? path.join(into, path.basename(file))
            : into;
        await mkdir(path.dirname(target), { recursive: true });
        await cp(path.join(context, file), target);
      }
    }
  }
}

/**
 * Copies a directory as hard links: the same files at no cost (node_modules has ~30 000 of them, and
 * fs.cp takes half a minute on a busy machine). Nothing writes to either tree afterwards.
 */
function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const origin = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) linkTree(origin, target);
    else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(origin), target);
    else linkSync(origin, target);
  }
}

/**
 * RUN: only `npm ci …` (alone or joined with `&&`) is replayed, run without a shell. Anything else
 * would act on this machine rather than on an image, so it fails until someone teaches it here.
 */
async function replayRun(instruction: Instruction, cwd: string, env: Record<string, string>): Promise<void> {
  const known = new Set(['mount', 'network', 'security']);
  const unknown = Object.keys(instruction.flags).filter((flag) => !known.has(flag));
  if (unknown.length > 0)
    throw new Error(`Dockerfile line ${String(instruction.line)}: RUN --${unknown.join(', --')} is not replayed`);
  const exec = execForm(instruction.args);
  const commands = exec === undefined ? instruction.args.split('&&').map((part) => part.trim().split(/\s+/u)) : [exec];
  for (const argv of commands) {
    if (argv[0] !== 'npm' || argv[1] !== 'ci' || !argv.slice(2).every((arg) => /^--[a-z-]+(=[\w.-]+)?$/u.test(arg))) {
      throw new Error(
        `Dockerfile line ${String(instruction.line)}: RUN ${argv.join(' ')} is not replayed; teach test/helpers/docker-build-replay.ts`,
      );
    }
    await runCommand(argv, cwd, env);
  }
}

function runCommand(argv: readonly string[], cwd: string, env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawnInGroup(argv[0] ?? '', argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else {
        const hint = /ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|network/iu.test(output)
          ? ' It needs the npm registry (or a warm npm cache): is registry.npmjs.org reachable?'
          : '';
        reject(new Error(`${argv.join(' ')} failed with code ${String(code)}.${hint}\n${output.slice(-3000)}`));
      }
    });
  });
}
