"""Strings of the page "batch_norm" (and its lessons)."""
STRINGS: dict[str, tuple[str, str]] = {
    "bn.intro": ("“移山大法”：与其换优化器去适应崎岖的误差曲面，不如直接把曲面变平滑。先看特征标准化如何把狭长的误差曲面变圆，"
                 "再看深层网络里的批次标准化（Batch Normalization），最后看训练时与测试时所用统计量的区别。",
                 "“Moving the mountain”: instead of adapting the optimizer to a rugged error surface, make the "
                 "surface smoother. First feature normalization turns an elongated error surface round; then batch "
                 "normalization inside a deep network; last, the statistics used in training against those used at "
                 "test time."),
    # 1 feature normalization
    "bn.fn.title": ("1 特征标准化（feature normalization）", "1 Feature normalization"),
    "bn.fn.text": ("线性模型 $y=w_1x_1+w_2x_2+b$。$x_1$ 的数值很小、$x_2$ 的数值很大时，$w_1$ 的变化对损失 $L$ 影响很小，"
                   "$w_2$ 的变化影响很大：误差曲面在 $w_1$ 方向平缓、在 $w_2$ 方向陡峭，是一个狭长的椭圆。"
                   "同一个学习率在陡峭方向已经接近上限，在平缓方向却走得极慢。把每个特征维度标准化到同一范围后，曲面变圆。"
                   "（下图中 $b$ 总取其最优值，这时海森矩阵恰为 $2\\,\\mathrm{Cov}(x)$。）",
                   "Linear model $y=w_1x_1+w_2x_2+b$. When $x_1$ is small and $x_2$ large, changing $w_1$ barely "
                   "moves the loss $L$ while changing $w_2$ moves it a lot: the error surface is flat along $w_1$ "
                   "and steep along $w_2$, a long thin ellipse. One learning rate is then near its limit in the steep "
                   "direction and crawls in the flat one. Normalizing every feature dimension to the same range makes "
                   "the surface round. (Below, $b$ always takes its best value; the Hessian is then exactly "
                   "$2\\,\\mathrm{Cov}(x)$.)"),
    "bn.fn.ratio": ("x₂ 与 x₁ 的尺度之比", "Scale of x₂ relative to x₁"),
    "bn.fn.ratio_help": ("x₂ 的标准差与均值都是 x₁ 的这么多倍", "x₂'s spread and mean are this many times x₁'s"),
    "bn.fn.lr": ("学习率 η × λ_max", "Learning rate η × λ_max"),
    "bn.fn.lr_help": ("每个曲面的学习率都取 这个数 / 它的最大特征值；超过 2 时梯度下降发散",
                      "each surface uses this number divided by its own largest eigenvalue; above 2 gradient descent diverges"),
    "bn.fn.steps": ("梯度下降步数", "Gradient-descent steps"),
    "bn.fn.steps_help": ("两个曲面上各走这么多步梯度下降（白色路径）", "how many gradient-descent steps each surface's white path takes"),
    "bn.fn.path": ("梯度下降", "gradient descent"),
    "bn.fn.feature": ("特征", "feature"),
    "bn.fn.mean_tilde": ("x̃ 的平均值", "mean of x̃"),
    "bn.fn.var_tilde": ("x̃ 的方差", "variance of x̃"),
    "bn.fn.raw_title": ("原始特征：误差曲面与梯度下降路径", "Raw features: error surface and gradient-descent path"),
    "bn.fn.norm_title": ("标准化后的特征：误差曲面与路径", "Normalized features: error surface and path"),
    "bn.fn.kappa": ("海森矩阵的条件数 λ_max/λ_min", "Hessian condition number λ_max/λ_min"),
    "bn.fn.reached": ("离最小值的距离降到 1% 所需步数", "Steps until 1% of the distance to the minimum is left"),
    "bn.fn.never": ("{steps} 步内未达到", "not within {steps}"),
    "bn.fn.diverged": ("梯度下降发散：学习率超过了 2/λ_max = {limit}，路径离最小值越来越远。",
                       "Gradient descent diverges: the learning rate is above 2/λ_max = {limit}, and the path "
                       "moves ever farther from the minimum."),
    "bn.fn.explain": ("x₂ 的尺度是 x₁ 的 {ratio} 倍时，海森矩阵的条件数是 **{k_raw}**；标准化之后是 **{k_norm}**。"
                      "梯度下降的学习率受最陡方向限制（η < 2/λ_max），而在最平缓方向每步只缩小约 1/条件数，所以条件数越大，"
                      "需要的步数越多。两条路径从同一个模型出发（w̃ᵢ = wᵢ·σᵢ 给出相同的预测）。",
                      "With x₂ on {ratio} times x₁'s scale the Hessian's condition number is **{k_raw}**; after "
                      "normalizing it is **{k_norm}**. Gradient descent's learning rate is capped by the steepest "
                      "direction (η < 2/λ_max), and along the flattest one each step removes only about "
                      "1/condition-number of the distance, so the larger the condition number the more steps it takes. "
                      "Both paths start from the same model (w̃ᵢ = wᵢ·σᵢ gives the same predictions)."),
    # 2 deep MLP
    "bn.deep.title": ("2 深层网络中的批次标准化", "2 Batch normalization in a deep network"),
    "bn.deep.text": ("深层网络中，每一层的输入 z 也是下一层的“特征”，它们的尺度会随训练不断变化。批次标准化在每一层对一个批次的 z "
                     "计算 μ、σ 并标准化，再乘 γ 加 β。下方的面板从**同一组初始权重**训练一个 6 层 sigmoid 网络，"
                     "一个不用、一个使用批次标准化：比较损失曲线与海森矩阵的最大特征值（尖锐度）。按“开始”。",
                     "In a deep network every layer's input z is the next layer's “feature”, and its scale keeps "
                     "changing during training. Batch normalization computes μ and σ of z over a batch at every layer, "
                     "normalizes, then multiplies by γ and adds β. The panel below trains a 6-layer sigmoid network from "
                     "the **same initial weights**, once without and once with batch normalization: compare the loss "
                     "curves and the Hessian's largest eigenvalue (sharpness). Press Play."),
    # 3 train vs eval
    "bn.mode.title": ("3 训练时与测试时：μ、σ 与 μ̄、σ̄", "3 Training against testing: μ, σ and μ̄, σ̄"),
    "bn.mode.text": ("训练时，批次标准化用**这个批次**的 μ、σ。测试时往往没有批次（一次只来一个样本），"
                     "所以用训练过程中累积的**移动平均** μ̄、σ̄ 代替（PyTorch：`model.eval()`）。",
                     "In training, batch normalization uses **this batch's** μ and σ. At test time there is often no "
                     "batch (one example arrives at a time), so the **moving averages** μ̄, σ̄ gathered during training "
                     "are used instead (PyTorch: `model.eval()`)."),
    "bn.small.title": ("批次太小时会怎样？", "What goes wrong with tiny batches?"),
    "bn.small.text": ("下表是一个未训练的批次标准化网络在第一层对一个批次算出的标准化结果 z̃（前 4 个通道）。",
                      "The table shows the normalized values z̃ (first 4 channels) that an untrained batch-norm network "
                      "computes in its first layer for one batch."),
    "bn.small.batch": ("批次大小", "Batch size"),
    "bn.small.batch_help": ("下表只取训练数据的前这么多笔当作一个批次", "the table takes this many training examples as one batch"),
    "bn.small.one": ("批次大小为 1：z − μ = 0、σ = 0，标准化后每个值都是 0，样本的信息全部丢失。PyTorch 在训练模式下直接报错"
                     "（“Expected more than 1 value per channel”）；本应用因此要求使用批次标准化时批次大小至少为 2，"
                     "并会自动跳过每个 epoch 末尾只剩 1 个样本的批次。",
                     "Batch size 1: z − μ = 0 and σ = 0, so every normalized value is 0 and the example's information is "
                     "gone. PyTorch refuses it in training mode (“Expected more than 1 value per channel”); this app "
                     "therefore asks for a batch of at least 2 with batch normalization, and skips a lone leftover "
                     "example at the end of an epoch."),
    "bn.small.two": ("批次大小为 2：每个通道的 z̃ 只能是 ±1（差一点点是因为 ε），只剩下“两个样本谁大”的信息；"
                     "μ、σ 完全由两个样本决定，噪声极大，与测试时的 μ̄、σ̄ 差得远。",
                     "Batch size 2: every channel's z̃ is ±1 (slightly less because of ε): all that is left is which of "
                     "the two examples is larger; μ and σ depend entirely on two examples, so they are very noisy and "
                     "far from the μ̄, σ̄ used at test time."),
    "bn.small.more": ("批次大小为 {b}：z̃ 的取值开始有变化，批次越大，μ、σ 越接近全体数据的统计量。",
                      "Batch size {b}: z̃ starts to vary; the larger the batch, the closer μ and σ come to the "
                      "statistics of the whole data."),
    "bn.live.title": ("训练中的 μ、σ 与 μ̄、σ̄", "μ, σ and μ̄, σ̄ during training"),
    "bn.live.text": ("上面第 2 节的面板训练时，下图实时显示使用批次标准化的那次训练中第一层的统计量：一个批次的 μ、σ（训练模式）与移动平均 "
                     "μ̄、σ̄（测试模式）。开始时 μ̄ = 0、σ̄ = 1，训练后逐渐追上批次统计量。",
                     "While the panel of section 2 trains, the charts below show live the first layer's statistics in the run "
                     "with batch normalization — one batch's μ, σ (training mode) against the moving averages μ̄, σ̄ "
                     "(test mode). They start at μ̄ = 0, σ̄ = 1 and catch up with the batch statistics as training goes on."),
    "bn.live.none": ("打开“批次标准化”（或比较模式）后，这里显示 μ、σ 与 μ̄、σ̄。",
                     "Switch batch normalization on (or use compare mode) to see μ, σ against μ̄, σ̄ here."),
    "bn.live.mu_title": ("第一层：批次 μ 与移动平均 μ̄", "First layer: batch μ and running μ̄"),
    "bn.live.sd_title": ("第一层：批次 σ 与移动平均 σ̄", "First layer: batch σ and running σ̄"),
    "bn.live.channel": ("通道", "channel"),
    "bn.live.batch_mu": ("批次 μ（训练）", "batch μ (train)"),
    "bn.live.run_mu": ("移动平均 μ̄（测试）", "running μ̄ (eval)"),
    "bn.live.batch_sd": ("批次 σ（训练）", "batch σ (train)"),
    "bn.live.run_sd": ("移动平均 σ̄（测试）", "running σ̄ (eval)"),
}
