"""Benchmark lib/engine/hessian.py: exact spectrum speed, Lanczos extremes vs PyHessian, and
warm-started measurements along training trajectories (lib.engine.hessian.CurvatureTracker, and the
sharpness meter of lib.engine.sharpness).

    python bench/bench_hessian.py

Prints figures; not a test. Timings on one CPU thread.
"""
import copy
import importlib
import os
import statistics
import sys
import time
import warnings

# one thread for numpy's BLAS/LAPACK too (set before numpy/torch load it)
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")
import torch  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from lib.engine import hessian as hs  # noqa: E402
from lib.engine import sharpness as sh  # noqa: E402

# PyHessian calls loss.backward(create_graph=True), which warns about a ref cycle
warnings.filterwarnings("ignore", message=".*create_graph=True.*")
N_POINTS = 512
SEEDS = range(5)


def data(n=N_POINTS):
    torch.manual_seed(0)
    x = torch.rand(n, 2) * 4 - 2
    return x, torch.sin(x[:, :1]) * torch.cos(x[:, 1:])  # smooth 2-D target


def mlp(hidden):
    torch.manual_seed(1)
    return torch.nn.Sequential(torch.nn.Linear(2, hidden), torch.nn.Tanh(),
                               torch.nn.Linear(hidden, hidden), torch.nn.Tanh(),
                               torch.nn.Linear(hidden, 1))


def timed(f):
    t = time.perf_counter()
    out = f()
    return time.perf_counter() - t, out


def count_hvps(f):
    """Run f, counting Hessian-vector products (ours and PyHessian's): a cost
    measure that, unlike wall time, does not depend on machine load."""
    ph = importlib.import_module("pyhessian.hessian")  # the module, not the class
    calls = [0]

    def counting(fn):
        def wrapped(*a, **k):
            calls[0] += 1
            return fn(*a, **k)
        return wrapped
    ours, theirs = hs._HVP.__call__, ph.hessian_vector_product
    hs._HVP.__call__, ph.hessian_vector_product = counting(ours), counting(theirs)
    try:
        f()
    finally:
        hs._HVP.__call__, ph.hessian_vector_product = ours, theirs
    return calls[0]


def bench_spectrum(x, y):
    print(f"1. exact spectrum (dense Hessian + eigvalsh), tanh MLP 2-h-h-1, {N_POINTS} points")
    print(f"   {'params':>6}  {'median ms':>9}")
    for h in (8, 15, 20):
        model = mlp(h)
        params = list(model.parameters())
        loss_fn = lambda: torch.nn.functional.mse_loss(model(x), y)  # noqa: E731
        hs.spectrum(loss_fn, params)  # warm-up
        ms = statistics.median(timed(lambda: hs.spectrum(loss_fn, params))[0] for _ in range(5))
        print(f"   {hs.num_params(params):>6}  {ms * 1e3:>9.1f}")
    print("   target: <= 150 ms at ~500 params\n")


def pyhessian_top(model, x, y, tol, seed):
    from pyhessian import hessian
    torch.manual_seed(seed)  # PyHessian draws its start vector from the global RNG
    h = hessian(model, torch.nn.MSELoss(), data=(x, y), cuda=False)
    top = h.eigenvalues(top_n=1, tol=tol)[0][0]
    model.zero_grad(set_to_none=True)  # PyHessian leaves graph-carrying .grad behind
    model.train()
    return top


