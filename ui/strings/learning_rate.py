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
        "误差曲面 $L = {half_a:g}\\,w_1^2 + {c:g}\\,\\ln\\cosh({k:g}\\,w_2)$ 是凸的：谷底附近它就是 $\\tfrac12({a:g}\\,w_1^2 + {b:g}\\,w_2^2)$，沿 $w_2$（横穿山谷）很陡，沿 $w_1$（顺着谷底）很平；往上走，两壁渐渐变直（坡度不超过 {slope:g}），就像网络的损失离最小值远时那样。四种方法从同一点 $({w1:g},\\ {w2:g})$ 出发，按“开始”实时观察。",
        "The error surface $L = {half_a:g}\\,w_1^2 + {c:g}\\,\\ln\\cosh({k:g}\\,w_2)$ is convex: near its floor it is $\\tfrac12({a:g}\\,w_1^2 + {b:g}\\,w_2^2)$, steep along $w_2$ (across the valley) and flat along $w_1$ (along its floor); further up, the walls straighten out (their slope never exceeds {slope:g}), as a network's loss does far from a minimum. Four methods start from the same point $({w1:g},\\ {w2:g})$; press Play to watch them live."),
    "lr.s1.rules": (
        "更新规则都是 $\\theta_i^{t+1}=\\theta_i^t-\\frac{\\eta}{\\sigma_i^t}\\,g_i^t$（Adam 用动量 $\\hat m_i^t$ 代替 $g_i^t$），区别只在 $\\sigma_i^t$：\n"
        "- 梯度下降：$\\sigma=1$\n"
        "- Adagrad（均方根）：$\\sigma_i^t=\\sqrt{\\frac{1}{t+1}\\sum_{k=0}^{t}(g_i^k)^2}$\n"
        "- RMSProp：$\\sigma_i^0=|g_i^0|$，$(\\sigma_i^t)^2=\\alpha(\\sigma_i^{t-1})^2+(1-\\alpha)(g_i^t)^2$，$\\alpha$ 决定新梯度与过去的比重\n"
        "- Adam = 动量 + RMSProp：$m^t=\\beta_1 m^{t-1}+(1-\\beta_1)g^t$，$v^t=\\beta_2 v^{t-1}+(1-\\beta_2)(g^t)^2$，$\\sigma=\\sqrt{\\hat v^t}+\\varepsilon$",
        "Each update is $\\theta_i^{t+1}=\\theta_i^t-\\frac{\\eta}{\\sigma_i^t}\\,g_i^t$ (Adam uses the momentum $\\hat m_i^t$ instead of $g_i^t$); they differ only in $\\sigma_i^t$:\n"
        "- gradient descent: $\\sigma=1$\n"
        "- Adagrad (root mean square): $\\sigma_i^t=\\sqrt{\\frac{1}{t+1}\\sum_{k=0}^{t}(g_i^k)^2}$\n"
        "- RMSProp: $\\sigma_i^0=|g_i^0|$, $(\\sigma_i^t)^2=\\alpha(\\sigma_i^{t-1})^2+(1-\\alpha)(g_i^t)^2$; $\\alpha$ sets how much the newest gradient counts against the past\n"
        "- Adam = momentum + RMSProp: $m^t=\\beta_1 m^{t-1}+(1-\\beta_1)g^t$, $v^t=\\beta_2 v^{t-1}+(1-\\beta_2)(g^t)^2$, $\\sigma=\\sqrt{\\hat v^t}+\\varepsilon$"),
    "lr.s1.torch": (
        "PyTorch（以及第 9 节）的写法：`torch.optim.Adagrad` 除以平方**和**的根 $\\sqrt{\\sum_{k\\le t}(g_i^k)^2}=\\sqrt{t+1}\\,\\sigma_i^t$，所以固定学习率 η 的 torch Adagrad 正是这里带衰减 $\\eta^t=\\eta/\\sqrt{t+1}$ 的 Adagrad（见第 2 节）；`torch.optim.RMSprop` 的平均从 0 开始而不是从 $(g^0)^2$，第一步因此长 $1/\\sqrt{1-\\alpha}$ 倍，之后差别按 $\\alpha^t$ 消失；Adam 与这里相同。",
        "How PyTorch (and section 9) writes these: `torch.optim.Adagrad` divides by the root of the **sum** $\\sqrt{\\sum_{k\\le t}(g_i^k)^2}=\\sqrt{t+1}\\,\\sigma_i^t$, so torch's Adagrad with a fixed learning rate η is exactly this page's Adagrad with the decaying $\\eta^t=\\eta/\\sqrt{t+1}$ (section 2); `torch.optim.RMSprop` starts its average at 0 instead of $(g^0)^2$, so its first step is $1/\\sqrt{1-\\alpha}$ times longer and the difference fades like $\\alpha^t$; Adam is the same as here."),
    "lr.s1.gd_lr": ("梯度下降的学习率 η", "Learning rate η of gradient descent"),
    "lr.s1.gd_lr_help": (
        'η 超过 2/b = {limit:g}（b = {b:g} 是谷底横向的曲率）时，梯度下降无法停在谷底，会一直在两壁之间来回弹；η 在 {half:g} 与 {limit:g} 之间会弹几下再停下；低于 {half:g} 不会弹。',
        "Above η = 2/b = {limit:g} (b = {b:g} is the floor's curvature across the valley) gradient descent cannot settle on the floor and bounces from wall to wall for good; between {half:g} and {limit:g} it bounces but settles; below {half:g} it does not bounce."),
    "lr.s1.ad_lr": ("Adagrad / RMSProp / Adam 的 η", "η of Adagrad / RMSProp / Adam"),
    "lr.s1.ad_lr_help": ("Adagrad、RMSProp 与 Adam 共用的学习率 η；各自再除以每个参数自己的 σ。",
                         "The learning rate η that Adagrad, RMSProp and Adam share; each divides it by every parameter's own σ."),
    "lr.s1.alpha": ("RMSProp 的 α", "RMSProp's α"),
    "lr.s1.alpha_help": ("α 越大，σ 越依赖过去的梯度；越小，越依赖刚算出的梯度。", "The larger α, the more σ remembers past gradients; the smaller, the more it follows the newest one."),
    "lr.s1.metric": ("更新次数 t", "Update t"),
    "lr.s1.status": (
        "每种方法最多 {limit} 次更新 · 梯度下降此刻：损失 **{loss}**，梯度大小 ‖g‖ = **{g}**",
        "At most {limit} updates each · gradient descent now: loss **{loss}**, gradient size ‖g‖ = **{g}**"),
    "lr.s1.read": (
        '看梯度下降：η = {hi:g}（大于 2/b = {limit:g}）时它停不到谷底，每次更新都从一壁跳到另一壁：从第 {since} 到第 {until} 次更新，损失停在 {loss:.3f}（只再下降了 {fell:.1%}），梯度大小 ‖g‖ 却始终不小于 {g:.2f}——训练卡住了，但不是停在临界点。η = {lo:g} 时不再弹跳（$w_2$ 在 {floor} 次更新内就到了谷底），却沿平缓的 $w_1$ 方向爬得很慢：{until} 次更新后只走完了 {share:.0%} 的路程，而自适应方法（η = {ad:g}）都已走完至少 {ad_share:.0%}。它们按每个参数自己的 σ 调整步长，两个方向都走得动。',
        "Watch gradient descent. With η = {hi:g} (above 2/b = {limit:g}) it cannot settle on the floor and jumps from wall to wall at every update: from update {since} to {until} the loss stays at {loss:.3f} (it falls by only another {fell:.1%}) while the gradient size ‖g‖ never drops below {g:.2f} — training is stuck, but not at a critical point. With η = {lo:g} it does not bounce ($w_2$ reaches the floor within {floor} updates) but crawls along the flat $w_1$ axis: after {until} updates it has covered only {share:.0%} of the way, while the adaptive methods (η = {ad:g}) have all covered at least {ad_share:.0%}. They scale each parameter's step by its own σ and make progress in both directions."),
    "lr.s2.title": ("2 每个参数自己的 σ", "2 A σ for each parameter"),
    "lr.s2.text": (
        "上面同一次模拟中 $\\sigma_1,\\sigma_2$ 与有效步长 $\\eta/\\sigma_i$ 的变化（实线 $w_1$，虚线 $w_2$）：陡峭方向 $w_2$ 的梯度大，σ₂ 大、步长小；平缓方向 $w_1$ 的梯度小，σ₁ 小、步长大。",
        "σ₁, σ₂ and the effective step η/σᵢ in the same simulation as above (solid $w_1$, dashed $w_2$): along the steep $w_2$ the gradient is large, so σ₂ is large and the step small; along the flat $w_1$ the gradient is small, so σ₁ is small and the step large."),
    "lr.s2.burst_title": ("Adagrad 的“后期爆发”与学习率衰减", "Adagrad's late burst, and learning-rate decay"),
    "lr.s2.burst_text": (
        'Adagrad 的 σ 是全部历史梯度的均方根。$w_2$ 很快到达谷底后，很长一段时间梯度都很小，σ₂ 越变越小，有效步长 η/σ₂ 越变越大；一旦超过 2/b = 1（谷底横向的稳定界限），参数就会突然横向冲上山壁，直到变大的梯度重新把 σ₂ 撑大、η/σ₂ 回到 2/b 左右。解决办法：**学习率衰减** $\\eta^t = \\eta/\\sqrt{t+1}$，让 η 随时间变小。（PyTorch 的 Adagrad 累加平方和而不是取平均，固定学习率时正是这个衰减的规则，所以不会这样爆发。）',
        "Adagrad's σ is the root mean square of all past gradients. Once $w_2$ reaches the valley floor, its gradient stays small for a long stretch, σ₂ keeps shrinking and the effective step η/σ₂ keeps growing; once it passes 2/b = 1 (the stability limit across the floor), the parameter suddenly shoots sideways up the wall, until the larger gradients inflate σ₂ again and η/σ₂ falls back to about 2/b. The cure: **learning-rate decay** $\\eta^t = \\eta/\\sqrt{t+1}$, so that η shrinks over time. (PyTorch's Adagrad sums the squares instead of averaging them: with a fixed learning rate it is exactly this decaying rule, so it does not burst like this.)"),
    "lr.s2.const": ("Adagrad，η 固定", "Adagrad, fixed η"),
    "lr.s2.decay": ("Adagrad，η/√(t+1) 衰减", "Adagrad, decaying η/√(t+1)"),
    "lr.s2.limit": ("稳定界限 2/b", "stability limit 2/b"),
    "lr.s2.burst_found": (
        'η = {lr:g}、固定学习率：第 {t} 次更新时 $w_2$ 一步横跳 {size:.3g}；用衰减的学习率，前十分之一之后最大的一步只有 {after:.2g}。',
        'η = {lr:g}, fixed: at update {t}, $w_2$ jumps {size:.3g} in one step; with the decaying learning rate the largest step after the first tenth is only {after:.2g}.'),
    "lr.s3.title": ("3 学习率调度（Learning rate scheduling）", "3 Learning-rate scheduling"),
    "lr.s3.text": (
        "**学习率衰减**：随着训练接近终点，η 逐渐变小。**预热（warmup）**：η 先变大再变小，残差网络与 Transformer 都使用。为什么要预热？$\\theta_i^{t+1}=\\theta_i^t-\\frac{\\eta^t}{\\sigma_i^t}g_i^t$ 中的 σ 要靠足够多的梯度统计才可靠；训练刚开始时 σ 的估计不准，所以先用小的 η，慢慢增大。",
        "**Learning-rate decay**: η shrinks as training nears its end. **Warmup**: η first grows, then shrinks; residual networks and Transformers use it. Why warm up? In $\\theta_i^{t+1}=\\theta_i^t-\\frac{\\eta^t}{\\sigma_i^t}g_i^t$ the σ needs enough gradients to be a reliable statistic; at the start its estimate is poor, so η starts small and grows slowly."),
    "lr.s3.formulas": (
        "η = 0.01；指数衰减每 500 次更新减半；预热 100 次更新后线性或余弦衰减 2000 次；Transformer：$\\eta\\,d^{-0.5}\\min(t^{-0.5},\\,t\\,w^{-1.5})$，d = 64，w = 100（已缩放到相同峰值）。",
        "η = 0.01; exponential decay halves every 500 updates; warmup for 100 updates, then linear or cosine decay over 2000; Transformer: $\\eta\\,d^{-0.5}\\min(t^{-0.5},\\,t\\,w^{-1.5})$, d = 64, w = 100 (scaled to the same peak)."),
    "lr.s3.panel": (
        "下面的训练面板用 Adam 在螺旋数据上训练同一个网络、从同一组初始权重出发，一次用固定学习率，一次先预热再衰减。按“开始”比较两条损失曲线；也可在“比较”里换成其他调度。面板最下面的图单独画出前 {n} 次更新，看清预热的开头（拖动平移，滚轮缩放，双击复原）。",
        "The training panel below trains one network on the spiral data with Adam from one set of initial weights, once with a constant learning rate and once with warmup then decay. Press Play to compare the two loss curves; switch to other schedules under Compare. The panel's last chart shows the first {n} updates on their own, so the warmup's start is easy to see (drag to pan, scroll to zoom, double-click to reset)."),
    "lr.chart.path": ("误差曲面上的路径", "Paths on the error surface"),
    "lr.chart.optimizer": ("方法", "method"),
    "lr.chart.series": ("曲线", "series"),
    "lr.chart.loss": ("损失", "loss"),
    "lr.chart.grad": ("‖g‖", "‖g‖"),
    "lr.chart.eta": ("学习率 η", "learning rate η"),
    "lr.chart.updates": ("更新次数", "updates"),
    "lr.chart.loss_title": ("损失（对数刻度）", "Loss (log scale)"),
    "lr.chart.grad_title": ("梯度大小（对数刻度）", "Gradient size (log scale)"),
    "lr.chart.sigma_title": ("每个参数的 σ（实线 w₁，虚线 w₂）", "σ of each parameter (solid w₁, dashed w₂)"),
    "lr.chart.eff_title": ("有效步长 η/σ（实线 w₁，虚线 w₂）", "Effective step η/σ (solid w₁, dashed w₂)"),
    "lr.chart.w2_title": ("Adagrad 的 w₂", "Adagrad's w₂"),
    "lr.chart.eff2_title": ("有效步长 η/σ₂", "Effective step η/σ₂"),
    "lr.chart.sched_title": ("学习率调度", "Learning-rate schedules"),
    "lr.first_title": ("前 {n} 次更新的训练损失", "Training loss over the first {n} updates"),
}
