"""Benchmark lib/engine/landscape.py: what a live loss-landscape costs per frame.

    python bench/bench_landscape.py [--quick]

For the Playground's default net and the largest panel nets, prints the cost of a 41-point 1-D
slice and of a 31×31 plane, batched (vmap, chunks of lib.engine.landscape.Objective.chunk) and as a plain
loop of forward passes, on one torch thread (as every app session runs, ui/page.py) and on two;
the chunk size's effect; the panel's frame loop with a fixed landscape budget per frame (how
often each view refreshes at 15 frames/s); and how much of the path a random plane shows. Wall times on
a shared machine are noisy: run it alone, and read them as orders of magnitude.
"""
import os
import statistics
import sys
import time

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")
import torch  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from lib.engine import landscape as ls  # noqa: E402
from lib.lecture import presets  # noqa: E402
from lib.engine.settings import RunConfig  # noqa: E402
from lib.engine.trainer import Run  # noqa: E402

QUICK = "--quick" in sys.argv
FPS = 15          # the loss chart's target redraws per second
LOOP_POINTS = 62  # the plain loop's plane is timed on this many points and scaled to the grid

NETS = {
    "playground 2×16, 280 pts": presets.PLAYGROUND,
    "2×64, 256 pts (edge of stability)": presets.EDGE_OF_STABILITY,
    "2×64, 512 pts": RunConfig(dataset="moons", n_samples=800, depth=2, width=64),
    "6×128, 512 pts (digits)": RunConfig(dataset="digits", n_samples=1797, depth=6, width=128),
    "6×128 + BN, 512 pts (digits)": RunConfig(dataset="digits", n_samples=1797, depth=6, width=128,
                                              batch_norm=True),
}


def best_of(f, repeats):
    """Best and median wall time of f over `repeats` calls (the best is the least disturbed)."""
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times), statistics.median(times)


def ms(seconds):
    return f"{1e3 * seconds:8.1f}"


def plane_coeffs(grid):
    a = torch.linspace(-1, 1, grid)
    beta, alpha = torch.meshgrid(a, a, indexing="ij")
    return torch.stack([alpha.reshape(-1), beta.reshape(-1)], 1)