def bench_extremes(x, y, model, label):
    params = list(model.parameters())
    loss_fn = lambda: torch.nn.functional.mse_loss(model(x), y)  # noqa: E731
    torch.set_num_threads(os.cpu_count())  # the exact reference is not timed
    ev = torch.linalg.eigvalsh(hs._dense(hs._HVP(loss_fn, params)))
    torch.set_num_threads(1)
    lo, hi, scale = ev[0].item(), ev[-1].item(), ev.abs().max().item()
    print(f"   [{label}] n={hs.num_params(params)}, exact ends {lo:.4f} .. {hi:.4f}")

    methods = {
        "ours: extremes (both ends)": lambda seed: hs.extremes(loss_fn, params, seed=seed),
        "PyHessian top, tol=1e-3 (default)": lambda seed: pyhessian_top(model, x, y, 1e-3, seed),
        "PyHessian top, tol=1e-5": lambda seed: pyhessian_top(model, x, y, 1e-5, seed),
    }
    for f in methods.values():
        f(0)  # warm-up
    print(f"   {'method':<36} {'median ms':>9} {'HVPs':>5} {'max err lo':>10} {'max err hi':>10}")
    times = {}
    for name, f in methods.items():
        runs = [timed(lambda: f(seed)) for seed in SEEDS]
        times[name] = statistics.median(t for t, _ in runs)
        hvps = statistics.median(count_hvps(lambda: f(seed)) for seed in SEEDS)
        ours = isinstance(runs[0][1], tuple)
        e_lo = f"{max(abs(r[0] - lo) for _, r in runs) / scale:.1e}" if ours else "-"
        e_hi = max(abs((r[1] if ours else r) - hi) for _, r in runs) / scale
        print(f"   {name:<36} {times[name] * 1e3:>9.1f} {hvps:>5.0f} {e_lo:>10} {e_hi:>10.1e}")
    t_density = statistics.median(timed(lambda: hs.density(loss_fn, params, n_vectors=1, seed=s))[0]
                                  for s in SEEDS)
    hvps = count_hvps(lambda: hs.density(loss_fn, params, n_vectors=1))
    print(f"   {'ours: density, 1 Krylov run':<36} {t_density * 1e3:>9.1f} {hvps:>5}")
    first = next(iter(times))
    for name in list(times)[1:]:
        print(f"   time ours / {name}: {times[first] / times[name]:.2f}")
    print()


# ----------------------------------------------------------------------------
# 3-5: measurements along a training trajectory

TOL = 1e-4          # both ends to this fraction of max|eigenvalue|
PYHESSIAN_TOL = 1e-5  # its top eigenvalue then reaches about our accuracy (section 2)
EVERY, POINTS = 5, 16  # a measurement every 5 full-batch updates, 16 of them (the first cold)
REPEATS = 3


def trajectory(x, y, opt_name, lr):
    """The 2x64 MLP trained by full-batch GD or Adam; yields (model, loss_fn, params, optimizer)
    at every measurement point, training EVERY updates between them."""
    model = mlp(64)
    params = list(model.parameters())
    loss_fn = lambda: torch.nn.functional.mse_loss(model(x), y)  # noqa: E731
    opt = torch.optim.SGD(params, lr=lr) if opt_name == "gd" else torch.optim.Adam(params, lr=lr)
    for i in range(POINTS):
        yield model, loss_fn, params, opt
        for _ in range(EVERY if i + 1 < POINTS else 0):
            opt.zero_grad(set_to_none=True)
            loss_fn().backward()
            opt.step()


def replay(tracker):
    """A copy of a tracker in the same state (vectors, random stream): times a warm measurement
    again without moving the real tracker on."""
    twin = copy.copy(tracker)
    twin.gen = torch.Generator().set_state(tracker.gen.get_state())
    return twin


def reference_ends(op):
    """Both ends to a residual of 1e-10 (checked against dense eigvalsh where printed)."""
    lo, hi, _ = hs.CurvatureTracker(tol=1e-10, max_iters=400, seed=99).measure_operator(op)
    return lo, hi


class Negated:
    """-H, so that a top-only run finds the bottom end."""

    def __init__(self, op):
        self.op, self.n, self.dtype, self.zero = op, op.n, op.dtype, op.zero

    def __call__(self, v):
        return -self.op(v)


