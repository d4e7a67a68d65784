// Validates every Kubernetes object under a directory against the published schemas of
// Kubernetes (kubernetes-models), KEDA and the Prometheus Operator (@kubernetes-models/*), and
// the Grafana dashboard's shape. Exit 1 on the first file with an invalid object; it names the
// file, the object and the schema's complaint. Used by .ci/run (README, "Operating it").
//
//   node k8s/validate/validate.mjs k8s
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parseAllDocuments } from "yaml";

/** apiVersion → the module holding its kinds. Anything else is refused: we ship no other kinds. */
const MODULES = {
  "v1": "kubernetes-models/v1",
  "apps/v1": "kubernetes-models/apps/v1",
  "policy/v1": "kubernetes-models/policy/v1",
  "autoscaling/v2": "kubernetes-models/autoscaling/v2",
  "networking.k8s.io/v1": "kubernetes-models/networking.k8s.io/v1",
  "keda.sh/v1alpha1": "@kubernetes-models/keda/keda.sh/v1alpha1",
  "monitoring.coreos.com/v1": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1",
};
/** Not cluster objects: kustomize's own files. */
const SKIP = new Set(["kustomize.config.k8s.io/v1beta1"]);

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "node_modules") return [];
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

async function validateObject(obj, where) {
  if (!obj || typeof obj !== "object") throw new Error(`${where}: not a YAML mapping`);
  const { apiVersion, kind } = obj;
  if (SKIP.has(apiVersion)) return false;
  const module = MODULES[apiVersion];
  if (!module) throw new Error(`${where}: apiVersion ${apiVersion} is not one this validator knows`);
  const models = await import(module);
  const Model = models[kind];
  if (!Model) throw new Error(`${where}: ${apiVersion} has no kind ${kind}`);
  // validate() checks the object against the kind's JSON schema (types, required fields, enums)
  try {
    new Model(obj).validate();
  } catch (e) {
    e.message = `${where}: ${e.message}`;
    throw e;
  }
  return true;
}

function validateDashboard(text, where) {
  const d = JSON.parse(text);
  if (typeof d.title !== "string" || !Array.isArray(d.panels) || d.panels.length === 0) {
    throw new Error(`${where}: a Grafana dashboard needs a title and panels`);
  }
  for (const p of d.panels) {
    if (!p.title || !Array.isArray(p.targets) || p.targets.some((t) => !/court_/.test(t.expr ?? ""))) {
      throw new Error(`${where}: panel "${p.title}" must query court_* metrics`);
    }
  }
}

const root = process.argv[2] ?? ".";
let checked = 0;
let failed = 0;
for (const path of files(root).sort()) {
  const where = relative(process.cwd(), path);
  try {
    if (path.endsWith(".yaml") || path.endsWith(".yml")) {
      const docs = parseAllDocuments(readFileSync(path, "utf8"));
      for (const [i, doc] of docs.entries()) {
        if (doc.errors.length) throw new Error(`${where}#${i}: ${doc.errors[0].message}`);
        const obj = doc.toJS();
        if (obj === null) continue;
        if (await validateObject(obj, `${where}#${i} ${obj.kind}/${obj.metadata?.name}`)) checked++;
      }
    } else if (path.endsWith("dashboard.json")) {
      validateDashboard(readFileSync(path, "utf8"), where);
      checked++;
    }
  } catch (e) {
    failed++;
    console.error(`INVALID ${e.message}${e.errors ? "\n" + JSON.stringify(e.errors, null, 2) : ""}`);
  }
}
console.log(`${checked} object(s) valid, ${failed} file(s) invalid under ${root}`);
process.exit(failed === 0 && checked > 0 ? 0 : 1);
