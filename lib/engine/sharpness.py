"""The sharpness meter: how close full-batch training runs to its stability threshold.

On a quadratic with curvature λ, an update rule with step size η is stable only while η·λ stays
below a number fixed by the rule. Full-batch gradient descent trains at that edge: its sharpness
λ_max(H) rises until it reaches 2/η and then hovers there (Cohen et al. 2021, "Gradient Descent
on Neural Networks Typically Occurs at the Edge of Stability"). Adaptive methods do the same with
the *preconditioned* sharpness λ_max(P⁻¹H) against their own threshold, 38/η for Adam with
β₁ = 0.9 (Cohen et al. 2022, "Adaptive Gradient Methods at the Edge of Stability").

Each rule below is the stability condition of the optimizer's own update (torch.optim 2.13's
source), linearised with its preconditioner P frozen, in an eigendirection of P⁻¹H with a = η·λ:

  rule       torch.optim                       P                                 stable while λ_max(P⁻¹H) <
  gd         SGD                               1                                 2/η
  momentum   SGD(momentum=μ)                   1                                 (2 + 2μ)/η
  nesterov   SGD(momentum=μ, nesterov=True)    1                                 (2 + 2μ)/((1 + 2μ)·η)
  rmsprop    RMSprop (no momentum, centered)   diag(√v + ε)                      2/η
  adagrad    Adagrad (no lr_decay)             diag(√G + ε)                      2/η
  adam       Adam, also amsgrad=True           (1 − β₁ᵗ)·diag(√v̂ + ε)            (2 + 2β₁)/((1 − β₁)·η)
  adamw      AdamW (decoupled decay λ_w)       as Adam                           (1 + β₁)(2 − η·λ_w)/((1 − β₁)·η)

Adam's P: torch updates θ ← θ − η·m/((1 − β₁ᵗ)(√v̂ + ε)) with m the uncorrected exponential
average of gradients (m ← β₁m + (1 − β₁)g) and v̂ = v/(1 − β₂ᵗ) the bias-corrected average of
squared gradients; so the update is θ ← θ − η·P⁻¹m with P = (1 − β₁ᵗ)·diag(√v̂ + ε), the
preconditioner of Cohen et al. 2022. P is read from the optimizer's state after its latest step
(exp_avg_sq, or max_exp_avg_sq for AMSGrad, and step t) -- the P that made the latest update. The
AdamW line is ours: the same linearisation with the decay factor (1 − η·λ_w) added; it reduces to
Adam's at λ_w = 0. An L2 weight decay inside the gradient (SGD, Adam, RMSprop, Adagrad's
weight_decay) adds λ_w·I to the Hessian the rule sees.

λ_max(P⁻¹H) is computed by Lanczos on the symmetric P^-½ H P^-½ (same eigenvalues), warm-started
from the previous measurement. Minibatch training has no such sharp threshold (gradient noise
changes the dynamics; its sharpness tends to settle lower the smaller the batch, Jastrzębski et
al. 2020, "The Break-Even Point on Optimization Trajectories of Deep Neural Networks"): the meter
then reports rule None with reason "minibatch".
"""
from __future__ import annotations

from dataclasses import dataclass

import torch

from . import hessian

F64 = torch.float64


@dataclass(frozen=True)
class Rule:
    name: str            # "gd", "momentum", "nesterov", "rmsprop", "adagrad", "adam", "adamw"
    threshold: float     # the stability threshold on the (preconditioned) sharpness
    preconditioned: bool  # sharpness is λ_max(P⁻¹(H + shift·I)) rather than λ_max(H + shift·I)
    shift: float = 0.0   # L2 weight decay folded into the gradient: the optimizer sees H + shift·I


@dataclass(frozen=True)
class Sharpness:
    """One reading of the meter. rule None: no threshold applies, `reason` says why
    ("minibatch", or "optimizer" for an update rule without one here). value None with a rule:
    `reason` "no_state" (an adaptive optimizer before its first step has no P yet)."""
    rule: str | None
    value: float | None
    threshold: float | None
    preconditioned: bool = False
    reason: str | None = None
    hvps: int = 0

    @property
    def ratio(self) -> float | None:
        """value / threshold: 1 is the edge of stability."""
        if self.value is None or not self.threshold:
            return None
        return self.value / self.threshold


