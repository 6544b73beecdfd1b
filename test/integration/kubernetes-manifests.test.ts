import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../../src/config.ts';
import { configVariables, SECRET_NAME } from '../helpers/config-variables.ts';
import { REPO_ROOT } from '../helpers/prompts.ts';
import { startServiceInProcess, type InProcessService } from '../helpers/service.ts';

// The Kubernetes manifests checked against the code: probe paths on the real server, ports,
// every environment variable they set, security settings, and labels that tie the pieces together.

const labels = z.record(z.string(), z.string());
const metadata = z.object({ name: z.string(), labels: labels.optional(), annotations: labels.optional() });
const port = z.union([z.string(), z.number()]);
const httpProbe = z.object({ httpGet: z.object({ path: z.string(), port }) });
const securityContext = z
  .object({
    runAsNonRoot: z.boolean().optional(),
    runAsUser: z.number().optional(),
    allowPrivilegeEscalation: z.boolean().optional(),
    readOnlyRootFilesystem: z.boolean().optional(),
    capabilities: z.object({ drop: z.array(z.string()).optional() }).optional(),
  })
  .default({});
const container = z.object({
  ports: z.array(z.object({ name: z.string().optional(), containerPort: z.number() })),
  env: z.array(z.object({ name: z.string(), value: z.string().optional() })).default([]),
  envFrom: z.array(
    z.object({
      configMapRef: z.object({ name: z.string() }).optional(),
      secretRef: z.object({ name: z.string() }).optional(),
    }),
  ),
  startupProbe: httpProbe,
  livenessProbe: httpProbe,
  readinessProbe: httpProbe,
  lifecycle: z
    .object({
      preStop: z.object({
        exec: z.object({ command: z.array(z.string()) }).optional(),
        sleep: z.object({ seconds: z.number() }).optional(),
      }),
    })
    .optional(),
  resources: z.object({
    requests: z.object({ cpu: z.string(), memory: z.string() }),
    limits: z.object({ cpu: z.string().optional(), memory: z.string() }),
  }),
  securityContext,
  volumeMounts: z.array(z.object({ name: z.string(), mountPath: z.string() })).default([]),
});
const deploymentSchema = z.object({
  apiVersion: z.literal('apps/v1'),
  kind: z.literal('Deployment'),
  metadata,
  spec: z.object({
    replicas: z.number(),
    selector: z.object({ matchLabels: labels }),
    strategy: z.object({ type: z.string() }),
    template: z.object({
      metadata: z.object({ labels, annotations: labels.default({}) }),
      spec: z.object({
        automountServiceAccountToken: z.boolean().optional(),
        terminationGracePeriodSeconds: z.number(),
        securityContext,
        containers: z.tuple([container]),
        volumes: z.array(z.object({ name: z.string(), emptyDir: z.object({}).optional() })).default([]),
      }),
    }),
  }),
});
const serviceSchema = z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('Service'),
  metadata,
  spec: z.object({ selector: labels, ports: z.array(z.object({ port: z.number(), targetPort: port })) }),
});
const pdbSchema = z.object({
  apiVersion: z.literal('policy/v1'),
  kind: z.literal('PodDisruptionBudget'),
  metadata,
  spec: z.object({
    minAvailable: z.number().optional(),
    maxUnavailable: z.number().optional(),
    selector: z.object({ matchLabels: labels }),
  }),
});
const hpaSchema = z.object({
  apiVersion: z.literal('autoscaling/v2'),
  kind: z.literal('HorizontalPodAutoscaler'),
  metadata,
  spec: z.object({
    scaleTargetRef: z.object({ apiVersion: z.string(), kind: z.string(), name: z.string() }),
    minReplicas: z.number(),
    maxReplicas: z.number(),
    metrics: z.array(
      z.object({
        type: z.string(),
        resource: z.object({ name: z.string() }).optional(),
        external: z
          .object({ metric: z.object({ name: z.string(), selector: z.object({ matchLabels: labels }) }) })
          .optional(),
      }),
    ),
  }),
});
// Values must be strings: an unquoted number or boolean is refused by the API server.
const configMapSchema = z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('ConfigMap'),
  metadata,
  data: z.record(z.string(), z.string()),
});
const secretSchema = z.object({
  apiVersion: z.literal('v1'),
  kind: z.literal('Secret'),
  metadata,
  stringData: z.record(z.string(), z.string()),
});

function manifest<T>(file: string, schema: z.ZodType<T>): T {
  const text = readFileSync(path.join(REPO_ROOT, 'manifests/kubernetes', file), 'utf8');
  // YAML 1.2 core schema: "yes"/"no" stay strings, as Kubernetes reads them.
  return schema.parse(parse(text, { schema: 'core' }));
}

