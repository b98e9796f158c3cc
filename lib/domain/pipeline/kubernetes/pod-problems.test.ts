import { describe, expect, it } from 'vitest';
import { podStartProblem, sidecarsReady } from './pod-problems';
import type { ContainerStatusLike, PodReading } from './pod-types';

const pod = (status: PodReading['status']): PodReading => ({
  metadata: { name: 'ci-build-pod', labels: { 'tekton.dev/taskRun': 'ci-build' } },
  spec: {
    initContainers: [{ name: 'prepare', image: 'ghcr.io/tektoncd/pipeline/entrypoint:v1.15.0' }],
    containers: [
      { name: 'step-compile', image: 'golang:1.23' },
      { name: 'sidecar-db', image: 'postgres:16' },
    ],
  },
  status,
});

describe('podStartProblem', () => {
  it('is undefined while a pod merely starts', () => {
    expect(
      podStartProblem(
        pod({
          phase: 'Pending',
          containerStatuses: [{ name: 'step-compile', state: { waiting: { reason: 'ContainerCreating' } } }],
        }),
      ),
    ).toBeUndefined();
  });

  it("reports an image pull back-off with Tekton's reason and the kubelet's message (not permanent: it may recover)", () => {
    const message = 'Back-off pulling image "golang:1.23": dial tcp 10.0.0.9:443: i/o timeout';
    expect(
      podStartProblem(
        pod({
          phase: 'Pending',
          containerStatuses: [{ name: 'step-compile', state: { waiting: { reason: 'ImagePullBackOff', message } } }],
        }),
      ),
    ).toEqual({
      reason: 'TaskRunImagePullFailed',
      message: `the step "compile" in TaskRun "ci-build" failed to pull the image "golang:1.23". The pod errored with the message: "${message}."`,
      permanent: false,
    });
  });

  it('an image the registry says does not exist fails at once (as the real node reports it)', () => {
    const message =
      'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/busybox:does-not-exist": failed to resolve image: docker.io/library/busybox:does-not-exist: not found';
    const problem = podStartProblem(
      pod({
        phase: 'Pending',
        containerStatuses: [{ name: 'step-compile', state: { waiting: { reason: 'ErrImagePull', message } } }],
      }),
    );
    expect(problem).toMatchObject({ reason: 'TaskRunImagePullFailed', permanent: true });
  });

  it('an invalid image name and a missing Secret key fail at once', () => {
    const invalid = podStartProblem(
      pod({
        phase: 'Pending',
        containerStatuses: [
          {
            name: 'sidecar-db',
            state: {
              waiting: {
                reason: 'InvalidImageName',
                message: 'Failed to apply default image tag "Postgres": invalid reference format',
              },
            },
          },
        ],
      }),
    );
    expect(invalid).toMatchObject({ reason: 'TaskRunImagePullFailed', permanent: true });
    expect(invalid?.message).toContain('the sidecar "db" in TaskRun "ci-build" failed to pull the image "postgres:16"');
    const config = podStartProblem(
      pod({
        phase: 'Pending',
        containerStatuses: [
          {
            name: 'step-compile',
            state: {
              waiting: {
                reason: 'CreateContainerConfigError',
                message: "couldn't find key token in Secret team-a/ci-build-pod-run",
              },
            },
          },
        ],
      }),
    );
    expect(config).toEqual({
      reason: 'CreateContainerConfigError',
      message:
        'the step "compile" in TaskRun "ci-build" failed to start. The pod errored with the message: "couldn\'t find key token in Secret team-a/ci-build-pod-run."',
      permanent: true,
    });
  });

  it('names an init container whose image cannot be pulled', () => {
    const problem = podStartProblem(
      pod({
        phase: 'Pending',
        initContainerStatuses: [
          { name: 'prepare', state: { waiting: { reason: 'ErrImagePull', message: 'not found' } } },
        ],
      }),
    );
    expect(problem?.message).toContain(
      'the init container "prepare" in TaskRun "ci-build" failed to pull the image "ghcr.io/tektoncd/pipeline/entrypoint:v1.15.0"',
    );
  });

  it('an unschedulable pod: ExceededNodeResources when resources are short, else PodCreationFailed', () => {
    const short = podStartProblem(
      pod({
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/1 nodes are available: 1 Insufficient memory.',
          },
        ],
      }),
    );
    expect(short).toEqual({
      reason: 'ExceededNodeResources',
      message: 'the pod of TaskRun "ci-build" cannot be scheduled: 0/1 nodes are available: 1 Insufficient memory.',
      permanent: false,
    });
    const selector = podStartProblem(
      pod({
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.",
          },
        ],
      }),
    );
    expect(selector?.reason).toBe('PodCreationFailed');
  });

  it('a volume that does not mount (from the events) is a start problem while the pod is pending', () => {
    const problem = podStartProblem(pod({ phase: 'Pending' }), [
      { type: 'Normal', reason: 'Scheduled', message: 'Successfully assigned' },
      {
        type: 'Warning',
        reason: 'FailedMount',
        message: 'MountVolume.SetUp failed for volume "ws-src" : persistentvolumeclaim "missing" not found',
      },
    ]);
    expect(problem).toMatchObject({ reason: 'PodCreationFailed', permanent: false });
    expect(problem?.message).toContain('persistentvolumeclaim "missing" not found');
  });
});

describe('sidecarsReady', () => {
  const status = (phase: 'Pending' | 'Running', sidecar: ContainerStatusLike): PodReading => ({
    status: {
      phase,
      containerStatuses: [{ name: 'step-a', state: { running: {} }, ready: false }, sidecar],
    },
  });
  it('holds once every sidecar runs and is ready, or has ended', () => {
    expect(sidecarsReady(status('Running', { name: 'sidecar-db', state: { running: {} }, ready: true }))).toBe(true);
    expect(sidecarsReady(status('Running', { name: 'sidecar-db', state: { terminated: { exitCode: 0 } } }))).toBe(true);
    expect(sidecarsReady(status('Running', { name: 'sidecar-db', state: { running: {} }, ready: false }))).toBe(false);
    expect(sidecarsReady(status('Pending', { name: 'sidecar-db', state: { running: {} }, ready: true }))).toBe(false);
  });
});
