"""Strings of the page "momentum" (and its lessons)."""
STRINGS: dict[str, tuple[str, str]] = {
    "mom.intro": (
        "**动量（momentum）**：更新参数时，不只看当前的梯度，还加上**上一步移动的方向**。"
        "就像一个从山坡滚下的球，有惯性，遇到局部最小值（local minima）或平坦的高原（plateau）时，"
        "可能凭惯性冲过去。",
        "**Momentum**: when updating the parameters, do not follow only the current gradient; also "
        "add **the previous movement**. Like a ball rolling downhill, it has inertia, and at a local "
        "minimum or on a flat plateau it may roll on through."),
    "mom.s1": ("1. 梯度下降 vs 带动量的梯度下降", "1. Gradient descent vs gradient descent with momentum"),
    "mom.s1_text": (
        '同一个起点，两种更新：梯度下降 θⁱ = θⁱ⁻¹ − η gⁱ⁻¹；带动量（m⁰ = 0）：mⁱ = λ mⁱ⁻¹ − η gⁱ⁻¹，θⁱ = θⁱ⁻¹ + mⁱ，其中 gⁱ⁻¹ 是 θⁱ⁻¹ 处的梯度。左图是一维损失曲线，右图是二维误差曲面（颜色越深损失越小），曲面沿 w₂ = 0 的截面就是左边的曲线。两者在 w₁ ≈ {local:.2f} 有一个浅的局部最小值，w₁ ≈ {bump:.2f} 有一个小坡顶，之后一段平缓的下坡通向 w₁ ≈ {best:.2f} 更深的最小值。',
        'Same start, two update rules: gradient descent θⁱ = θⁱ⁻¹ − η gⁱ⁻¹; with momentum (m⁰ = 0) mⁱ = λ mⁱ⁻¹ − η gⁱ⁻¹, θⁱ = θⁱ⁻¹ + mⁱ, where gⁱ⁻¹ is the gradient at θⁱ⁻¹. Left: a 1-D loss curve; right: a 2-D error surface (darker = lower loss) whose cut along w₂ = 0 is that curve. Both have a shallow local minimum at w₁ ≈ {local:.2f}, a small bump at w₁ ≈ {bump:.2f}, then a gentle slope down to the deeper minimum at w₁ ≈ {best:.2f}.'),
    "mom.torch": (
        'PyTorch（`torch.optim.SGD` 的 momentum，以及第 9 节）的写法：bⁱ = λ bⁱ⁻¹ + gⁱ⁻¹，θⁱ = θⁱ⁻¹ − η bⁱ——缓存的是原始梯度，用时才乘 η。η 固定时每一步都有 mⁱ = −η bⁱ，两种写法走的是完全相同的路径；只有 η 在训练中变化（学习率调度）时才不同：mⁱ 里每个旧梯度保留它当时的 η，torch 则把全部旧梯度都乘以当前的 η。',
        'How PyTorch writes it (`torch.optim.SGD` with momentum, and section 9): bⁱ = λ bⁱ⁻¹ + gⁱ⁻¹, θⁱ = θⁱ⁻¹ − η bⁱ — a buffer of raw gradients, scaled by η when it is used. With a constant η, mⁱ = −η bⁱ at every step, so both take exactly the same path; they differ only when η changes during training (a schedule): mⁱ keeps each old gradient scaled by the η of its own step, torch scales them all by the current η.'),
    "mom.lr": ("学习率 η", "Learning rate η"),
    "mom.lr_help": ("每一步沿负梯度走多远。", "How far each step moves against the gradient."),
    "mom.lam": ("动量 λ", "Momentum λ"),
    "mom.lam_help": ("上一步移动保留的比例；λ = 0 就是普通的梯度下降。",
                     "Share of the previous movement kept; λ = 0 is plain gradient descent."),
    "mom.start": ("起点 w₁", "Start w₁"),
    "mom.start_help": (
        '两个小球共同的起点（二维曲面上 w₂ = {w2:g}）。',
        'The common start of both balls (w₂ = {w2:g} on the 2-D surface).'),
    "mom.step": ("步数 i", "Step i"),
    "mom.gd": ("梯度下降", "Gradient descent"),
    "mom.gdm": ("梯度下降 + 动量", "Gradient descent + momentum"),
    "mom.curve_title": ("一维损失曲线", "1-D loss curve"),
    "mom.surface_title": ("二维误差曲面上的路径", "Paths on the 2-D error surface"),
    "mom.verdict.through": (
        '梯度下降停在局部最小值 w₁ ≈ {gd:.2f}（梯度为 0，但损失不是最低）；带动量的小球凭惯性冲过去，进入更深的山谷（w₁ ≈ {gdm:.2f}，损失 {lgdm:.3f}，而梯度下降是 {lgd:.3f}）。',
        'Gradient descent stops in the local minimum at w₁ ≈ {gd:.2f} (zero gradient, but not the lowest loss); the ball with momentum rolls through it on its inertia into the deeper valley (w₁ ≈ {gdm:.2f}, loss {lgdm:.3f} against {lgd:.3f}).'),
    "mom.verdict.both_stuck": (
        '这组 η、λ 下两者都停在局部最小值 w₁ ≈ {x:.2f}：惯性不够大。同样的 η 与起点，λ = {lam:.2f} 时带动量的小球就能冲过去。',
        'With these η and λ both stop in the local minimum at w₁ ≈ {x:.2f}: not enough inertia. With λ = {lam:.2f} (same η and start) the ball with momentum rolls through.'),
    "mom.verdict.no_lam": (
        '这组 η、λ 下两者都停在局部最小值 w₁ ≈ {x:.2f}；从这个起点、用这个 η，滑块上没有任何 λ（最大 {hi:.2f}）能让带动量的小球冲过去。',
        'With these η and λ both stop in the local minimum at w₁ ≈ {x:.2f}; from this start with this η, no λ on the slider (up to {hi:.2f}) gets the ball with momentum through.'),
    "mom.verdict.diverged": ("学习率太大，路径发散了。请调小 η。",
                             "The learning rate is too large: a path diverged. Lower η."),
    "mom.verdict.other": (
        "梯度下降结束于 w₁ ≈ {gd:.2f}（损失 {lgd:.3f}），带动量结束于 w₁ ≈ {gdm:.2f}（损失 {lgdm:.3f}）。",
        "Gradient descent ends at w₁ ≈ {gd:.2f} (loss {lgd:.3f}), with momentum at "
        "w₁ ≈ {gdm:.2f} (loss {lgdm:.3f})."),
    "mom.s2": ("2. mⁱ 是过去梯度的加权和", "2. mⁱ is a weighted sum of past gradients"),
    "mom.s2_text": (
        "展开递推式：mⁱ = −Σₖ λ^(i−k−1) η gᵏ（k = 0 … i−1）。越早的梯度权重越小（λ 的幂次）。"
        "左图是权重 η λ^(i−k−1)，右图把当前这一步实际的 mⁱ（一维曲线上带动量的小球）拆成每一项，"
        "最后一根柱是它们的和。",
        "Unrolling the recursion: mⁱ = −Σₖ λ^(i−k−1) η gᵏ (k = 0 … i−1). Older gradients weigh less "
        "(powers of λ). Left: the weights η λ^(i−k−1); right: the actual mⁱ at this step (the ball "
        "with momentum on the 1-D curve) split into its terms, the last bar being their sum."),
    "mom.weight_series": ("权重 η λ^(i−k−1)", "weight η λ^(i−k−1)"),
    "mom.term_series": ("项 −η λ^(i−k−1) gᵏ", "term −η λ^(i−k−1) gᵏ"),
    "mom.m_series": ("和 = mⁱ", "sum = mⁱ"),
    "mom.weight_axis": ("权重", "Weight"),
    "mom.term_axis": ("对 mⁱ 的贡献", "Contribution to mⁱ"),
    "mom.weights_title": ("第 {i} 步：各个过去梯度的权重（最近 {n} 项）", "Step {i}: weight of each past gradient (last {n})"),
    "mom.terms_title": ("第 {i} 步：mⁱ 拆成各项", "Step {i}: mⁱ split into its terms"),
    "mom.sum": (
        "第 {i} 步：所有项之和 = {total:.6f}，小球实际的移动 mⁱ = θⁱ − θⁱ⁻¹ = {actual:.6f}。",
        "Step {i}: sum of all terms = {total:.6f}; the ball's actual movement mⁱ = θⁱ − θⁱ⁻¹ = {actual:.6f}."),
    "mom.s3": ("3. 在神经网络上：SGD vs SGD + 动量", "3. On a network: SGD vs SGD with momentum"),
    "mom.s3_text": (
        "同一个网络、同一组初始参数、同一批数据，只有优化器不同：SGD 与带动量的 SGD（动量 λ 可在左侧调整）。"
        "按“开始”实时训练。",
        "The same network, the same initial weights, the same batches; only the optimizer differs: "
        "SGD vs SGD with momentum (set λ on the left). Press Play to train live."),
    "mom.first_title": ("前 {n} 次更新的训练损失", "Training loss over the first {n} updates"),
    "mom.first_text": (
        "训练面板最下面的图单独画出前 {n} 次更新，这样整段训练很长时也能看清开头（拖动平移，滚轮缩放，双击复原）。",
        "The panel's last chart shows the first {n} updates on their own, so the start stays visible however long the run goes (drag to pan, scroll to zoom, double-click to reset)."),
}