def block_ends(op, V0, tol):
    """Block Lanczos from the rows of V0 (Rayleigh-Ritz on the block Krylov space, one product
    per block vector), stopped by the same residual rule. Returns (lo, hi, hvps, y_lo, y_hi)."""
    basis = torch.linalg.qr(V0.T)[0].T
    HB = torch.stack([op(q) for q in basis])
    b = len(basis)
    while True:
        theta, S = torch.linalg.eigh((basis @ HB.T + HB @ basis.T) / 2)
        Y, HY = S.T @ basis, S.T @ HB
        res = max((HY[j] - theta[j] * Y[j]).norm().item() for j in (0, -1))
        if res <= tol * theta.abs().max().item() or len(basis) >= 200:
            return theta[0].item(), theta[-1].item(), len(basis), Y[0], Y[-1]
        R = HB[-b:] - (HB[-b:] @ basis.T) @ basis
        R = R - (R @ basis.T) @ basis
        Qn, Rr = torch.linalg.qr(R.T)
        Qn = Qn[:, Rr.diag().abs() > 1e-10 * Rr.abs().max()].T
        if not len(Qn):
            return theta[0].item(), theta[-1].item(), len(basis), Y[0], Y[-1]
        basis = torch.cat([basis, Qn])
        HB = torch.cat([HB, torch.stack([op(q) for q in Qn])])


def bench_trajectory(x, y, opt_name, lr):
    print(f"   [{opt_name.upper()} lr={lr}] a measurement every {EVERY} full-batch updates, "
          f"{POINTS} of them; warm = all but the first")
    warm, warm_top = hs.CurvatureTracker(TOL), hs.CurvatureTracker(TOL, ends="top")
    names = ("ours, cold, both ends", "ours, warm, both ends", "ours, cold, top only",
             "ours, warm, top only", f"PyHessian top, tol={PYHESSIAN_TOL:g}")
    rows = {n: {"hvps": [], "ms": [], "lo": [], "hi": []} for n in names}
    for i, (model, loss_fn, params, opt) in enumerate(trajectory(x, y, opt_name, lr)):
        op = hs.operator(loss_fn, params)
        lo, hi = reference_ends(op)
        scale = max(abs(lo), abs(hi))
        cold = lambda: hs.CurvatureTracker(TOL, seed=i).measure(loss_fn, params)  # noqa: E731
        cold_top = lambda: hs.CurvatureTracker(TOL, ends="top", seed=i).measure(loss_fn, params)  # noqa: E731
        for name, f, tracker in ((names[0], cold, None), (names[1], None, warm),
                                 (names[2], cold_top, None), (names[3], None, warm_top)):
            if i == 0 and tracker is not None:
                continue  # the first warm measurement is a cold one: counted as cold
            if tracker is not None:
                ms = [timed(lambda: replay(tracker).measure(loss_fn, params))[0] for _ in range(REPEATS)]
                out = tracker.measure(loss_fn, params)
            else:
                ms = [timed(f)[0] for _ in range(REPEATS)]
                out = f()
            r = rows[name]
            r["ms"].append(statistics.median(ms) * 1e3)
            r["hvps"].append(out[2])
            r["hi"].append(abs(out[1] - hi) / scale)
            if out[0] is not None:
                r["lo"].append(abs(out[0] - lo) / scale)
            if i == 0 and name in (names[0], names[2]):
                # the cold first measurement also starts the warm trackers
                (warm if name == names[0] else warm_top).measure(loss_fn, params)
        r = rows[names[4]]
        runs = [timed(lambda: pyhessian_top(model, x, y, PYHESSIAN_TOL, seed)) for seed in range(REPEATS)]
        r["ms"].append(statistics.median(t for t, _ in runs) * 1e3)
        r["hvps"].append(count_hvps(lambda: pyhessian_top(model, x, y, PYHESSIAN_TOL, 0)))
        r["hi"].append(max(abs(top - hi) for _, top in runs) / scale)
    torch.set_num_threads(os.cpu_count())
    ev = torch.linalg.eigvalsh(hs._dense(hs._HVP(loss_fn, params)))
    torch.set_num_threads(1)
    print(f"   last point: exact ends {ev[0].item():.4f} .. {ev[-1].item():.4f}; the reference "
          f"(Lanczos to residual 1e-10) differs by {abs(ev[0].item() - lo):.1e}, "
          f"{abs(ev[-1].item() - hi):.1e}")
    print(f"   {'method':<30} {'HVPs med':>8} {'max':>4} {'ms med':>7} {'max err lo':>10} "
          f"{'max err hi':>10} {'ms / PyHessian':>14}")
    base = statistics.median(rows[names[4]]["ms"])
    for name in names:
        r = rows[name]
        e_lo = f"{max(r['lo']):.1e}" if r["lo"] else "-"
        ms = statistics.median(r["ms"])
        print(f"   {name:<30} {statistics.median(r['hvps']):>8.1f} {max(r['hvps']):>4} {ms:>7.1f} "
              f"{e_lo:>10} {max(r['hi']):>10.1e} {ms / base:>14.2f}")
    print()
    return rows


