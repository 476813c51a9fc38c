/**
 * Mesh-wide settings: Istio defaults, then the design's `ConfigMap istio-system/istio` key `mesh`,
 * then an explicit override (MeshConfig-shaped object, e.g. from `--mesh-config`).
 */
import { parse as parseYaml } from 'yaml';
import type { MeshModel } from '../model/model';
import type { ResourceKey } from '../model/resource';
import { parseDurationMs } from './duration';
import type { ConfigIssue, MeshSettings, OutboundMode } from './types';

/** Istio ≥ 1.24 default retry policy (no retriable status codes, so a 503 is not retried). */
export const DEFAULT_RETRY_ON = 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes';

export function defaultMeshSettings(): MeshSettings {
  return {
    outboundTrafficPolicy: { mode: 'ALLOW_ANY' },
    enableAutoMtls: true,
    rootNamespace: 'istio-system',
    connectTimeoutMs: 10_000,
    defaultHttpRetryPolicy: { attempts: 2, retryOn: DEFAULT_RETRY_ON, perTryTimeoutMs: null },
    origin: { overridden: [] },
  };
}

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => !!v && typeof v === 'object' && !Array.isArray(v);

function apply(settings: MeshSettings, raw: Raw, label: string): void {
  const otp = raw.outboundTrafficPolicy;
  if (isObj(otp) && typeof otp.mode === 'string') {
    const mode = otp.mode.toUpperCase();
    if (mode === 'ALLOW_ANY' || mode === 'REGISTRY_ONLY') {
      settings.outboundTrafficPolicy = { mode: mode as OutboundMode };
      settings.origin.overridden.push(`outboundTrafficPolicy.mode (${label})`);
    }
  }
  if (typeof raw.enableAutoMtls === 'boolean') {
    settings.enableAutoMtls = raw.enableAutoMtls;
    settings.origin.overridden.push(`enableAutoMtls (${label})`);
  }
  if (typeof raw.rootNamespace === 'string' && raw.rootNamespace) {
    settings.rootNamespace = raw.rootNamespace;
    settings.origin.overridden.push(`rootNamespace (${label})`);
  }
  const ct = parseDurationMs(raw.connectTimeout);
  if (ct !== null) {
    settings.connectTimeoutMs = ct;
    settings.origin.overridden.push(`connectTimeout (${label})`);
  }
  const rp = raw.defaultHttpRetryPolicy;
  if (isObj(rp)) {
    settings.defaultHttpRetryPolicy = {
      attempts: typeof rp.attempts === 'number' ? rp.attempts : 0,
      retryOn: typeof rp.retryOn === 'string' ? rp.retryOn : DEFAULT_RETRY_ON,
      perTryTimeoutMs: parseDurationMs(rp.perTryTimeout),
    };
    settings.origin.overridden.push(`defaultHttpRetryPolicy (${label})`);
  }
}

/** Reads mesh settings from the design (ConfigMap `istio` in the root namespace) and an override. */
export function resolveMeshSettings(model: MeshModel, override?: Raw | null, issues?: ConfigIssue[]): MeshSettings {
  const settings = defaultMeshSettings();
  const root = typeof override?.rootNamespace === 'string' ? override.rootNamespace : settings.rootNamespace;
  const cm = model.ofKind('ConfigMap').find((r) => r.name === 'istio' && r.namespace === root);
  if (cm) {
    const text = (cm.spec as Record<string, unknown>).mesh;
    if (typeof text === 'string') {
      try {
        const raw = parseYaml(text) as unknown;
        if (isObj(raw)) {
          apply(settings, raw, `ConfigMap ${root}/istio`);
          settings.origin.resource = cm.key as ResourceKey;
        }
      } catch (e) {
        issues?.push({
          severity: 'error',
          code: 'MeshConfigInvalid',
          message: `ConfigMap ${root}/istio key "mesh" is not valid YAML: ${(e as Error).message.split('\n')[0]}`,
          resource: cm.key,
          path: ['data', 'mesh'],
        });
      }
    }
  }
  if (override && isObj(override)) apply(settings, override, 'override');
  return settings;
}
