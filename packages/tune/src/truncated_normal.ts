// The truncated normal distribution TPE's Parzen estimators are mixtures of: log-CDF, the log of the
// mass between two points, the log-density and inverse-CDF sampling, all stable in the far tails
// (a kernel can sit a hundred bandwidths away from the other end of a range).

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * log(erfc(x)) for x >= 0 with ~1.2e-7 relative accuracy everywhere, so it does not underflow
 * (Numerical Recipes' erfcc Chebyshev fit, kept in log form).
 */
function logErfc(x: number): number {
  const t = 1 / (1 + 0.5 * x);
  const poly =
    -1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 +
    t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return Math.log(t) - x * x + poly;
}

/** erfc(x) for any x. */
export function erfc(x: number): number {
  return x >= 0 ? Math.exp(logErfc(x)) : 2 - Math.exp(logErfc(-x));
}

/** Standard normal CDF Φ(x). */
export function ndtr(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** log Φ(x), accurate for very negative x. */
export function logNdtr(x: number): number {
  if (x < 0) return Math.log(0.5) + logErfc(-x / Math.SQRT2);
  return Math.log1p(-0.5 * erfc(x / Math.SQRT2));
}

/** Inverse of Φ (Acklam's rational approximation, then one Halley step against ndtr). */
export function ndtri(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const pLow = 0.02425;
  let x: number;
  if (p < pLow) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - pLow) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  // Halley refinement; in the lower tail, compare in relative terms so tiny p keeps its precision.
  const e = ndtr(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  if (Number.isFinite(u)) x -= u / (1 + (x * u) / 2);
  return x;
}

/** log(exp(a) - exp(b)) for a >= b. */
function logDiffExp(a: number, b: number): number {
  if (b === -Infinity) return a;
  return a + Math.log1p(-Math.exp(b - a));
}

/** log(Φ(b) - Φ(a)) for a <= b (standardized bounds), computed on the side where it is precise. */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) return logDiffExp(logNdtr(b), logNdtr(a));
  if (a >= 0) return logDiffExp(logNdtr(-a), logNdtr(-b));
  // The interval holds 0: one minus both tails.
  return Math.log1p(-ndtr(a) - ndtr(-b));
}

/** Log-density at x of N(mu, sigma²) truncated to [low, high]. */
export function truncNormLogPdf(x: number, mu: number, sigma: number, low: number, high: number): number {
  if (x < low || x > high) return -Infinity;
  const z = (x - mu) / sigma;
  return -0.5 * z * z - LOG_SQRT_2PI - Math.log(sigma) - logGaussMass((low - mu) / sigma, (high - mu) / sigma);
}

/** One draw from N(mu, sigma²) truncated to [low, high], by the inverse CDF. */
export function truncNormSample(u: number, mu: number, sigma: number, low: number, high: number): number {
  let a = (low - mu) / sigma;
  let b = (high - mu) / sigma;
  // Work in the lower tail, where Φ keeps relative precision.
  const flip = a > 0;
  if (flip) [a, b] = [-b, -a];
  const pa = ndtr(a);
  const pb = ndtr(b);
  let z = pb > pa ? ndtri(pa + u * (pb - pa)) : a + u * (b - a);
  if (!Number.isFinite(z)) z = a + u * (b - a);
  z = Math.min(Math.max(z, a), b);
  const x = mu + sigma * (flip ? -z : z);
  return Math.min(Math.max(x, low), high);
}