const deployment = manifest('deployment.yaml', deploymentSchema);
const workerDeployment = manifest('worker-deployment.yaml', deploymentSchema);
const service = manifest('service.yaml', serviceSchema);
const pdb = manifest('pdb.yaml', pdbSchema);
const workerPdb = manifest('worker-pdb.yaml', pdbSchema);
const hpa = manifest('hpa.yaml', hpaSchema);
const workerHpa = manifest('worker-hpa.yaml', hpaSchema);
const configMap = manifest('configmap.example.yaml', configMapSchema);
const secret = manifest('secret.example.yaml', secretSchema);
const pod = deployment.spec.template;
const [app] = pod.spec.containers;
const workerPod = workerDeployment.spec.template;
const [worker] = workerPod.spec.containers;
/** Both parts: the web Deployment (answers Slack and Teams) and the worker Deployment (plan jobs). */
const PARTS = [
  { part: 'web', deployment, pod, container: app },
  { part: 'worker', deployment: workerDeployment, pod: workerPod, container: worker },
] as const;
/** A part's PROCESS_ROLE, as its Deployment sets it. */
const roleOf = (container: typeof app) =>
  (container.env as { name: string; value?: string }[]).find((entry) => entry.name === 'PROCESS_ROLE')?.value;
/** What the container's environment holds in production (the image sets NODE_ENV too). */
const podEnv: Record<string, string> = { NODE_ENV: 'production', ...configMap.data, ...secret.stringData };

/** A container port by name or number, as Kubernetes resolves probe and Service ports. */
function containerPort(ref: string | number): number | undefined {
  return typeof ref === 'number' ? ref : app.ports.find((candidate) => candidate.name === ref)?.containerPort;
}

/** Bytes of a Kubernetes quantity such as 512Mi or 1G. */
function bytes(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?$/u.exec(quantity);
  if (match === null) throw new Error(`not a memory quantity: ${quantity}`);
  const unit = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, K: 1e3, M: 1e6, G: 1e9 }[match[2] ?? ''] ?? 1;
  return Number(match[1]) * unit;
}

describe.each(PARTS)('the Kubernetes manifests against the real server: $part', ({ part, pod: partPod, container }) => {
  let running: InProcessService;
  let base: string;
  beforeAll(async () => {
    // A placeholder model key: readiness needs the job queue, which needs one; no model is called.
    running = await startServiceInProcess({
      ANTHROPIC_API_KEY: 'placeholder-not-a-key',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
      PROCESS_ROLE: roleOf(container) ?? '',
      // Teams on (unauthenticated, as for local testing), so its endpoint shows where it is served.
      TEAMS_ENABLED: 'true',
    });
    base = running.url;
  }, 60_000);
  afterAll(async () => {
    await running.stop();
  });

  it('sets its PROCESS_ROLE', () => {
    expect(roleOf(container)).toBe(part);
  });

  it('probes routes the server answers with 200 (liveness /healthz, readiness /readyz) on the container port', async () => {
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    for (const probe of [container.startupProbe, container.livenessProbe, container.readinessProbe]) {
      expect(containerPort(probe.httpGet.port)).toBe(container.ports[0]?.containerPort);
      expect((await fetch(`${base}${probe.httpGet.path}`)).status, probe.httpGet.path).toBe(200);
    }
    expect((await fetch(`${base}/no-such-probe`)).status).toBe(404);
  });

  it('points Prometheus at /metrics on the container port, labelled with its part', async () => {
    const annotations = partPod.metadata.annotations;
    expect(Number(annotations['prometheus.io/port'])).toBe(container.ports[0]?.containerPort);
    const scrape = await fetch(`${base}${annotations['prometheus.io/path'] ?? ''}`);
    expect(scrape.status).toBe(200);
    const text = await scrape.text();
    expect(text).toContain('planner_http_requests_total');
    expect(text).toContain(`part="${part}"`);
  });

  it(part === 'web' ? 'answers Slack and Teams' : 'takes no Slack or Teams requests', async () => {
    const status = (await fetch(`${base}/api/messages`, { method: 'POST', body: '{}' })).status;
    if (part === 'web') expect(status).not.toBe(404);
    else expect(status).toBe(404);
  });
});

