import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Certificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import { Issuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Issuer';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../services/core/config/config.js';

// Offline schema validation (the Kubernetes and cert-manager OpenAPI schemas shipped in
// kubernetes-models), then the structure our app depends on: probes on the right ports,
// the runner boundary, non-root, no secret material in the repository.

const DIR = 'deploy/kubernetes';
const DEFAULTS = loadConfig({});

/** Parsed YAML below the fields every manifest has: the schema check has vetted its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; [key: string]: Loose };

const VALIDATORS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'cert-manager.io/v1/Certificate': Certificate,
  'cert-manager.io/v1/Issuer': Issuer,
};

const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));
const manifests: Array<Manifest & { file: string }> = files
  .filter((f) => f !== 'kustomization.yaml')
  .flatMap((file) =>
    parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((doc) => {
      expect(doc.errors, file).toEqual([]);
      return { ...(doc.toJS() as Manifest), file };
    }),
  );

const find = (kind: string, name: string): Manifest => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};
const podSpecs = () =>
  manifests
    .filter((m) => m.kind === 'Deployment' || m.kind === 'Job')
    .map((m) => ({
      name: m.metadata.name,
      spec: m.spec.template.spec,
      labels: m.spec.template.metadata.labels,
    }));
const containerPort = (container: Loose, port: string | number): number =>
  typeof port === 'number'
    ? port
    : container.ports.find((p: { name: string }) => p.name === port).containerPort;

describe('deploy/kubernetes', () => {
  it('parses, and every object passes its Kubernetes / cert-manager schema', () => {
    expect(manifests.length).toBeGreaterThan(10);
    for (const m of manifests) {
      const Model = VALIDATORS[`${m.apiVersion}/${m.kind}`];
      expect(Model, `${m.file}: no schema for ${m.apiVersion} ${m.kind}`).toBeDefined();
      const { file: _file, ...data } = m;
      expect(
        () => new Model!(data as never).validate(),
        `${m.file} ${m.kind} ${m.metadata.name}`,
      ).not.toThrow();
    }
  });

  it('kustomization lists every manifest file', () => {
    const [kustomization] = parseAllDocuments(readFileSync(join(DIR, 'kustomization.yaml'), 'utf8'));
    const { resources } = kustomization!.toJS() as { resources: string[] };
    expect([...resources].sort()).toEqual(files.filter((f) => f !== 'kustomization.yaml').sort());
  });

  it('has the API, the resolver, the migration job, their Services, the NetworkPolicy and certificates', () => {
    find('Deployment', 'strongroom-api');
    find('Deployment', 'strongroom-resolver');
    find('Job', 'strongroom-migrate');
    find('Service', 'strongroom-api');
    find('Service', 'strongroom-resolver');
    find('NetworkPolicy', 'strongroom-resolver-ingress');
    find('Certificate', 'strongroom-resolver-server');
    find('ConfigMap', 'strongroom-runner-policy');
  });

  it('runs each container with one of the image commands: api, resolver or migrate', () => {
    const commands = podSpecs().flatMap(({ spec }) =>
      spec.containers.map((c: Loose) => {
        expect(c.command, 'keep the image ENTRYPOINT').toBeUndefined();
        expect(c.image).toBe('strongroom');
        return c.args.join(' ');
      }),
    );
    expect(commands.sort()).toEqual(['api', 'migrate', 'resolver']);
  });

  it('probes the API on its HTTP port and the resolver on its plain-HTTP ops port, never the mTLS port', () => {
    const api = find('Deployment', 'strongroom-api').spec.template.spec.containers[0];
    expect(api.livenessProbe.httpGet.path).toBe('/healthz');
    expect(api.readinessProbe.httpGet.path).toBe('/readyz');
    expect(containerPort(api, api.livenessProbe.httpGet.port)).toBe(DEFAULTS.apiPort);
    expect(containerPort(api, api.readinessProbe.httpGet.port)).toBe(DEFAULTS.apiPort);

    const resolver = find('Deployment', 'strongroom-resolver').spec.template.spec.containers[0];
    for (const probe of [resolver.livenessProbe, resolver.readinessProbe, resolver.startupProbe]) {
      expect(probe.httpGet.scheme ?? 'HTTP').toBe('HTTP');
      expect(containerPort(resolver, probe.httpGet.port)).toBe(DEFAULTS.resolverMetricsPort);
    }
    expect(resolver.readinessProbe.httpGet.path).toBe('/readyz');
    expect(containerPort(resolver, 'grpc')).toBe(DEFAULTS.resolverPort);

    // The ConfigMap sets the same ports the probes assume.
    const config = find('ConfigMap', 'strongroom-config').data;
    expect(Number(config.STRONGROOM_API_PORT)).toBe(DEFAULTS.apiPort);
    expect(Number(config.STRONGROOM_RESOLVER_PORT)).toBe(DEFAULTS.resolverPort);
    expect(Number(config.STRONGROOM_RESOLVER_METRICS_PORT)).toBe(DEFAULTS.resolverMetricsPort);
  });

  it('lets only runner pods reach the resolver gRPC port', () => {
    const policy = find('NetworkPolicy', 'strongroom-resolver-ingress').spec;
    const resolverPod = find('Deployment', 'strongroom-resolver').spec.template.metadata.labels;
    for (const [key, value] of Object.entries(policy.podSelector.matchLabels))
      expect(resolverPod[key]).toBe(value);
    expect(policy.policyTypes).toContain('Ingress');
    const rules: Loose[] = policy.ingress;
    for (const rule of rules) {
      expect(rule.from?.length, 'a rule without peers admits everyone').toBeGreaterThan(0);
      expect(rule.ports?.length, 'a rule without ports admits every port').toBeGreaterThan(0);
    }
    const grpcRules = rules.filter((r) =>
      r.ports.some((p: Loose) => p.port === DEFAULTS.resolverPort || p.port === 'grpc'),
    );
    expect(grpcRules).toHaveLength(1);
    expect(grpcRules[0].from).toEqual([
      { namespaceSelector: {}, podSelector: { matchLabels: { 'strongroom.io/role': 'runner' } } },
    ]);
  });

  it('runs every pod as non-root with a read-only root filesystem and no privilege escalation', () => {
    for (const { name, spec } of podSpecs()) {
      expect(spec.securityContext.runAsNonRoot, name).toBe(true);
      expect(spec.securityContext.runAsUser, name).toBeGreaterThan(0);
      for (const c of spec.containers) {
        expect(c.securityContext.readOnlyRootFilesystem, name).toBe(true);
        expect(c.securityContext.allowPrivilegeEscalation, name).toBe(false);
        expect(c.securityContext.capabilities.drop, name).toContain('ALL');
      }
    }
  });

  it('takes DATABASE_URL and the master keys from Secrets, and holds no secret material itself', () => {
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
    for (const { name, spec } of podSpecs()) {
      const env = spec.containers[0].env as Array<{ name: string; value?: string; valueFrom?: unknown }>;
      expect(
        env.find((e) => e.name === 'DATABASE_URL'),
        name,
      ).toMatchObject({
        valueFrom: { secretKeyRef: { name: 'strongroom-database', key: 'url' } },
      });
      expect(
        env.find((e) => e.name === 'STRONGROOM_MASTER_KEYS'),
        name,
      ).toBeUndefined();
    }
    const config = find('ConfigMap', 'strongroom-config').data;
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.STRONGROOM_MASTER_KEYS).toBeUndefined();
    for (const deployment of ['strongroom-api', 'strongroom-resolver']) {
      const spec = find('Deployment', deployment).spec.template.spec;
      const mount = spec.containers[0].volumeMounts.find((v: { mountPath: string }) =>
        config.STRONGROOM_MASTER_KEYS_FILE.startsWith(`${v.mountPath}/`),
      );
      const volume = spec.volumes.find((v: { name: string }) => v.name === mount?.name);
      expect(volume?.secret?.secretName, deployment).toBe('strongroom-master-keys');
    }
    const everything = files.map((f) => readFileSync(join(DIR, f), 'utf8')).join('\n');
    expect(everything).not.toMatch(/-----BEGIN/);
    expect(everything).not.toMatch(/mysql:\/\/[^\s@/]+:[^\s@/]+@(?!host)/);
    expect(everything).not.toMatch(/[A-Za-z0-9+/]{43}=/); // a base64 256-bit key
  });

  it('configures a production process completely (every required variable is set)', () => {
    const config = find('ConfigMap', 'strongroom-config').data;
    const loaded = loadConfig({ ...config, DATABASE_URL: 'mysql://from-secret/db' });
    expect(loaded.mode).toBe('production');
    expect(loaded.masterKeys).toEqual({ kind: 'file', path: config.STRONGROOM_MASTER_KEYS_FILE });
  });

  it('mounts the cert-manager server certificate and the runner policy where the config points', () => {
    const config = find('ConfigMap', 'strongroom-config').data;
    const spec = find('Deployment', 'strongroom-resolver').spec.template.spec;
    const volumeFor = (path: string) => {
      const mount = spec.containers[0].volumeMounts.find((v: { mountPath: string }) =>
        path.startsWith(`${v.mountPath}/`),
      );
      return spec.volumes.find((v: { name: string }) => v.name === mount?.name);
    };
    const serverCert = find('Certificate', 'strongroom-resolver-server').spec;
    for (const path of [config.STRONGROOM_TLS_CERT, config.STRONGROOM_TLS_KEY, config.STRONGROOM_RUNNER_CA]) {
      expect(volumeFor(path)?.secret?.secretName).toBe(serverCert.secretName);
    }
    expect(serverCert.usages).toContain('server auth');
    expect(find('Issuer', serverCert.issuerRef.name).spec.ca).toBeDefined();
    expect(volumeFor(config.STRONGROOM_RUNNER_POLICY)?.configMap?.name).toBe('strongroom-runner-policy');
    const policy = JSON.parse(find('ConfigMap', 'strongroom-runner-policy').data['runner-policy.json']);
    expect(Object.keys(policy.runners)).toContain('spiffe://strongroom/runner/cloud');
  });
});