def _group(optimizer):
    """The one set of hyperparameters, or None if the param groups disagree."""
    groups = optimizer.param_groups
    first = {k: v for k, v in groups[0].items() if k != "params"}
    if any({k: v for k, v in g.items() if k != "params"} != first for g in groups[1:]):
        return None
    return first


def stability_rule(optimizer, full_batch: bool = True) -> tuple[Rule | None, str | None]:
    """(rule, None), or (None, reason) when no threshold applies."""
    if not full_batch:
        return None, "minibatch"
    g = _group(optimizer)
    if g is None:
        return None, "optimizer"
    lr, wd = float(g["lr"]), float(g.get("weight_decay", 0.0))
    if isinstance(optimizer, torch.optim.SGD):
        mu = float(g["momentum"])
        if g["dampening"]:
            return None, "optimizer"
        if mu == 0:
            return Rule("gd", 2 / lr, False, wd), None
        if g["nesterov"]:
            return Rule("nesterov", (2 + 2 * mu) / ((1 + 2 * mu) * lr), False, wd), None
        return Rule("momentum", (2 + 2 * mu) / lr, False, wd), None
    if isinstance(optimizer, torch.optim.Adam):  # AdamW is a subclass
        b1 = float(g["betas"][0])
        if g.get("decoupled_weight_decay", False):
            return Rule("adamw", (1 + b1) * (2 - lr * wd) / ((1 - b1) * lr), True), None
        return Rule("adam", (2 + 2 * b1) / ((1 - b1) * lr), True, wd), None
    if isinstance(optimizer, torch.optim.RMSprop) and not g["momentum"] and not g["centered"]:
        return Rule("rmsprop", 2 / lr, True, wd), None
    if isinstance(optimizer, torch.optim.Adagrad) and not g["lr_decay"]:
        return Rule("adagrad", 2 / lr, True, wd), None
    return None, "optimizer"


def preconditioner(optimizer, params) -> torch.Tensor | None:
    """P's diagonal as a flat float64 vector in the order of `params`, from the optimizer's
    state after its latest step; None before the first step."""
    g = _group(optimizer)
    parts = []
    for p in params:
        state = optimizer.state.get(p)
        if not state or "step" not in state:
            return None
        t = float(state["step"])
        if isinstance(optimizer, torch.optim.Adam):
            b1, b2 = g["betas"]
            v = state["max_exp_avg_sq"] if g["amsgrad"] else state["exp_avg_sq"]
            d = (1 - b1 ** t) * ((v.to(F64) / (1 - b2 ** t)).sqrt() + g["eps"])
        elif isinstance(optimizer, torch.optim.RMSprop):
            d = state["square_avg"].to(F64).sqrt() + g["eps"]
        else:  # Adagrad
            d = state["sum"].to(F64).sqrt() + g["eps"]
        parts.append(d.reshape(-1))
    return torch.cat(parts)


class SharpnessMeter:
    """Reads (preconditioned) sharpness against the optimizer's threshold, measurement after
    measurement along one run (a warm-started, top-only `hessian.CurvatureTracker`).

        meter = SharpnessMeter()
        s = meter.measure(loss_fn, params, optimizer, full_batch=True)
        s.value, s.threshold, s.ratio, s.rule

    For a rule without P (gd, momentum, nesterov), pass `lam_max` when λ_max(H) at these
    weights is already known (the run's own curvature measurement): then no product is spent.
    """

    def __init__(self, tol=1e-4, max_iters=100, seed=0):
        self.tracker = hessian.CurvatureTracker(tol=tol, max_iters=max_iters, ends="top", seed=seed)

    def measure(self, loss_fn, params, optimizer, full_batch=True, lam_max=None, op=None) -> Sharpness:
        """`op`: a `hessian.operator(loss_fn, params)` already built at these weights, to share."""
        rule, reason = stability_rule(optimizer, full_batch)
        if rule is None:
            return Sharpness(None, None, None, reason=reason)
        scale = None
        if rule.preconditioned:
            P = preconditioner(optimizer, params)
            if P is None:
                return Sharpness(rule.name, None, rule.threshold, True, reason="no_state")
            scale = P.rsqrt()
        elif lam_max is not None:
            return Sharpness(rule.name, lam_max + rule.shift, rule.threshold)
        op = op if op is not None else hessian.operator(loss_fn, params)
        _, value, hvps = self.tracker.measure_operator(op, scale, rule.shift)
        return Sharpness(rule.name, value, rule.threshold, rule.preconditioned, hvps=hvps)
