/**
 * Nelder–Mead simplex minimisation (Lagarias et al. 1998 coefficients). Small, gradient-free,
 * enough for the three- and four-parameter likelihoods here, which we minimise over log-parameters
 * so every point of the search is a valid (positive) parameter vector.
 */
export interface MinimizeResult {
  x: number[];
  value: number;
  iterations: number;
  converged: boolean;
}

export interface MinimizeOptions {
  /** Initial simplex step per coordinate. */
  step?: number;
  maxIterations?: number;
  /** Stop when the simplex's values and points both lie within this tolerance. */
  tolerance?: number;
}

export function nelderMead(
  f: (x: number[]) => number,
  start: number[],
  options: MinimizeOptions = {},
): MinimizeResult {
  const n = start.length;
  const step = options.step ?? 0.5;
  const maxIterations = options.maxIterations ?? 5000;
  const tolerance = options.tolerance ?? 1e-10;
  const value = (x: number[]): number => {
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };

  let simplex: { x: number[]; v: number }[] = [{ x: start.slice(), v: value(start) }];
  for (let i = 0; i < n; i++) {
    const x = start.slice();
    x[i] = (x[i] ?? 0) + step;
    simplex.push({ x, v: value(x) });
  }
  const at = (i: number) => {
    const p = simplex[i];
    if (!p) throw new Error('simplex index out of range');
    return p;
  };
  const combine = (a: number[], b: number[], t: number) =>
    a.map((ai, i) => ai + t * ((b[i] ?? 0) - ai));

  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    simplex.sort((p, q) => p.v - q.v);
    const best = at(0);
    const worst = at(n);
    const spreadV = Math.abs(worst.v - best.v);
    let spreadX = 0;
    for (const p of simplex)
      for (let i = 0; i < n; i++)
        spreadX = Math.max(spreadX, Math.abs((p.x[i] ?? 0) - (best.x[i] ?? 0)));
    if (spreadV <= tolerance * (1 + Math.abs(best.v)) && spreadX <= 1e-8) {
      converged = true;
      break;
    }
    const centroid = new Array<number>(n).fill(0);
    for (let j = 0; j < n; j++) {
      const p = at(j);
      for (let i = 0; i < n; i++) centroid[i] = (centroid[i] ?? 0) + (p.x[i] ?? 0) / n;
    }
    const secondWorst = at(n - 1);
    const reflected = combine(centroid, worst.x, -1);
    const vr = value(reflected);
    if (vr < best.v) {
      const expanded = combine(centroid, worst.x, -2);
      const ve = value(expanded);
      simplex[n] = ve < vr ? { x: expanded, v: ve } : { x: reflected, v: vr };
      continue;
    }
    if (vr < secondWorst.v) {
      simplex[n] = { x: reflected, v: vr };
      continue;
    }
    const outside = vr < worst.v;
    const contracted = combine(centroid, outside ? reflected : worst.x, 0.5);
    const vc = value(contracted);
    if (vc < (outside ? vr : worst.v)) {
      simplex[n] = { x: contracted, v: vc };
      continue;
    }
    simplex = simplex.map((p, j) => {
      if (j === 0) return p;
      const x = combine(best.x, p.x, 0.5);
      return { x, v: value(x) };
    });
  }
  simplex.sort((p, q) => p.v - q.v);
  const best = at(0);
  return { x: best.x, value: best.v, iterations, converged };
}