def costs(name, config):
    run = Run(config.with_(hessian_every=0, eval_every=10_000))
    scope = ls.Landscape(run)
    obj = ls.Objective(run)
    w = obj.weights()
    d = scope.random_direction(run)[None]
    line = torch.linspace(-1, 1, ls.SLICE_POINTS)[:, None]
    grid = plane_coeffs(ls.PLANE_GRID)
    reps = 2 if QUICK else 5
    one_b = best_of(lambda: obj.losses(w, d, line), reps)[0]
    one_l = best_of(lambda: obj.losses(w, d, line, batched=False), reps)[0]
    plane_b = best_of(lambda: obj.losses(w, scope.directions, grid), max(1, reps // 2))[0]
    loop_pts = grid[:LOOP_POINTS]
    plane_l = best_of(lambda: obj.losses(w, scope.directions, loop_pts, batched=False), 2)[0] \
        * grid.shape[0] / LOOP_POINTS
    record = best_of(lambda: scope.record(run), 50)[0]
    side = scope.grid
    capped = plane_b * side ** 2 / grid.shape[0]
    print(f"{name:32s} {obj.n:7,d} {obj.x.shape[0]:4d} {obj.chunk:4d} | {ms(one_b)} {ms(one_l)} "
          f"| {ms(plane_b)} {ms(plane_l)}~ | {side:2d}×{side:<2d} {ms(capped)}~ | {1e6 * record:6.0f}")
    return one_b, capped, side


def cycle(name, slice_s, plane_s, side, budget):
    """How often each view refreshes when `work` gets `budget` seconds a frame at FPS frames/s:
    one round of top slice, random slice, plane (and the "pca" plane, as costly as the plane)."""
    rounds = {"3 views": 2 * slice_s + plane_s, "4 views": 2 * slice_s + 2 * plane_s}
    cells = [f"{k}: {v / budget / FPS:5.1f} s" for k, v in rounds.items()]
    share = (2 * slice_s + plane_s) / 2.0  # compute per second for a 2 s refresh of 3 views
    print(f"  {name:32s} {side:2d}×{side:<2d} {', '.join(cells)} | a 2 s refresh of 3 views "
          f"takes {100 * share:5.1f} % of one core ({1e3 * share / FPS:5.1f} ms a frame)")


def chunk_sizes(config):
    run = Run(config.with_(hessian_every=0, eval_every=10_000))
    scope = ls.Landscape(run)
    obj = ls.Objective(run)
    w, grid = obj.weights(), plane_coeffs(ls.PLANE_GRID)
    cells = []
    for chunk in (8, 32, 64, 128, 256, 961):
        obj.chunk = chunk
        cells.append(f"{chunk}: {ms(best_of(lambda: obj.losses(w, scope.directions, grid), 2)[0]).strip()} ms")
    print("   ", ", ".join(cells))


def frames(name, config, budget, updates=10, seconds=6.0):
    """The panel's loop without Streamlit: each frame takes `updates` updates, measures the
    curvature (the panel's λ chart does this anyway), records the path and gives the landscape
    `budget` seconds. Prints the landscape's time per frame (does it keep to the budget?) and
    how many views it completed."""
    run = Run(config.with_(hessian_every=0, eval_every=10_000))
    scope = ls.Landscape(run, kinds=ls.Landscape.KINDS)
    spent, curvature, done = [], [], {k: [] for k in ls.Landscape.KINDS}
    deadline = time.perf_counter() + seconds
    frame = 0
    while time.perf_counter() < deadline:
        run.advance(updates)
        t = time.perf_counter()
        run.measure_curvature()
        curvature.append(time.perf_counter() - t)
        t = time.perf_counter()
        scope.record(run)
        for result in scope.work(run, max_seconds=budget):
            done[result.kind].append(frame)
        spent.append(time.perf_counter() - t)
        frame += 1
    counts = " ".join(f"{len(v):5d}" for v in done.values())
    print(f"  {name:32s} {scope.grid:2d}×{scope.grid:<2d} {ms(statistics.mean(spent))} "
          f"{ms(max(spent))} | {frame:6d} {counts} | {ms(statistics.median(curvature))}")


def path_share():
    """How far the weights moved out of the random plane vs within it; the share of the path's
    spread the "pca" plane holds, and what computing its basis costs."""
    print("\nPath on the random plane (distance in units of ‖d‖ = the weight norm at the start), "
          "and in the path's own principal plane:")
    print(f"{'setup':34s} {'updates':>7s} {'in plane':>9s} {'out of plane':>12s} {'pca holds':>9s} "
          f"{'pca basis':>9s}")
    for name, config, steps in [("playground", presets.PLAYGROUND, 1000),
                                ("edge of stability", presets.EDGE_OF_STABILITY, 1000),
                                ("batch page (batch 14)", presets.BATCH_NET, 1000)]:
        run = Run(config.with_(hessian_every=0, eval_every=10_000))
        scope = ls.Landscape(run, kinds=("pca",))
        for _ in range(steps // 20):
            run.advance(20)
            scope.record(run)
        a, b, off = scope.coordinates(ls.Objective(run).weights())
        basis_s, basis = best_of(lambda: scope.pca_basis(run), 3)[0], scope.pca_basis(run)
        print(f"{name:34s} {steps:7d} {(a * a + b * b) ** 0.5:9.3f} {off:12.3f} {basis[2]:9.3f} "
              f"{ms(basis_s)} ms")
    run = Run(NETS["6×128, 512 pts (digits)"].with_(hessian_every=0, eval_every=10_000))
    scope = ls.Landscape(run, kinds=("pca",))
    for _ in range(scope.snapshots.cap):
        run.advance(1)
        scope.record(run)
    print(f"6×128 net: {len(scope.snapshots)} snapshots kept "
          f"({4 * len(scope.snapshots) * ls.Objective(run).n / 2**20:.1f} MiB), pca basis "
          f"{ms(best_of(lambda: scope.pca_basis(run), 3)[0]).strip()} ms")


def main():
    for threads in (1, 2):
        torch.set_num_threads(threads)
        print(f"\n== torch threads: {threads} (times in ms, best of several; '~' scaled from "
              f"{LOOP_POINTS} points) ==")
        print(f"{'net':32s} {'params':>7s} {'pts':>4s} {'chnk':>4s} | "
              f"{'1-D ' + str(ls.SLICE_POINTS) + ' vmap':>8s} {'loop':>8s} | "
              f"{'31×31 vmap':>8s} {'loop':>9s} | {'capped grid':>14s} | {'rec µs':>6s}")
        measured = {name: costs(name, config) for name, config in NETS.items()}
        if threads == 1:
            budget = 0.015
            print(f"\nRefresh interval at {1e3 * budget:.0f} ms of landscape work per frame, {FPS} "
                  f"frames/s (one thread, as the app; from the batched costs above):")
            for name, (slice_s, plane_s, side) in measured.items():
                cycle(name, slice_s, plane_s, side, budget)
            print(f"\nThe panel's loop for {4 if QUICK else 10} s: 10 updates, the curvature (the λ "
                  f"chart's), record and work({budget}) a frame: landscape ms per frame (mean, max), "
                  f"frames, views completed, curvature ms per frame (median)")
            print(f"  {'net':32s} {'grid':5s} {'mean':>8s} {'max':>8s} | {'frames':>6s} "
                  + " ".join(f"{k:>5s}" for k in ls.Landscape.KINDS) + f" | {'λ (ms)':>8s}")
            for name, config in NETS.items():
                frames(name, config, budget, seconds=4.0 if QUICK else 10.0)
            if not QUICK:
                print("\nChunk size (playground net, 31×31, one thread):")
                chunk_sizes(presets.PLAYGROUND)
                print("Chunk size (2×64, 512 pts, 31×31, one thread):")
                chunk_sizes(NETS["2×64, 512 pts"])
    torch.set_num_threads(1)
    path_share()


if __name__ == "__main__":
    main()