describe('the Kubernetes manifests against the configuration', () => {
  it('sets only environment variables the config knows, from the ConfigMap and Secret the Deployment names', () => {
    const known = configVariables();
    const set = [
      ...Object.keys(configMap.data),
      ...Object.keys(secret.stringData),
      ...app.env.map((entry) => entry.name),
      ...worker.env.map((entry) => entry.name),
    ];
    expect(set.filter((name) => !known.includes(name))).toEqual([]);
    for (const container of [app, worker]) {
      expect(container.envFrom.flatMap((source) => source.configMapRef?.name ?? [])).toEqual([configMap.metadata.name]);
      expect(container.envFrom.flatMap((source) => source.secretRef?.name ?? [])).toEqual([secret.metadata.name]);
    }
  });

  it('makes a valid production configuration from the examples for each part, on Postgres', () => {
    for (const container of [app, worker]) {
      const config = loadConfig({ ...podEnv, PROCESS_ROLE: roleOf(container) ?? '' });
      expect(config.database.url).toBeDefined();
      expect(config.nodeEnv).toBe('production');
      expect(config.process.role).toBe(roleOf(container));
    }
  });

  it('keeps credentials in the Secret, and the example Secret holds placeholders only', () => {
    expect(Object.keys(configMap.data).filter((name) => SECRET_NAME.test(name))).toEqual([]);
    for (const container of [app, worker])
      expect(container.env.map((entry) => entry.name).filter((name) => SECRET_NAME.test(name))).toEqual([]);
    expect(Object.entries(secret.stringData).filter(([, value]) => !value.includes('REPLACE_ME'))).toEqual([]);
  });

  it("listens where the Service sends traffic: the config's PORT, the container port and the Service's targetPort agree", () => {
    const configured = loadConfig(podEnv).port;
    expect(configured).toBe(loadConfig({}).port);
    expect(app.ports.map((entry) => entry.containerPort)).toEqual([configured]);
    expect(service.spec.ports.map((entry) => containerPort(entry.targetPort))).toEqual([configured]);
  });

  it('gives pods longer to stop than the shutdown grace the service takes for running plans', () => {
    for (const { pod: partPod, container } of PARTS) {
      const preStop = container.lifecycle?.preStop;
      const preStopSeconds =
        preStop?.sleep?.seconds ?? (preStop?.exec?.command[0] === 'sleep' ? Number(preStop.exec.command[1]) : 0);
      // Beyond the grace: the preStop pause, up to 2 s of HTTP drain, closing the database, slack.
      expect(partPod.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(
        preStopSeconds + loadConfig(podEnv).shutdownGraceSeconds + 10,
      );
    }
  });
});

describe.each(PARTS)(
  'the Kubernetes manifests on their own: $part',
  ({ part, deployment: partDeployment, pod: partPod, container }) => {
    it('runs the container locked down: non-root, read-only root filesystem with a writable /tmp, no privilege escalation, no capabilities', () => {
      const context = { ...partPod.spec.securityContext, ...container.securityContext };
      expect(context.runAsNonRoot).toBe(true);
      expect(context.runAsUser).not.toBe(0);
      expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
      expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
      expect(container.securityContext.capabilities?.drop).toContain('ALL');
      const tmp = container.volumeMounts.find((mount) => mount.mountPath === '/tmp');
      expect(partPod.spec.volumes.find((volume) => volume.name === tmp?.name)?.emptyDir).toBeDefined();
      expect(partPod.spec.automountServiceAccountToken).toBe(false);
    });

    it('requests and limits resources (plan workers with room above the 300 MB memory target)', () => {
      const floor = part === 'worker' ? bytes('384Mi') : bytes('256Mi');
      expect(bytes(container.resources.limits.memory)).toBeGreaterThanOrEqual(floor);
      expect(bytes(container.resources.requests.memory)).toBeLessThanOrEqual(bytes(container.resources.limits.memory));
    });

    it('runs two or more replicas, rolls out gradually, and ties its PDB and HPA to its pods', () => {
      const partPdb = part === 'web' ? pdb : workerPdb;
      const partHpa = part === 'web' ? hpa : workerHpa;
      expect(partDeployment.spec.replicas).toBeGreaterThanOrEqual(2);
      expect(partDeployment.spec.strategy.type).toBe('RollingUpdate');
      const selectors = [partDeployment.spec.selector.matchLabels, partPdb.spec.selector.matchLabels];
      for (const selector of part === 'web' ? [...selectors, service.spec.selector] : selectors) {
        expect(Object.keys(selector).length).toBeGreaterThan(0);
        expect(partPod.metadata.labels).toMatchObject(selector);
      }
      expect(partHpa.spec.scaleTargetRef).toEqual({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: partDeployment.metadata.name,
      });
      expect(partHpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
      expect(partHpa.spec.maxReplicas).toBeGreaterThanOrEqual(partHpa.spec.minReplicas);
      expect(partHpa.spec.metrics.map((metric) => metric.resource?.name)).toContain('cpu');
    });
  },
);

describe('the two parts together', () => {
  it('sends Slack and Teams only to web pods, keeps one answering through evictions, and scales workers on queued jobs', () => {
    expect(workerPod.metadata.labels).not.toMatchObject(service.spec.selector);
    expect(pdb.spec.minAvailable).toBe(1);
    expect(workerPdb.spec.maxUnavailable).toBe(1);
    const queued = workerHpa.spec.metrics.find((metric) => metric.type === 'External')?.external?.metric;
    // The metric the pods report (src/observability/scrape-gauges.ts), with its real labels.
    expect(queued).toEqual({
      name: 'planner_queue_jobs',
      selector: { matchLabels: { queue: 'plan-run', state: 'queued' } },
    });
  });
});
