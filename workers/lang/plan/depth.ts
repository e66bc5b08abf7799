/** The least d ≥ 0 with k^d·τ ≥ n (d = ⌈log_k(n/τ)⌉ without floating-point surprises). */
export function depthFor(n: number, k: number, tau: number): number {
  if (n <= tau || k < 2) return 0;
  let d = 0;
  let reach = tau;
  while (reach < n && d < 64) {
    reach *= k;
    d++;
  }
  return d;
}
