// `npm run check:k8s`: renders each overlay under k8s/overlays with `kubectl kustomize`, validates
// every object against the Kubernetes API schemas (kubernetes-models, generated from the
// Kubernetes OpenAPI document) and checks Hookline's own rules: selectors match labels, every
// container has probes, requests and limits and the restricted securityContext, no `:latest`, no
// literal secrets, executor memory fits its isolates. `--self-test` breaks a rendered overlay in
// each way and fails unless every breakage is found.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OVERLAYS = join(ROOT, 'k8s', 'overlays');
/** Variables holding credentials: only ever from a Secret reference. */
const SECRET_VARIABLES = ['DATABASE_URL', 'ADMIN_TOKEN', 'SECRETS_KEYS'];
/** Node, the isolate pool and buffers, besides the script heaps. */
const EXECUTOR_BASE_MIB = 256;

export function render(overlay) {
  const text = execFileSync('kubectl', ['kustomize', join(OVERLAYS, overlay)], { encoding: 'utf8' });
  return parseAllDocuments(text).map((doc) => doc.toJS());
}

/** The problems of a rendered overlay, one readable line each; empty when it passes. */
export async function check(objects) {
  const problems = [];
  const name = (o) => `${o.kind}/${o.metadata?.name}`;
  const byKind = (kind) => objects.filter((o) => o.kind === kind);
  const workloads = [...byKind('Deployment'), ...byKind('Job')];
  const subset = (selector = {}, labels = {}) =>
    Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
  const deploymentFor = (selector) =>
    byKind('Deployment').find((d) => subset(selector, d.spec.template.metadata?.labels));

  for (const object of objects) {
    const model = await modelOf(object);
    if (!model) {
      problems.push(`${name(object)}: no schema for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    try {
      new model(object).validate();
    } catch (error) {
      problems.push(`${name(object)}: schema: ${error.message}`);
    }
  }

  if (byKind('Secret').length > 0) problems.push('a Secret is rendered: secrets come from the cluster, never from Git');

  for (const workload of workloads) {
    const template = workload.spec.template;
    if (workload.kind === 'Deployment' && !subset(workload.spec.selector?.matchLabels, template.metadata?.labels))
      problems.push(`${name(workload)}: selector does not match the pod template's labels`);
    const pod = template.spec;
    if (pod.automountServiceAccountToken !== false) problems.push(`${name(workload)}: mounts a service account token`);
    if (pod.securityContext?.seccompProfile?.type !== 'RuntimeDefault')
      problems.push(`${name(workload)}: seccompProfile is not RuntimeDefault`);
    for (const container of pod.containers) {
      const where = `${name(workload)} container ${container.name}`;
      const image = container.image ?? '';
      if (!/:[^/]+$/.test(image) || image.endsWith(':latest'))
        problems.push(`${where}: image '${image}' has no fixed tag`);
      if (workload.kind === 'Deployment') {
        for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe'])
          if (!container[probe]) problems.push(`${where}: no ${probe}`);
        if (!container.lifecycle?.preStop) problems.push(`${where}: no preStop`);
      }
      for (const kind of ['requests', 'limits'])
        for (const resource of ['cpu', 'memory'])
          if (!container.resources?.[kind]?.[resource]) problems.push(`${where}: no ${resource} in resources.${kind}`);
      const security = container.securityContext ?? {};
      if (security.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation is not false`);
      if (security.readOnlyRootFilesystem !== true) problems.push(`${where}: root filesystem is writable`);
      if (!(security.capabilities?.drop ?? []).includes('ALL'))
        problems.push(`${where}: capabilities are not all dropped`);
      if (security.runAsNonRoot !== true && pod.securityContext?.runAsNonRoot !== true)
        problems.push(`${where}: may run as root`);
      for (const variable of container.env ?? [])
        if (SECRET_VARIABLES.some((secret) => variable.name.startsWith(secret)) && !variable.valueFrom?.secretKeyRef)
          problems.push(`${where}: ${variable.name} is not a Secret reference`);
    }
  }

  for (const service of byKind('Service'))
    if (!deploymentFor(service.spec.selector)) problems.push(`${name(service)}: selector matches no Deployment`);
  for (const budget of byKind('PodDisruptionBudget'))
    if (!deploymentFor(budget.spec.selector?.matchLabels))
      problems.push(`${name(budget)}: selector matches no Deployment`);
  for (const hpa of byKind('HorizontalPodAutoscaler')) {
    const target = byKind('Deployment').find((d) => d.metadata.name === hpa.spec.scaleTargetRef.name);
    if (!target) problems.push(`${name(hpa)}: scales a Deployment that does not exist`);
    else if (target.spec.replicas !== undefined) problems.push(`${name(hpa)}: ${name(target)} also sets replicas`);
  }
  for (const ingress of byKind('Ingress'))
    for (const rule of ingress.spec.rules ?? [])
      for (const path of rule.http?.paths ?? []) {
        const service = byKind('Service').find((s) => s.metadata.name === path.backend.service?.name);
        const port = path.backend.service?.port;
        if (!service || !service.spec.ports.some((p) => p.name === port?.name || p.port === port?.number))
          problems.push(`${name(ingress)}: ${path.path} goes to a service or port that does not exist`);
      }

  // Executor memory: every concurrent run may fill its isolate's heap.
  const config = Object.assign({}, ...byKind('ConfigMap').map((c) => c.data));
  const executor = byKind('Deployment').find((d) => d.metadata.name === 'executor');
  const limit = mebibytes(executor?.spec.template.spec.containers[0].resources?.limits?.memory);
  const needed = Number(config.EXECUTOR_CONCURRENCY ?? 16) * Number(config.SCRIPT_MEMORY_MB ?? 64) + EXECUTOR_BASE_MIB;
  if (executor && !(limit >= needed))
    problems.push(
      `Deployment/executor: memory limit ${limit} Mi < EXECUTOR_CONCURRENCY x SCRIPT_MEMORY_MB + ${EXECUTOR_BASE_MIB} = ${needed} Mi`,
    );
  return problems;
}

async function modelOf({ apiVersion = '', kind }) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : [undefined, apiVersion];
  const module = await import(group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`).catch(
    () => null,
  );
  return module?.[kind];
}

function mebibytes(quantity) {
  const match = /^(\d+)(Mi|Gi)?$/.exec(quantity ?? '');
  if (!match) return NaN;
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : match[2] === 'Mi' ? 1 : 1 / (1024 * 1024));
}

/** Each breakage must be reported: proof that the checks above can fail. */
async function selfTest(objects) {
  const copy = () => structuredClone(objects);
  const deployment = (objs, n) => objs.find((o) => o.kind === 'Deployment' && o.metadata.name === n);
  const breakages = {
    'a selector that matches nothing': (o) => (deployment(o, 'matcher').spec.selector.matchLabels.extra = 'x'),
    'a missing readiness probe': (o) => delete deployment(o, 'ingress').spec.template.spec.containers[0].readinessProbe,
    'a latest image': (o) => (deployment(o, 'executor').spec.template.spec.containers[0].image = 'hookline:latest'),
    'no memory limit': (o) =>
      delete deployment(o, 'admin-api').spec.template.spec.containers[0].resources.limits.memory,
    'a writable root filesystem': (o) =>
      (deployment(o, 'matcher').spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false),
    'a literal secret': (o) =>
      deployment(o, 'ingress').spec.template.spec.containers[0].env.push({ name: 'ADMIN_TOKEN', value: 'change-me' }),
    'too little executor memory': (o) =>
      (deployment(o, 'executor').spec.template.spec.containers[0].resources.limits.memory = '512Mi'),
    'a schema violation': (o) =>
      (deployment(o, 'ingress').spec.template.spec.containers[0].ports[0].containerPort = 'http'),
  };
  const missed = [];
  for (const [what, breakIt] of Object.entries(breakages)) {
    const broken = copy();
    breakIt(broken);
    if ((await check(broken)).length === 0) missed.push(what);
  }
  return missed;
}

const overlays = readdirSync(OVERLAYS);
let failed = false;
for (const overlay of overlays) {
  const objects = render(overlay);
  const problems = await check(objects);
  const kinds = [...new Set(objects.map((o) => o.kind))].length;
  console.log(`k8s/overlays/${overlay}: ${objects.length} objects of ${kinds} kinds, ${problems.length} problems`);
  for (const problem of problems) console.log(`  ${problem}`);
  failed ||= problems.length > 0;
  if (process.argv.includes('--self-test')) {
    const missed = await selfTest(objects);
    console.log(`  self-test: ${missed.length === 0 ? 'every breakage found' : `missed ${missed.join(', ')}`}`);
    failed ||= missed.length > 0;
  }
}
process.exit(failed ? 1 : 0);
