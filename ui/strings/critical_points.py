"""Strings of the page "critical_points" (and its lessons)."""
STRINGS: dict[str, tuple[str, str]] = {
    "cp.intro": (
        "训练时 loss 不再下降，甚至一开始就降不下去，常见的原因是走到了 **critical point**（临界点）：梯度为 0 的点。"
        "它可能是**局部最小值**（local minima），也可能是**鞍点**（saddle point）。要分辨它们，就看**海森矩阵**（Hessian）的**特征值**。",
        "When the loss stops falling during training — or never falls at all — a common cause is a **critical "
        "point**: a point where the gradient is zero. It can be a **local minimum** or a **saddle point**. To tell "
        "them apart, look at the **eigenvalues** of the **Hessian**."),
    "cp.s1.title": ("① 课上的例子：y = w₁·w₂·x", "① The lecture's example: y = w₁·w₂·x"),
    "cp.s1.text": (
        "只有一笔训练资料 (x = 1, ŷ = 1)，loss 为 L = (ŷ − w₁·w₂·x)²。原点 (0, 0) 是鞍点；粉色虚线 w₁·w₂ = 1 上每一点的 loss 都是 0，是一整条最小值。"
        "在下面选一个点（输入或快捷按钮），右边给出梯度 g、海森矩阵 H、它的特征值与特征向量（图上的两根短线），以及判断结果。",
        "One training pair (x = 1, ŷ = 1), loss L = (ŷ − w₁·w₂·x)². The origin (0, 0) is a saddle point; every "
        "point on the pink dashed curve w₁·w₂ = 1 has loss 0 — a whole line of minima. Pick a point below (inputs "
        "or shortcuts): on the right are the gradient g, the Hessian H, its eigenvalues and eigenvectors (the two "
        "short lines on the map) and the verdict."),
    "cp.surface": ("误差曲面", "Error surface"),
    "cp.surface.toy": ("课上的 (ŷ − w₁w₂x)²", "the lecture's (ŷ − w₁w₂x)²"),
    "cp.surface.bumps": ("起伏曲面 cos πw₁ + cos πw₂（三种临界点都有）",
                         "bumps cos πw₁ + cos πw₂ (all three kinds)"),
    "cp.jump": ("跳到：", "Jump to:"),
    "cp.kind.saddle": ("鞍点", "saddle point"),
    "cp.kind.minimum": ("局部最小值", "local minimum"),
    "cp.kind.maximum": ("局部最大值", "local maximum"),
    "cp.kind.undecided": ("无法判断", "undecided"),
    "cp.kind.valley": ("最小值谷底", "valley of minima"),
    "cp.kind.slope": ("斜坡上", "on a slope"),
    "cp.loss_here": ("此处的 loss", "Loss here"),
    "cp.grad_norm": ("梯度大小 ‖g‖", "Gradient norm ‖g‖"),
    "cp.verdict.not_critical": (
        "这里梯度不为 0，**不是临界点**，梯度下降会继续往下走。（海森矩阵只描述此处的弯曲：{shape}。）",
        "The gradient is not zero here: **not a critical point**, gradient descent keeps moving. (The Hessian "
        "only describes the local curvature: {shape}.)"),
    "cp.shape.minimum": ("各方向都向上弯", "curving up in every direction"),
    "cp.shape.maximum": ("各方向都向下弯", "curving down in every direction"),
    "cp.shape.saddle": ("有的方向向上、有的方向向下弯", "up in some directions, down in others"),
    "cp.shape.undecided": ("有一个方向是平的", "flat in one direction"),
    "cp.verdict.minimum": ("梯度为 0，特征值**全为正** → **局部最小值**（local minima）。",
                           "Gradient zero, eigenvalues **all positive** → **local minimum**."),
    "cp.verdict.maximum": ("梯度为 0，特征值**全为负** → **局部最大值**（local maxima）。",
                           "Gradient zero, eigenvalues **all negative** → **local maximum**."),
    "cp.verdict.saddle": ("梯度为 0，特征值**有正有负** → **鞍点**（saddle point）：沿负特征值的特征向量走，loss 还能下降。",
                          "Gradient zero, eigenvalues of **both signs** → **saddle point**: along the eigenvector "
                          "of the negative eigenvalue the loss can still fall."),
    "cp.verdict.undecided": ("梯度为 0，但有一个特征值**为 0**（|λ| ≤ {zero} · max|λ|），其余同号 → 只看二次项**无法判断**，"
                             "要看更高阶的项。",
                             "Gradient zero, but an eigenvalue is **zero** (|λ| ≤ {zero} · max|λ|) and the rest share "
                             "one sign → the second-order term **cannot decide**; higher-order terms would."),
    "cp.valley_note": ("这里 loss = 0，已是最小可能值，所以其实是（全局）最小值；特征值 0 对应沿着谷底 w₁·w₂ = 1 的方向。",
                       "Here the loss is 0, its lowest possible value, so this is in fact a (global) minimum; the zero "
                       "eigenvalue is the direction along the valley w₁·w₂ = 1."),
    "cp.escape": ("沿 λ = {lam} 的特征向量走一步", "Step along the eigenvector of λ = {lam}"),
    "cp.escaped": ("沿特征向量走了一步：loss 从 {before} 降到 {after}。",
                   "One step along the eigenvector: the loss fell from {before} to {after}."),
    "cp.gd.title": ("梯度下降的路径", "Gradient-descent paths"),
    "cp.gd.text": (
        "白线是从几个起点出发的梯度下降（θ ← θ − η·g），按“开始”实时画出。正好从鞍点出发的路径不会动（梯度为 0）；"
        "稍微偏离一点，就会先在鞍点附近停滞，再离开。“加入起点”把上面选的点加为新起点。",
        "White lines: gradient descent (θ ← θ − η·g) from a few starts, drawn live with Play. A path that starts "
        "exactly at the saddle never moves (the gradient is zero); one that starts slightly off lingers near it, "
        "then leaves. “Add start” adds the point chosen above."),
    "cp.gd.lr": ("学习率 η", "Learning rate η"),
    "cp.gd.lr_help": ("每一步 θ ← θ − η·g。η 越小，从鞍点附近离开得越慢；太大时路径会跳出地图。",
                      "Each step is θ ← θ − η·g. A smaller η leaves the saddle more slowly; too large a "
                      "one throws a path off the map."),
    "cp.gd.step": ("梯度下降步数", "Descent steps"),
    "cp.gd.step_help": ("每条路径走 {n} 步梯度下降", "Every path takes {n} gradient-descent steps"),
    "cp.gd.left": ("{n} 条路径远远跑出了地图（地图只画到 |w| ≤ {box}，路径一直跟到 |w| > {limit}）：学习率 η = {lr} 对它们太大，路径停在那里。",
                   "{n} path(s) ran far off the map (it shows |w| ≤ {box}; a path is followed until |w| > {limit}): "
                   "the learning rate η = {lr} is too large for them, and they stop there."),
    "cp.gd.add": ("加入起点", "Add start"),
    "cp.gd.clear": ("清除路径", "Clear paths"),
    "cp.chart.surface": ("误差曲面与临界点", "Error surface and critical points"),
    "cp.chart.sqrt_loss": ("loss（√ 刻度）", "loss (√ scale)"),
    "cp.chart.loss": ("loss", "loss"),
    "cp.chart.marks": ("临界点", "Critical points"),
    "cp.chart.vectors": ("所选点的特征向量", "Eigenvectors at the chosen point"),
    "cp.chart.vector": ("v{j}（λ{j} = {lam}）", "v{j} (λ{j} = {lam})"),
    "cp.w1": ("w₁", "w₁"),
    "cp.w2": ("w₂", "w₂"),
    "cp.s2.title": ("② 泰勒展开", "② Taylor expansion"),
    "cp.s2.text": (
        "在选定的点 θ′ 附近，loss 可以近似为下式。临界点上 g = 0，第二项消失，由最后一项 ½(θ−θ′)ᵀH(θ−θ′) 决定附近的形状。"
        "改变 Δ = θ − θ′ 看各项的数值：",
        "Near the chosen point θ′ the loss is approximately the expression below. At a critical point g = 0, "
        "the middle term vanishes and the last term ½(θ−θ′)ᵀH(θ−θ′) decides the shape around it. Change "
        "Δ = θ − θ′ and read the numbers:"),
    "cp.s2.d1": ("Δw₁ = (θ − θ′)₁", "Δw₁ = (θ − θ′)₁"),
    "cp.s2.d2": ("Δw₂ = (θ − θ′)₂", "Δw₂ = (θ − θ′)₂"),
    "cp.s2.compare": ("真实值 L(θ) = **{exact}**，近似误差 {err}（Δ 越小，误差越小）。",
                      "The true value L(θ) = **{exact}**, approximation error {err} (smaller Δ, smaller error)."),
    "cp.s2.critical": ("θ′ 是临界点：只剩下二次项。", "θ′ is a critical point: only the quadratic term is left."),
    "cp.s3.title": ("③ 训练中的网络：走到了哪一种临界点？", "③ A network in training: which critical point does it reach?"),
    "cp.s3.text": (
        "下面默认并排训练两个小 MLP（1 个隐藏层，每层神经元数 1 和 6；回归、MSE、Adam）。图中实时画出梯度大小 ‖g‖、海森矩阵最小与最大的特征值，"
        "以及 **minimum ratio** = 正特征值个数 / 特征值总数。整页用同一条规则判断“0”，判断结果与 ratio 都一样："
        "|λ| ≤ {zero} · max|λ| 的特征值算作 **0**（平坦）。图下的读数数出负、零、正特征值各有几个；当 ‖g‖ 不高于阈值时，再说出是哪种临界点。",
        "Below, by default, two small MLPs (one hidden layer of 1 and of 6 units; regression, MSE, Adam) "
        "train side by side. The charts show the gradient norm ‖g‖, the smallest and largest Hessian eigenvalue, "
        "and the **minimum ratio** = number of positive eigenvalues / number of eigenvalues. One rule for zero holds "
        "on the whole page, for the verdict and the ratio alike: an eigenvalue with |λ| ≤ {zero} · max|λ| counts as "
        "**0** (flat). The readout under the charts counts the negative, zero and positive eigenvalues; once ‖g‖ is "
        "at or below the threshold, it names the kind of critical point."),
    "cp.s3.expect": (
        "这两次训练显示的是（种子 0–4 都一样）：一开始两个海森矩阵都有负特征值（λ_min 小于 0）；随着 ‖g‖ 变小，λ_min 升到 0，"
        "等 ‖g‖ 低于阈值时，按上面的规则已没有负特征值。这时只有 1 个神经元的网络停在真正的**局部最小值**——特征值全为正——"
        "但它是个差的局部最小值：训练 loss 一直远高于另一个。6 个神经元的网络 loss 低得多，但大约一半的特征值按规则算作 0："
        "判断为**无法判断**——有平坦的方向，既不是明确的鞍点，也不是明确的最小值。",
        "What these two runs show (seeds 0–4 alike): at the start both Hessians have negative eigenvalues (λ_min "
        "below 0); as ‖g‖ shrinks, λ_min climbs to 0, and once ‖g‖ is below the threshold no eigenvalue is negative "
        "by the rule above. The 1-unit net then sits in a true **local minimum** — every eigenvalue positive — but a "
        "poor one: its training loss stays far above the other's. The 6-unit net reaches a much lower loss, but about "
        "half of its eigenvalues are 0 by the rule: the verdict is **undecided** — flat directions, neither a clear "
        "saddle point nor a clear minimum."),
    "cp.s3.no_max": (
        "这里不可能出现局部最大值：沿着输出层的偏置 b，MSE loss 是一条二阶导数恰为 2 的抛物线，所以处处 λ_max ≥ 2。",
        "A local maximum cannot happen here: along the output bias b the MSE loss is a parabola with second "
        "derivative exactly 2, so λ_max ≥ 2 everywhere."),
    "cp.s3.gtol": ("梯度阈值（‖g‖ 不高于它就算临界点）", "Gradient threshold (‖g‖ at or below it counts as critical)"),
    "cp.s3.grad_chart": ("梯度大小 ‖g‖", "Gradient norm ‖g‖"),
    "cp.s3.grad_axis": ("‖g‖（对数刻度）", "‖g‖ (log scale)"),
    "cp.s3.lam_min_chart": ("最小特征值 λ_min", "Smallest eigenvalue λ_min"),
    "cp.s3.lam_max_chart": ("最大特征值 λ_max", "Largest eigenvalue λ_max"),
    "cp.s3.ratio_chart": ("minimum ratio", "Minimum ratio"),
    "cp.s3.ratio_axis": ("正特征值的比例", "share of positive eigenvalues"),
    "cp.s3.this_run": ("这次训练", "this run"),
    "cp.s3.no_number": ("梯度或特征值不是有限的数（训练发散了）：没有读数。",
                        "The gradient or an eigenvalue is not a finite number (the run diverged): no readout."),
    "cp.s3.too_big": ("模型超过 {n} 个参数：不计算完整的特征值，所以没有 minimum ratio。请减小宽度或深度。",
                      "The model has more than {n} parameters: the full spectrum (and so the minimum ratio) is "
                      "skipped. Reduce the width or depth."),
    "cp.s3.reached": ("第 {step} 步：‖g‖ = {g}，不高于阈值：已到达临界点。特征值：负 {neg} 个、零 {zero} 个、正 {pos} 个 → "
                      "**{kind}**（minimum ratio = {ratio}；λ_min = {rel} · max|λ|）。",
                      "Step {step}: ‖g‖ = {g}, at or below the threshold: a critical point. Eigenvalues: {neg} "
                      "negative, {zero} zero, {pos} positive → **{kind}** (minimum ratio = {ratio}; "
                      "λ_min = {rel} · max|λ|)."),
    "cp.s3.reached_big": ("第 {step} 步：‖g‖ = {g}，不高于阈值：已到达临界点。λ_min = {lo}，λ_max = {hi}"
                          "（模型太大，不算完整的特征值，所以不计数、不判断）。",
                          "Step {step}: ‖g‖ = {g}, at or below the threshold: a critical point. λ_min = {lo}, "
                          "λ_max = {hi} (no full spectrum for a model this size, so no count and no verdict)."),
    "cp.s3.not_yet": ("‖g‖ = {g}，还高于阈值 {tol}：尚未到达临界点。此处的海森矩阵：负特征值 {neg} 个、零 {zero} 个、正 {pos} 个。",
                      "‖g‖ = {g}, above the threshold {tol}: not a critical point yet. The Hessian here: {neg} "
                      "negative, {zero} zero, {pos} positive eigenvalues."),
    "cp.s3.not_yet_big": ("‖g‖ = {g}，还高于阈值 {tol}：尚未到达临界点。",
                          "‖g‖ = {g}, above the threshold {tol}: not a critical point yet."),
    "cp.ratio": ("minimum ratio", "minimum ratio"),
    "cp.s4.title": ("④ 鞍点还是局部最小值？", "④ Saddle point or local minimum?"),
    "cp.s4.text": (
        "课上的实验：用不同的随机种子训练许多个小网络（1 个隐藏层，{width} 个 tanh 单元），每个都训练到梯度很小（‖g‖ ≤ {gtol}）为止，"
        "然后在终点算海森矩阵的全部特征值。每个点是一次训练：横轴是 minimum ratio，纵轴是终点的训练 loss。局部最小值要求 ratio = 1。"
        "ratio 小于 1 可能有两种不同的原因：有**负**特征值（鞍点——loss 还能下降），或有按本页规则算作 **0** 的特征值"
        "（|λ| ≤ {zero} · max|λ|：平坦，二次项无法判断）。颜色和图下的统计把两者分开。",
        "The lecture's experiment: train many small networks (one hidden layer of {width} tanh units) from "
        "different random seeds, each until its gradient is small (‖g‖ ≤ {gtol}), then compute every Hessian "
        "eigenvalue at the end point. Each dot is one run: minimum ratio across, training loss at the end up. A "
        "local minimum needs ratio = 1. A ratio below 1 can mean two different things: a **negative** eigenvalue (a "
        "saddle point: the loss can still fall) or eigenvalues that are **0** by the page's rule (|λ| ≤ {zero} · "
        "max|λ|: flat, the second order cannot decide). The colours and the count under the chart tell them apart."),
    "cp.s4.runs": ("训练次数（种子）", "Runs (seeds)"),
    "cp.s4.steps": ("每次最多步数", "Max steps per run"),
    "cp.s4.start": ("开始实验", "Start experiment"),
    "cp.s4.stop": ("停止", "Stop"),
    "cp.s4.clear": ("清除结果", "Clear results"),
    "cp.s4.done": ("已完成的训练", "Runs done"),
    "cp.s4.progress": ("已完成 {done} / {total} 次训练", "{done} of {total} runs done"),
    "cp.s4.empty": ("还没有结果：按“开始实验”。", "No results yet: press “Start experiment”."),
    "cp.s4.not_converged": ("步数用完，‖g‖ > {gtol}", "steps ran out, ‖g‖ > {gtol}"),
    "cp.s4.x": ("minimum ratio（正特征值比例）", "minimum ratio (share of positive eigenvalues)"),
    "cp.s4.y": ("终点的训练 loss", "training loss at the end point"),
    "cp.s4.status": ("终点", "end point"),
    "cp.s4.chart": ("minimum ratio 与训练 loss", "Minimum ratio against training loss"),
    "cp.s4.summary": (
        "{n} 次训练中有 {reached} 次到达 ‖g‖ ≤ {gtol}（其中最大的 ‖g‖ 为 {gmax}）。它们的终点：**{saddle}** 个鞍点（有负特征值），"
        "**{undecided}** 个无法判断（没有负特征值，但有为 0 的——中位数是 {params} 个中的 {zeros} 个），**{minimum}** 个局部最小值"
        "（全为正）。minimum ratio 的中位数：{median}。",
        "{reached} of {n} runs reached ‖g‖ ≤ {gtol} (the largest ‖g‖ among them: {gmax}). Their end points: "
        "**{saddle}** saddle points (a negative eigenvalue), **{undecided}** undecided (no negative eigenvalue, but "
        "some that are 0: a median of {zeros} of {params}), **{minimum}** local minima (all positive). Median "
        "minimum ratio: {median}."),
    "cp.s4.read.undecided": (
        "**数字显示：**这些终点大多既不是鞍点，也不是明确的局部最小值：没有按规则算负的特征值，却有为 0 的（平坦的方向）。"
        "所有终点中最负的特征值为 {neg} · max|λ|（|λ| ≤ {zero} · max|λ| 算作 0）。minimum ratio 小于 1 是因为平坦的方向，而不是负的方向："
        "在这么小的网络上，看不到课上所说的“训练多半停在鞍点”。",
        "**What the numbers show:** most of these end points are neither a saddle point nor a clear local minimum: "
        "no eigenvalue is negative by the rule, but some are 0 (flat directions). The most negative eigenvalue of "
        "any end point is {neg} · max|λ| (and |λ| ≤ {zero} · max|λ| counts as 0). The minimum ratio stays below 1 "
        "because of flat directions, not negative ones: on a net this small, the lecture's “training mostly stops "
        "at saddle points” does not show."),
    "cp.s4.read.saddle": (
        "**数字显示：**大多数终点是鞍点：沿负特征值的特征向量，loss 还能下降（最负的特征值为 {neg} · max|λ|）。",
        "**What the numbers show:** most end points are saddle points: along the eigenvector of a negative "
        "eigenvalue the loss could still fall (the most negative eigenvalue is {neg} · max|λ|)."),
    "cp.s4.read.minimum": ("**数字显示：**大多数终点是局部最小值：特征值全为正（ratio = 1）。",
                           "**What the numbers show:** most end points are local minima: every eigenvalue is "
                           "positive (ratio = 1)."),
    "cp.s4.read.mixed": ("**数字显示：**终点没有哪一种占多数：见上面的统计。",
                         "**What the numbers show:** no kind is in the majority among the end points: see the "
                         "counts above."),
    "cp.s4.read.none": ("{n} 次训练都没有到达 ‖g‖ ≤ {gtol}：请增加每次的最多步数。",
                        "None of the {n} runs reached ‖g‖ ≤ {gtol}: allow more steps per run."),
}
