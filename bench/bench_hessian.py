"""Benchmark lib/hessian.py: exact spectrum speed, and Lanczos extremes vs PyHessian.

    python bench/bench_hessian.py

Prints figures; not a test. Timings on one CPU thread.
"""
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
from lib import hessian as hs  # noqa: E402

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


if __name__ == "__main__":
    main()
