'use client';
import type { TLogPod, TPodContainer } from '@/lib/client/pod-logs';

export const TAIL_OPTIONS = [100, 1000, 10000] as const;
export const SINCE_OPTIONS = [
  { seconds: 0, label: 'All' },
  { seconds: 300, label: '5m' },
  { seconds: 3600, label: '1h' },
  { seconds: 86400, label: '1d' },
] as const;

export interface LogOptions {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  wrap: boolean;
  tailLines: number;
  sinceSeconds: number;
}

function podLabel(p: TLogPod): string {
  return `${p.name} · ${p.phase}${p.ready ? ' · ready' : ''}`;
}

function containerLabel(c: TPodContainer): string {
  const state = c.reason ? `${c.state}: ${c.reason}` : c.state;
  const restarts = c.restartCount > 0 ? ` · ${c.restartCount} restart${c.restartCount === 1 ? '' : 's'}` : '';
  return `${c.init ? 'init: ' : ''}${c.name} (${state})${restarts}`;
}

/** Which pod (for a workload) and which container the log comes from. */
export function SourcePickers({
  pods,
  pod,
  container,
  showPodPicker,
  onPod,
  onContainer,
}: {
  pods: TLogPod[];
  pod: TLogPod;
  container: TPodContainer;
  showPodPicker: boolean;
  onPod: (name: string) => void;
  onContainer: (name: string) => void;
}) {
  return (
    <div className="pl-pickers">
      {showPodPicker ? (
        <label className="pl-pick">
          <span>Pod</span>
          <select className="input" value={pod.name} onChange={(e) => onPod(e.target.value)}>
            {pods.map((p) => (
              <option key={p.name} value={p.name}>
                {podLabel(p)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label className="pl-pick">
        <span>Container</span>
        <select className="input" value={container.name} onChange={(e) => onContainer(e.target.value)}>
          {pod.containers.map((c) => (
            <option key={c.name} value={c.name}>
              {containerLabel(c)}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

function Toggle({
  label,
  checked,
  onChange,
  disabled,
  title,
}: {
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  disabled?: boolean;
  title?: string;
}) {
  return (
    <label className={`pl-toggle${disabled ? ' pl-disabled' : ''}`} title={title}>
      <input type="checkbox" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} />{' '}
      {label}
    </label>
  );
}

/** Follow, previous container, timestamps, wrap, tail and since. */
export function OptionControls({
  options,
  onChange,
  restarts,
}: {
  options: LogOptions;
  onChange: (o: Partial<LogOptions>) => void;
  restarts: number;
}) {
  return (
    <div className="pl-options">
      <Toggle label="Follow" checked={options.follow} onChange={(follow) => onChange({ follow })} />
      <Toggle
        label="Previous container"
        checked={options.previous && restarts > 0}
        disabled={restarts === 0}
        title={restarts === 0 ? 'The container has not restarted, so there is no previous one.' : undefined}
        onChange={(previous) => onChange({ previous })}
      />
      <Toggle label="Timestamps" checked={options.timestamps} onChange={(timestamps) => onChange({ timestamps })} />
      <Toggle label="Wrap lines" checked={options.wrap} onChange={(wrap) => onChange({ wrap })} />
      <label className="pl-pick pl-inline">
        <span>Tail</span>
        <select
          className="input"
          value={options.tailLines}
          onChange={(e) => onChange({ tailLines: Number(e.target.value) })}
        >
          {TAIL_OPTIONS.map((n) => (
            <option key={n} value={n}>
              {n.toLocaleString('en')} lines
            </option>
          ))}
        </select>
      </label>
      <label className="pl-pick pl-inline">
        <span>Since</span>
        <select
          className="input"
          value={options.sinceSeconds}
          onChange={(e) => onChange({ sinceSeconds: Number(e.target.value) })}
        >
          {SINCE_OPTIONS.map((s) => (
            <option key={s.seconds} value={s.seconds}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
