import { z } from 'zod';
import type { KubeObject } from '../k8s-object';
import { readAs, ZCondition, type Condition, type HealthStatus } from './types';

const ZHpa = z.looseObject({
  metadata: z.looseObject({ annotations: z.record(z.string(), z.string()).optional() }),
  status: z.looseObject({ conditions: z.array(ZCondition).optional() }).optional(),
});

const V1_CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';

const DEGRADED: ReadonlyArray<readonly [string, string]> = [
  ['AbleToScale', 'FailedGetScale'],
  ['AbleToScale', 'FailedUpdateScale'],
  ['ScalingActive', 'FailedGetResourceMetric'],
  ['ScalingActive', 'InvalidSelector'],
];
const HEALTHY_TYPES = ['AbleToScale', 'ScalingLimited'];
const WAITING: HealthStatus = { status: 'Progressing', message: 'Waiting to Autoscale' };

function v1Conditions(annotations: Record<string, string> | undefined): Condition[] | 'invalid' {
  const raw = annotations?.[V1_CONDITIONS_ANNOTATION];
  if (raw === undefined) return [];
  try {
    const parsed = z.array(ZCondition).safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : 'invalid';
  } catch {
    return 'invalid';
  }
}

/**
 * gitops-engine `getHPAHealth`: a known failure reason on any condition → Degraded (upstream fixture
 * `hpa-v2-degraded-partially`: AbleToScale=True but ScalingActive failing is Degraded); otherwise an
 * AbleToScale/ScalingLimited=True condition → Healthy; otherwise waiting. Upstream revisions differ on
 * the Healthy test (first match vs. every condition); "every" leaves a normal HPA with
 * ScalingActive=True waiting forever, so we take "any". autoscaling/v1 keeps conditions in an annotation.
 */
export function horizontalPodAutoscalerHealth(obj: KubeObject): HealthStatus {
  return readAs(ZHpa, obj, (hpa) => {
    let conditions: Condition[];
    if (obj.apiVersion === 'autoscaling/v1') {
      const fromAnnotation = v1Conditions(hpa.metadata.annotations);
      if (fromAnnotation === 'invalid')
        return { status: 'Unknown', message: 'failed to read the conditions annotation' };
      conditions = fromAnnotation;
    } else {
      conditions = hpa.status?.conditions ?? [];
    }
    if (conditions.length === 0) return WAITING;
    const degraded = conditions.find((c) => DEGRADED.some(([type, reason]) => c.type === type && c.reason === reason));
    if (degraded) return { status: 'Degraded', message: degraded.message ?? '' };
    const healthy = conditions.find((c) => HEALTHY_TYPES.includes(c.type) && c.status === 'True');
    if (healthy) return { status: 'Healthy', message: healthy.message ?? '' };
    return WAITING;
  });
}
