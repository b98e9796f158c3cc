/**
 * Kubernetes resource quantities ("500m", "2", "1.5", "2Gi", "1e3"), as far as Tekton computes with them:
 * parsed to milli-units and written back in the quantity's own format (Kubernetes' canonical form).
 */

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** The value in thousandths (rounded up, as Kubernetes' MilliValue). */
  milli: bigint;
  format: QuantityFormat;
}

const BINARY: Record<string, bigint> = {
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
};
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** Parses a quantity; undefined when it is not one. */
export function parseQuantity(text: string | number): Quantity | undefined {
  const m = QUANTITY.exec(String(text).trim());
  if (!m) return undefined;
  const [whole, fraction = ''] = m[1].replace(/^\+/, '').split('.');
  const digits = BigInt(`${whole || '0'}${fraction}`.replace(/^-/, '') || '0');
  const sign = m[1].startsWith('-') ? -1n : 1n;
  const suffix = m[2] ?? '';
  // value = digits * 10^-fraction.length * multiplier; milli = value * 1000, rounded up.
  let numerator = digits * 1000n;
  let denominator = 10n ** BigInt(fraction.length);
  let format: QuantityFormat = 'DecimalSI';
  if (suffix in BINARY) {
    numerator *= BINARY[suffix];
    format = 'BinarySI';
  } else {
    const exp = suffix in DECIMAL ? DECIMAL[suffix] : Number(suffix.slice(1));
    if (!(suffix in DECIMAL)) format = 'DecimalExponent';
    if (exp >= 0) numerator *= 10n ** BigInt(exp);
    else denominator *= 10n ** BigInt(-exp);
  }
  const milli = (numerator + denominator - 1n) / denominator;
  return { milli: sign * milli, format };
}

/** Writes a quantity as Kubernetes' String() does (canonical form in its format). */
export function formatQuantity(q: Quantity): string {
  const negative = q.milli < 0n;
  const abs = negative ? -q.milli : q.milli;
  const sign = negative ? '-' : '';
  if (abs === 0n) return '0';
  if (q.format === 'BinarySI' && abs % 1000n === 0n) {
    const value = abs / 1000n;
    // Binary suffixes only for whole multiples of 1024; otherwise Kubernetes falls back to decimal.
    if (value >= 1024n) {
      for (const suffix of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki'])
        if (value % BINARY[suffix] === 0n) return `${sign}${value / BINARY[suffix]}${suffix}`;
    }
  }
  // Decimal: the largest exponent (a multiple of 3) at which the value is whole.
  const suffixes: [bigint, string][] = [
    [10n ** 21n, 'E'],
    [10n ** 18n, 'P'],
    [10n ** 15n, 'T'],
    [10n ** 12n, 'G'],
    [10n ** 9n, 'M'],
    [10n ** 6n, 'k'],
    [10n ** 3n, ''],
  ];
  for (const [unit, suffix] of suffixes) {
    if (abs % unit === 0n) {
      const exponentForm = q.format === 'DecimalExponent' && suffix !== '';
      const scale = { E: 18, P: 15, T: 12, G: 9, M: 6, k: 3, '': 0 }[suffix] ?? 0;
      return exponentForm ? `${sign}${abs / unit}e${scale}` : `${sign}${abs / unit}${suffix}`;
    }
  }
  return `${sign}${abs}m`;
}

/** A quantity divided by n, truncated to milli-units (Tekton's computeAverageRequests). */
export function divideQuantity(text: string, n: number): string {
  const q = parseQuantity(text);
  if (!q || n <= 0) return text;
  return formatQuantity({ milli: q.milli / BigInt(n), format: q.format });
}
