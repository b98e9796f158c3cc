/**
 * The images a TaskRun's pod needs besides the steps' own (Tekton's `pipeline.Images`): the entrypoint
 * binary, copied into every pod by the `prepare` init container, and a shell for `place-scripts`.
 * Overridden by KEELSON_ENTRYPOINT_IMAGE / KEELSON_SHELL_IMAGE (read in lib/env.ts).
 */

/**
 * Tekton's entrypoint, pinned to the release whose flags the pod builder writes; ko puts it at
 * /ko-app/entrypoint. The name is the one upstream's release publishes (ko appends the md5 of the import
 * path: v1.15.0's .tekton/release.yaml); `ghcr.io/tektoncd/pipeline/entrypoint:v1.15.0` does not exist
 * upstream (the test registry serves both names, the same image).
 */
export const DEFAULT_ENTRYPOINT_IMAGE = 'ghcr.io/tektoncd/pipeline/entrypoint-bff0a22da108bc2f16c818c97641a296:v1.15.0';

/** Runs `sh` to write scripts into the pod (Tekton's default shell image is busybox too). */
export const DEFAULT_SHELL_IMAGE = 'busybox:1.36';

/** Where ko lays out the binary in the entrypoint image. */
export const ENTRYPOINT_IN_IMAGE = '/ko-app/entrypoint';

export interface PodImages {
  entrypoint: string;
  shell: string;
}