def hindsight(op, v0, lo, hi, iters=60):
    """The first Lanczos step from v0 at which both extreme Ritz values ARE within TOL of the
    reference ends: what an oracle stopping rule would spend (None: not within iters)."""
    a, b, _ = hs._lanczos(op, v0, iters)
    scale = max(abs(lo), abs(hi))
    for k in range(1, len(a) + 1):
        theta = hs.ritz(a[:k], b[:k - 1])[0]
        if abs(theta[0].item() - lo) <= TOL * scale and abs(theta[-1].item() - hi) <= TOL * scale:
            return k
    return None


def bench_strategies(x, y, opt_name, lr):
    """Products per warm measurement, both ends at TOL, for ways to reuse the last vectors; and
    what an oracle that knew the exact ends would have stopped at, cold and warm."""
    combo = hs.CurvatureTracker(TOL)
    no_random = hs.CurvatureTracker(TOL, rho=0.0)
    top_only = hs.CurvatureTracker(TOL, rho=1.0)
    split_top, split_bottom = hs.CurvatureTracker(TOL, ends="top"), hs.CurvatureTracker(TOL, ends="top")
    block = None
    counts = {k: [] for k in ("y_lo + y_hi + 0.3 r (ours)", "y_lo + y_hi, no r", "block [y_lo, y_hi]",
                              "two one-end runs", "y_hi + r (top warm only)")}
    errs = {k: [] for k in counts}
    oracle_cold, oracle_warm = [], []
    for i, (_, loss_fn, params, _) in enumerate(trajectory(x, y, opt_name, lr)):
        op = hs.operator(loss_fn, params)
        lo, hi = reference_ends(op)
        scale = max(abs(lo), abs(hi))
        if i:
            cold_start = torch.randn(op.n, generator=torch.Generator().manual_seed(i), dtype=torch.float64)
            oracle_cold.append(hindsight(op, cold_start, lo, hi))
            oracle_warm.append(hindsight(op, replay(combo)._start(op.n), lo, hi))  # ours' own start
        if top_only.vectors is not None:
            top_only.vectors = (None, top_only.vectors[1])
        _, neg_lo, k_lo = split_bottom.measure_operator(Negated(op))
        _, s_hi, k_hi = split_top.measure_operator(op)
        if block is None:
            V0 = torch.randn(2, op.n, generator=torch.Generator().manual_seed(i), dtype=torch.float64)
        else:
            V0 = torch.stack(block)
        b_lo, b_hi, b_k, y_lo, y_hi = block_ends(op, V0, TOL)
        block = (y_lo, y_hi)
        results = {"y_lo + y_hi + 0.3 r (ours)": combo.measure_operator(op),
                   "y_lo + y_hi, no r": no_random.measure_operator(op),
                   "block [y_lo, y_hi]": (b_lo, b_hi, b_k),
                   "two one-end runs": (-neg_lo, s_hi, k_lo + k_hi),
                   "y_hi + r (top warm only)": top_only.measure_operator(op)}
        if i == 0:
            continue  # all cold
        for k, (m_lo, m_hi, hvps) in results.items():
            counts[k].append(hvps)
            errs[k].append(max(abs(m_lo - lo), abs(m_hi - hi)) / scale)
    print(f"   [{opt_name.upper()} lr={lr}] {'warm start':<28} {'HVPs med':>8} {'mean':>5} {'max':>4} "
          f"{'max err':>8}")
    pad = " " * (len(opt_name) + len(str(lr)) + 6)
    for k in counts:
        print(f"   {pad}{k:<28} {statistics.median(counts[k]):>8.1f} "
              f"{statistics.mean(counts[k]):>5.1f} {max(counts[k]):>4} {max(errs[k]):>8.1e}")
    for k, found in (("oracle stop, cold start", oracle_cold), ("oracle stop, ours' warm start", oracle_warm)):
        ks = [60 if f is None else f for f in found]
        print(f"   {pad}{k:<28} {statistics.median(ks):>8.1f} {statistics.mean(ks):>5.1f} {max(ks):>4}")


