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
  env: z.array(z.object({ name: z.string() })).default([]),
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
  spec: z.object({ minAvailable: z.number(), selector: z.object({ matchLabels: labels }) }),
});
const hpaSchema = z.object({
  apiVersion: z.literal('autoscaling/v2'),
  kind: z.literal('HorizontalPodAutoscaler'),
  metadata,
  spec: z.object({
    scaleTargetRef: z.object({ apiVersion: z.string(), kind: z.string(), name: z.string() }),
    minReplicas: z.number(),
    maxReplicas: z.number(),
    metrics: z.array(z.object({ type: z.string(), resource: z.object({ name: z.string() }).optional() })),
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
const service = manifest('service.yaml', serviceSchema);
const pdb = manifest('pdb.yaml', pdbSchema);
const hpa = manifest('hpa.yaml', hpaSchema);
const configMap = manifest('configmap.example.yaml', configMapSchema);
const secret = manifest('secret.example.yaml', secretSchema);
const pod = deployment.spec.template;
const [app] = pod.spec.containers;
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

describe('the Kubernetes manifests against the real server', () => {
  let running: InProcessService;
  let base: string;
  beforeAll(async () => {
    // A placeholder model key: readiness needs the job queue, which needs one; no model is called.
    running = await startServiceInProcess({
      ANTHROPIC_API_KEY: 'placeholder-not-a-key',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
    });
    base = running.url;
  }, 60_000);
  afterAll(async () => {
    await running.stop();
  });

  it('probes routes the server answers with 200 (liveness /healthz, readiness /readyz) on the container port', async () => {
    expect(app.livenessProbe.httpGet.path).toBe('/healthz');
    expect(app.readinessProbe.httpGet.path).toBe('/readyz');
    for (const probe of [app.startupProbe, app.livenessProbe, app.readinessProbe]) {
      expect(containerPort(probe.httpGet.port)).toBe(app.ports[0]?.containerPort);
      expect((await fetch(`${base}${probe.httpGet.path}`)).status, probe.httpGet.path).toBe(200);
    }
    expect((await fetch(`${base}/no-such-probe`)).status).toBe(404);
  });

  it('points Prometheus at /metrics on the container port', async () => {
    const annotations = pod.metadata.annotations;
    expect(Number(annotations['prometheus.io/port'])).toBe(app.ports[0]?.containerPort);
    const scrape = await fetch(`${base}${annotations['prometheus.io/path'] ?? ''}`);
    expect(scrape.status).toBe(200);
    expect(await scrape.text()).toContain('planner_http_requests_total');
  });
});

describe('the Kubernetes manifests against the configuration', () => {
  it('sets only environment variables the config knows, from the ConfigMap and Secret the Deployment names', () => {
    const known = configVariables();
    const set = [
      ...Object.keys(configMap.data),
      ...Object.keys(secret.stringData),
      ...app.env.map((entry) => entry.name),
    ];
    expect(set.filter((name) => !known.includes(name))).toEqual([]);
    expect(app.envFrom.flatMap((source) => source.configMapRef?.name ?? [])).toEqual([configMap.metadata.name]);
    expect(app.envFrom.flatMap((source) => source.secretRef?.name ?? [])).toEqual([secret.metadata.name]);
  });

  it('makes a valid production configuration from the examples, on Postgres', () => {
    const config = loadConfig(podEnv);
    expect(config.database.url).toBeDefined();
    expect(config.nodeEnv).toBe('production');
  });

  it('keeps credentials in the Secret, and the example Secret holds placeholders only', () => {
    expect(Object.keys(configMap.data).filter((name) => SECRET_NAME.test(name))).toEqual([]);
    expect(app.env.map((entry) => entry.name).filter((name) => SECRET_NAME.test(name))).toEqual([]);
    expect(Object.entries(secret.stringData).filter(([, value]) => !value.includes('REPLACE_ME'))).toEqual([]);
  });

  it("listens where the Service sends traffic: the config's PORT, the container port and the Service's targetPort agree", () => {
    const configured = loadConfig(podEnv).port;
    expect(configured).toBe(loadConfig({}).port);
    expect(app.ports.map((entry) => entry.containerPort)).toEqual([configured]);
    expect(service.spec.ports.map((entry) => containerPort(entry.targetPort))).toEqual([configured]);
  });

  it('gives pods longer to stop than the shutdown grace the service takes for running plans', () => {
    const preStop = app.lifecycle?.preStop;
    const preStopSeconds =
      preStop?.sleep?.seconds ?? (preStop?.exec?.command[0] === 'sleep' ? Number(preStop.exec.command[1]) : 0);
    // Beyond the grace: the preStop pause, up to 2 s of HTTP drain, closing the database, slack.
    expect(pod.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(
      preStopSeconds + loadConfig(podEnv).shutdownGraceSeconds + 10,
    );
  });
});

describe('the Kubernetes manifests on their own', () => {
  it('runs the container locked down: non-root, read-only root filesystem with a writable /tmp, no privilege escalation, no capabilities', () => {
    const context = { ...pod.spec.securityContext, ...app.securityContext };
    expect(context.runAsNonRoot).toBe(true);
    expect(context.runAsUser).not.toBe(0);
    expect(app.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(app.securityContext.allowPrivilegeEscalation).toBe(false);
    expect(app.securityContext.capabilities?.drop).toContain('ALL');
    const tmp = app.volumeMounts.find((mount) => mount.mountPath === '/tmp');
    expect(pod.spec.volumes.find((volume) => volume.name === tmp?.name)?.emptyDir).toBeDefined();
    expect(pod.spec.automountServiceAccountToken).toBe(false);
  });

  it('requests and limits resources, with room above the 300 MB memory target', () => {
    expect(bytes(app.resources.limits.memory)).toBeGreaterThanOrEqual(bytes('384Mi'));
    expect(bytes(app.resources.requests.memory)).toBeLessThanOrEqual(bytes(app.resources.limits.memory));
  });

  it('runs two or more replicas, rolls out gradually, and ties Service, PDB and HPA to its pods', () => {
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(deployment.spec.strategy.type).toBe('RollingUpdate');
    for (const selector of [
      deployment.spec.selector.matchLabels,
      service.spec.selector,
      pdb.spec.selector.matchLabels,
    ]) {
      expect(Object.keys(selector).length).toBeGreaterThan(0);
      expect(pod.metadata.labels).toMatchObject(selector);
    }
    expect(pdb.spec.minAvailable).toBe(1);
    expect(hpa.spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: deployment.metadata.name,
    });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec.maxReplicas).toBeGreaterThanOrEqual(hpa.spec.minReplicas);
    expect(hpa.spec.metrics.map((metric) => metric.resource?.name)).toContain('cpu');
  });
});
