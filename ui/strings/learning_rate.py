"""Strings of the page "learning_rate" (and its lessons)."""
STRINGS: dict[str, tuple[str, str]] = {
    "lr.intro": (
        "学习率 η 太大，参数在某处来回震荡；太小，参数几乎不动。一个固定的学习率训练不好模型：**梯度大、更新快的方向需要小的学习率；梯度小、更新慢的方向需要大的学习率**——不同的参数需要不同的学习率。",
        "With a large learning rate η the parameters bounce back and forth; with a small one they hardly move. One fixed learning rate does not train a model well: **where the gradient is large the step should be small, where it is small the step should be large** — different parameters need different learning rates."),
    "lr.rule.gd": ("梯度下降（固定 η）", "Gradient descent (fixed η)"),
    "lr.rule.adagrad": ("Adagrad", "Adagrad"),
    "lr.rule.rmsprop": ("RMSProp", "RMSProp"),
    "lr.rule.adam": ("Adam", "Adam"),
    "lr.s1.title": ("1 狭长的凸误差曲面", "1 An elongated convex error surface"),
    "lr.s1.text": (
        "误差曲面 $L = \\tfrac12(0.05\\,w_1^2 + 2\\,w_2^2)$：沿 $w_2$ 很陡，沿 $w_1$ 很平。四种方法从同一点 $(-1.8,\\ 0.6)$ 出发，按“开始”实时观察。更新规则都是 $\\theta_i^{t+1}=\\theta_i^t-\\frac{\\eta}{\\sigma_i^t}\\,g_i^t$（Adam 用动量 $\\hat m_i^t$ 代替 $g_i^t$），区别只在 $\\sigma_i^t$：\n"
        "- 梯度下降：$\\sigma=1$\n"
        "- Adagrad（均方根）：$\\sigma_i^t=\\sqrt{\\frac{1}{t+1}\\sum_{k=0}^{t}(g_i^k)^2}$\n"
        "- RMSProp：$(\\sigma_i^t)^2=\\alpha(\\sigma_i^{t-1})^2+(1-\\alpha)(g_i^t)^2$，$\\alpha$ 决定新梯度与过去的比重\n"
        "- Adam = 动量 + RMSProp：$m^t=\\beta_1 m^{t-1}+(1-\\beta_1)g^t$，$v^t=\\beta_2 v^{t-1}+(1-\\beta_2)(g^t)^2$，$\\sigma=\\sqrt{\\hat v^t}+\\varepsilon$",
        "The error surface $L = \\tfrac12(0.05\\,w_1^2 + 2\\,w_2^2)$ is steep along $w_2$ and flat along $w_1$. Four methods start from the same point $(-1.8,\\ 0.6)$; press Play to watch them live. Each update is $\\theta_i^{t+1}=\\theta_i^t-\\frac{\\eta}{\\sigma_i^t}\\,g_i^t$ (Adam uses the momentum $\\hat m_i^t$ instead of $g_i^t$); they differ only in $\\sigma_i^t$:\n"
        "- gradient descent: $\\sigma=1$\n"
        "- Adagrad (root mean square): $\\sigma_i^t=\\sqrt{\\frac{1}{t+1}\\sum_{k=0}^{t}(g_i^k)^2}$\n"
        "- RMSProp: $(\\sigma_i^t)^2=\\alpha(\\sigma_i^{t-1})^2+(1-\\alpha)(g_i^t)^2$; $\\alpha$ sets how much the newest gradient counts against the past\n"
        "- Adam = momentum + RMSProp: $m^t=\\beta_1 m^{t-1}+(1-\\beta_1)g^t$, $v^t=\\beta_2 v^{t-1}+(1-\\beta_2)(g^t)^2$, $\\sigma=\\sqrt{\\hat v^t}+\\varepsilon$"),
    "lr.s1.gd_lr": ("梯度下降的学习率 η", "Learning rate η of gradient descent"),
    "lr.s1.gd_lr_help": ("η 超过 2/2 = {limit:g} 时，沿陡峭方向的震荡会越来越大。", "Above η = 2/2 = {limit:g} the bouncing along the steep axis grows."),
    "lr.s1.ad_lr": ("Adagrad / RMSProp / Adam 的 η", "η of Adagrad / RMSProp / Adam"),
    "lr.s1.alpha": ("RMSProp 的 α", "RMSProp's α"),
    "lr.s1.alpha_help": ("α 越大，σ 越依赖过去的梯度；越小，越依赖刚算出的梯度。", "The larger α, the more σ remembers past gradients; the smaller, the more it follows the newest one."),
    "lr.s1.status": (
        "第 **{t}** 次更新（最多 {limit}）· 梯度下降：损失 **{loss:.4g}**，梯度大小 ‖g‖ = **{g:.3g}**",
        "Update **{t}** (at most {limit}) · gradient descent: loss **{loss:.4g}**, gradient size ‖g‖ = **{g:.3g}**"),
    "lr.s1.read": (
        "看梯度下降：η = 0.9 时它在山谷两壁间来回弹跳，损失很快不再明显下降，梯度却仍然很大——卡住的不是临界点；η = 0.05 时不再弹跳，但沿平缓的 $w_1$ 方向几乎不动。自适应方法按每个参数自己的 σ 调整步长，两个方向都走得动。",
        "Watch gradient descent: with η = 0.9 it bounces between the valley's walls, the loss soon stops falling visibly while the gradient stays large — it is not stuck at a critical point; with η = 0.05 it no longer bounces but crawls along the flat $w_1$ axis. The adaptive methods scale each parameter's step by its own σ and make progress in both directions."),
    "lr.s2.title": ("2 每个参数自己的 σ", "2 A σ for each parameter"),
    "lr.s2.text": (
        "上面同一次模拟中 $\\sigma_1,\\sigma_2$ 与有效步长 $\\eta/\\sigma_i$ 的变化（实线 $w_1$，虚线 $w_2$）：陡峭方向 $w_2$ 的梯度大，σ₂ 大、步长小；平缓方向 $w_1$ 的梯度小，σ₁ 小、步长大。",
        "σ₁, σ₂ and the effective step η/σᵢ in the same simulation as above (solid $w_1$, dashed $w_2$): along the steep $w_2$ the gradient is large, so σ₂ is large and the step small; along the flat $w_1$ the gradient is small, so σ₁ is small and the step large."),
    "lr.s2.burst_title": ("Adagrad 的“后期爆发”与学习率衰减", "Adagrad's late burst, and learning-rate decay"),
    "lr.s2.burst_text": (
        "Adagrad 的 σ 是全部历史梯度的均方根。$w_2$ 很快到达谷底后，很长一段时间梯度都很小，σ₂ 越变越小，有效步长 η/σ₂ 越变越大；一旦超过 2/b = 1（此曲面陡峭方向的稳定界限），参数就会突然横向冲出去，直到变大的梯度重新把 σ₂ 撑大。解决办法：**学习率衰减** $\\eta^t = \\eta/\\sqrt{t+1}$，让 η 随时间变小。（注意：PyTorch 的 Adagrad 累加的是平方和而不是平均，不会出现这种爆发。）",
        "Adagrad's σ is the root mean square of all past gradients. Once $w_2$ reaches the valley floor, its gradient stays small for a long stretch, σ₂ keeps shrinking and the effective step η/σ₂ keeps growing; once it passes 2/b = 1 (the stability limit along this surface's steep axis), the parameter suddenly shoots out sideways, until the larger gradients inflate σ₂ again. The cure: **learning-rate decay** $\\eta^t = \\eta/\\sqrt{t+1}$, so that η shrinks over time. (PyTorch's Adagrad sums the squares instead of averaging them and does not burst like this.)"),
    "lr.s2.const": ("Adagrad，η 固定", "Adagrad, fixed η"),
    "lr.s2.decay": ("Adagrad，η/√(t+1) 衰减", "Adagrad, decaying η/√(t+1)"),
    "lr.s2.limit": ("稳定界限 2/b", "stability limit 2/b"),
    "lr.s2.burst_found": (
        "η = 0.1、固定学习率：第 {t} 次更新时 $w_2$ 一步横跳 {size:.3g}；用衰减的学习率，前十分之一之后最大的一步只有 {after:.2g}。",
        "η = 0.1, fixed: at update {t}, $w_2$ jumps {size:.3g} in one step; with the decaying learning rate the largest step after the first tenth is only {after:.2g}."),
    "lr.s3.title": ("3 学习率调度（Learning rate scheduling）", "3 Learning-rate scheduling"),
    "lr.s3.text": (
        "**学习率衰减**：随着训练接近终点，η 逐渐变小。**预热（warmup）**：η 先变大再变小，残差网络与 Transformer 都使用。为什么要预热？$\\theta_i^{t+1}=\\theta_i^t-\\frac{\\eta^t}{\\sigma_i^t}g_i^t$ 中的 σ 要靠足够多的梯度统计才可靠；训练刚开始时 σ 的估计不准，所以先用小的 η，慢慢增大。",
        "**Learning-rate decay**: η shrinks as training nears its end. **Warmup**: η first grows, then shrinks; residual networks and Transformers use it. Why warm up? In $\\theta_i^{t+1}=\\theta_i^t-\\frac{\\eta^t}{\\sigma_i^t}g_i^t$ the σ needs enough gradients to be a reliable statistic; at the start its estimate is poor, so η starts small and grows slowly."),
    "lr.s3.formulas": (
        "η = 0.01；指数衰减每 500 次更新减半；预热 100 次更新后线性或余弦衰减 2000 次；Transformer：$\\eta\\,d^{-0.5}\\min(t^{-0.5},\\,t\\,w^{-1.5})$，d = 64，w = 100（已缩放到相同峰值）。",
        "η = 0.01; exponential decay halves every 500 updates; warmup for 100 updates, then linear or cosine decay over 2000; Transformer: $\\eta\\,d^{-0.5}\\min(t^{-0.5},\\,t\\,w^{-1.5})$, d = 64, w = 100 (scaled to the same peak)."),
    "lr.s3.panel": (
        "下面的训练面板用 Adam 在螺旋数据上训练同一个网络、从同一组初始权重出发，一次用固定学习率，一次先预热再衰减。按“开始”比较两条损失曲线；也可在“比较”里换成其他调度。",
        "The training panel below trains one network on the spiral data with Adam from one set of initial weights, once with a constant learning rate and once with warmup then decay. Press Play to compare the two loss curves; switch to other schedules under Compare."),
    "lr.chart.path": ("误差曲面上的路径", "Paths on the error surface"),
    "lr.chart.optimizer": ("方法", "method"),
    "lr.chart.series": ("曲线", "series"),
    "lr.chart.loss": ("损失", "loss"),
    "lr.chart.grad": ("‖g‖", "‖g‖"),
    "lr.chart.eta": ("学习率 η", "learning rate η"),
    "lr.chart.updates": ("更新次数", "updates"),
    "lr.chart.loss_title": ("损失（对数刻度）", "Loss (log scale)"),
    "lr.chart.grad_title": ("梯度大小（对数刻度）", "Gradient size (log scale)"),
    "lr.chart.sigma_title": ("每个参数的 σ", "σ of each parameter"),
    "lr.chart.eff_title": ("有效步长 η/σ", "Effective step η/σ"),
    "lr.chart.w2_title": ("Adagrad 的 w₂", "Adagrad's w₂"),
    "lr.chart.eff2_title": ("有效步长 η/σ₂", "Effective step η/σ₂"),
    "lr.chart.sched_title": ("学习率调度", "Learning-rate schedules"),
}