def bench_sharpness(x, y, lr):
    """Adam's preconditioned sharpness λ_max(P⁻¹H) along the Adam trajectory."""
    meter = sh.SharpnessMeter(TOL)
    hvps, cold_hvps, errs = [], [], []
    for i, (_, loss_fn, params, opt) in enumerate(trajectory(x, y, "adam", lr)):
        s = meter.measure(loss_fn, params, opt)
        if s.value is None:
            continue  # before the first step: no P yet
        d = sh.preconditioner(opt, params).rsqrt()
        ref = hs.CurvatureTracker(1e-10, 400, "top", seed=99).measure(loss_fn, params, scale=d)[1]
        cold = hs.CurvatureTracker(TOL, ends="top", seed=i).measure(loss_fn, params, scale=d)
        hvps.append(s.hvps)
        cold_hvps.append(cold[2])
        errs.append(abs(s.value - ref) / ref)
    print(f"   Adam lr={lr}: HVPs per reading, warm median {statistics.median(hvps[1:]):.1f} "
          f"(max {max(hvps[1:])}), cold median {statistics.median(cold_hvps):.1f}; "
          f"max rel. error {max(errs):.1e}; last reading {s.value:.1f} against {s.threshold:.0f} = 38/η "
          f"(ratio {s.ratio:.2f})")


def main():
    torch.set_num_threads(1)
    print("torch.set_num_threads(1) for all timings; errors are |estimate - exact| / max|eigenvalue|")
    print(f"medians over seeds {list(SEEDS)}; 'max err' = worst seed\n")
    x, y = data()
    bench_spectrum(x, y)

    print(f"2. 2x64 tanh MLP (2-64-64-1), MSE on {N_POINTS} points of sin(x1)cos(x2)"
          " -- target err <= 1e-4")
    model = mlp(64)
    bench_extremes(x, y, model, "at initialization")
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(300):
        opt.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        opt.step()
    bench_extremes(x, y, model, "after 300 Adam steps")

    print(f"3. along training trajectories of the same MLP (fresh weights): cold vs warm-started, "
          f"tol {TOL:g}; errors against a reference to 1e-10")
    print("   targets: cold both ends <= 1.0x PyHessian top only; warm both ends <= 0.3x")
    trajectories = (("gd", 0.1), ("adam", 0.01))
    for opt_name, lr in trajectories:
        bench_trajectory(x, y, opt_name, lr)

    print("4. warm-start strategies: products per warm measurement, both ends at "
          f"tol {TOL:g}, same trajectories")
    for opt_name, lr in trajectories:
        bench_strategies(x, y, opt_name, lr)
    print()

    print("5. sharpness meter: Adam's λ_max(P⁻¹H), warm-started top-only Lanczos on P^-½ H P^-½")
    bench_sharpness(x, y, 0.01)


if __name__ == "__main__":
    main()
