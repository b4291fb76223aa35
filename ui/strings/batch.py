"""Strings of the page "batch" (and its lessons)."""
STRINGS: dict[str, tuple[str, str]] = {
    "batch.intro": (
        "训练时不是看完全部数据才更新一次参数，而是把数据分成一个个**批次（batch）**：每个 batch 算一次损失和梯度，"
        "更新一次参数；所有 batch 都看过一遍叫一个 **epoch**。**Shuffle**：每个 epoch 重新打乱数据，"
        "使每个 epoch 的 batch 都不一样，减少数据之间的关联性。那么 batch 该大还是小？",
        "Training does not wait to see all the data before each update: the data are split into "
        "**batches**; each batch gives one loss, one gradient and one update, and one pass over all "
        "batches is an **epoch**. **Shuffle**: the data are reordered every epoch, so each epoch's "
        "batches differ, which reduces the correlation between them. So should a batch be large or small?"),
    "batch.s1": ("1. 时间：每次更新与每个 epoch", "1. Time: per update and per epoch"),
    "batch.s1_text": (
        "由于并行运算，大 batch 算一次损失和梯度的时间不比一笔一笔算长多少（batch 特别大时才明显增加）；"
        "所以跑完一个 epoch，小 batch 反而更慢。下面的时间是刚刚在这台机器上实测的（有 GPU 用 GPU，否则用 CPU）。",
        "Thanks to parallel computation, one update on a large batch takes hardly longer than on a "
        "single example (only very large batches cost clearly more), so a whole epoch is *slower* with "
        "small batches. The times below were just measured on this machine (on the GPU if there is "
        "one, else the CPU)."),
    "batch.time.progress": ("正在测量每种 batch 大小的时间…", "Timing each batch size…"),
    "batch.time.again": ("重新测量", "Measure again"),
    "batch.time.stop": ("停止测量", "Stop measuring"),
    "batch.time.metric": ("已测的 batch 大小", "Batch sizes timed"),
    "batch.time.stopped": ("测量已停止：{total} 种 batch 大小中测了 {done} 种。按“重新测量”从头再测。",
                           "Measuring stopped after {done} of {total} batch sizes. Press “Measure again” "
                           "to start over."),
    "batch.axis.batch": ("batch 大小（对数坐标）", "Batch size (log scale)"),
    # the chart's title says per what; a long vertical axis title ran past a projected chart's top
    "batch.axis.ms": ("时间（毫秒）", "Time (ms)"),
    "batch.time.update_title": ("每次更新的时间", "Time per update"),
    "batch.time.epoch_title": ("每个 epoch 的时间", "Time per epoch"),
    "batch.time.summary": (
        "{device}；{n} 张手写数字图片，2×128 的网络。batch = 1：每次更新 {u1:.3f} 毫秒，每个 epoch {e1:.1f} 毫秒；"
        "batch = {bn}（全部数据）：每次更新 {un:.3f} 毫秒，每个 epoch {en:.1f} 毫秒。",
        "{device}; {n} handwritten-digit images, a 2×128 network. Batch 1: {u1:.3f} ms per update, "
        "{e1:.1f} ms per epoch; batch {bn} (all the data): {un:.3f} ms per update, {en:.1f} ms per epoch."),
    "batch.s2": ("2. 小 batch 与大 batch 最后停在哪里", "2. Where small and large batches end up"),
    "batch.s2_text": (
        "小 batch 的更新带噪声、不稳定，这反而可能带来更好的结果。下面是手写数字：只有 {n} 张训练图片，"
        "其中一部分的**标签是错的**（真实数据里常有标错的情况；测试集的 {n_test} 张标签都是对的）。"
        "从同一组初始参数出发，batch = {sizes} 用相同的学习率训练，**直到训练损失都降到 {target}**，"
        "也就是对训练集拟合得一样好；然后比较测试正确率和**锐度**（海森矩阵的最大特征值：越大，最小值越“尖”）。"
        "每个种子换一次数据划分、错误标签和初始参数；多跑几个种子，看结论是否每次都成立。"
        "把错误标签调到 0 %，看差别还剩多少。",
        "Noisy, unstable small-batch updates may lead to *better* results. Below: handwritten digits, "
        "only {n} training images, and some of their **labels are wrong** (real datasets carry "
        "labelling mistakes; the {n_test} test images are all labelled correctly). From one "
        "initialization, batch sizes {sizes} train with the same learning rate **until the training "
        "loss is down to {target}**, so all fit the training set equally well; then we compare test "
        "accuracy and the **sharpness** (the Hessian's largest eigenvalue: the larger, the sharper "
        "the minimum). Each seed changes the data split, the wrong labels and the initial weights; "
        "run several to see whether the result holds every time. Set the wrong labels to 0 % to see "
        "how much of the difference remains."),
    "batch.study.noise": ("错误标签的比例", "Wrong training labels"),
    "batch.study.noise_help": ("这么多比例的训练图片被换成另一个随机的（错误的）数字标签；测试集不变。",
                               "This share of the training images get another, random (wrong) digit "
                               "as their label; the test set is untouched."),
    "batch.study.n_seeds": ("种子个数", "Seeds"),
    "batch.study.n_seeds_help": ("重复几次（1–10）；进度条显示进行到哪里，随时可以停止。",
                                 "How many repetitions (1–10); the progress bar shows how far it has "
                                 "got, and Stop keeps the seeds already finished."),
    "batch.study.noise_pct.0": ("0 %", "0 %"),
    "batch.study.noise_pct.10": ("10 %", "10 %"),
    "batch.study.noise_pct.20": ("20 %", "20 %"),
    "batch.study.noise_pct.30": ("30 %", "30 %"),
    "batch.study.metric": ("已完成的种子", "Seeds finished"),
    "batch.study.running": ("正在训练第一个种子…", "Training the first seed…"),
    "batch.study.first_seed": ("第一个种子", "First seed"),
    "batch.study.seed": ("种子", "Seed"),
    "batch.study.seed_help": ("种子决定数据划分、错误标签和初始参数；从这个种子开始依次往后取。",
                              "A seed fixes the data split, the wrong labels and the initial weights; "
                              "the study uses this one and the ones after it."),
    "batch.study.run": ("训练并比较", "Train and compare"),
    "batch.study.stop": ("停止", "Stop"),
    "batch.study.progress": ("正在训练种子 {seed}（已完成 {done} / {total}）…",
                             "Training seed {seed} ({done} of {total} done)…"),
    "batch.study.stopped": ("已停止：{total} 个种子中完成了 {done} 个，下面是它们的结果。",
                            "Stopped: {done} of {total} seeds finished; their results are below."),
    "batch.study.none": ("按“训练并比较”开始。", "Press “Train and compare” to run it."),
    "batch.study.table": ("{seeds} 个种子的平均；{noise:.0f} % 的训练标签是错的；训练到训练损失 ≤ {target}：",
                          "Averages over {seeds} seed(s); {noise:.0f} % of the training labels wrong; "
                          "trained until the training loss ≤ {target}:"),
    "batch.col.batch": ("batch 大小", "Batch size"),
    "batch.col.updates": ("更新次数", "Updates"),
    "batch.col.train_acc": ("训练正确率 %", "Train accuracy %"),
    "batch.col.test_acc": ("测试正确率 %", "Test accuracy %"),
    "batch.col.sharpness": ("锐度 λ_max", "Sharpness λ_max"),
    "batch.col.reached": ("达到目标损失", "Reached the target loss"),
    "batch.seeds.title": ("每个种子的测试正确率", "Test accuracy, one line per seed"),
    "batch.verdict.generalizes": (
        "小 batch 泛化得更好：{seeds} 个种子里，batch = {small} 和 batch = {large} 每次都把训练损失降到了 {target}，"
        "但 {wins} 次都是 batch = {small} 的测试正确率更高，平均 {ts:.1%} 对 {tl:.1%}（高 {gap:.1f} 个百分点）。",
        "The small batch generalizes better: batch {small} and batch {large} both brought the "
        "training loss down to {target}, yet batch {small} tested higher in {wins} of {seeds} "
        "seed(s): {ts:.1%} vs {tl:.1%} on average ({gap:.1f} points more)."),
    "batch.verdict.optimization": (
        "平均来说 batch = {small} 的测试正确率更高（{ts:.1%} 对 {tl:.1%}），但 batch = {large} 在更新次数的上限内"
        "并没有每次都把训练损失降到 {target}（训练正确率 {rl:.1%}，batch = {small} 为 {rs:.1%}）："
        "这正是讲义说的，大 batch 带来的是**优化**上的问题。",
        "Batch {small} tests higher on average ({ts:.1%} vs {tl:.1%}), but batch {large} did not "
        "bring the training loss down to {target} every time within the update budget (training "
        "accuracy {rl:.1%} against {rs:.1%} for batch {small}): as the lecture says, the large "
        "batch's trouble is an **optimization** problem."),
    "batch.verdict.mixed": (
        "平均来说 batch = {small} 的测试正确率更高（{ts:.1%} 对 {tl:.1%}），但 {seeds} 个种子里只有 {wins} 次如此："
        "这组数字不足以说小 batch 稳定地更好。",
        "Batch {small} tests higher on average ({ts:.1%} vs {tl:.1%}), but only in {wins} of "
        "{seeds} seeds: these numbers do not show small batches reliably doing better."),
    "batch.verdict.no_gap": (
        "batch = {small} 的测试正确率并没有明显比 batch = {large} 高（平均 {ts:.1%} 对 {tl:.1%}）："
        "这组数字不支持“小 batch 更好”。",
        "Batch {small} does not clearly test better than batch {large} ({ts:.1%} vs {tl:.1%} on "
        "average): these numbers do not show small batches doing better."),
    "batch.verdict.sharper": (
        "{seeds} 个种子里有 {n} 次，batch 越大，最后的最小值越尖：平均 λ_max 从 batch = {small} 的 {ls:.3g} "
        "增加到 batch = {large} 的 {ll:.3g}。",
        "In {n} of {seeds} seed(s), the larger the batch, the sharper the minimum it ends in: mean "
        "λ_max rises from {ls:.3g} (batch {small}) to {ll:.3g} (batch {large})."),
    "batch.verdict.not_sharper": (
        "这一次锐度并没有随 batch 增大而单调增加。", "This time the sharpness does not rise steadily with the batch size."),
    "batch.line.alpha": ("α（0 = 小 batch 的解，1 = 大 batch 的解）", "α (0 = small-batch solution, 1 = large-batch solution)"),
    "batch.line.train": ("训练损失", "training loss"),
    "batch.line.test": ("测试损失", "test loss"),
    "batch.line.title": (
        "沿直线 θ(α) = (1−α)·θ(batch {small}) + α·θ(batch {large}) 的损失",
        "Loss along θ(α) = (1−α)·θ(batch {small}) + α·θ(batch {large})"),
    "batch.line.caption": (
        "Keskar 等人的一维图（种子 {seed}）：在两个解之间（及两侧）沿直线取点计算损失。"
        "虚线标出 α = 0（batch {small}）和 α = 1（batch {large}）。",
        "Keskar et al.'s 1-D plot (seed {seed}): the loss at points on the straight line through the "
        "two solutions (and beyond). Dashed lines mark α = 0 (batch {small}) and α = 1 (batch {large})."),
    "batch.s3": ("3. 实时训练：batch = 1、中等、全部数据", "3. Live: batch 1, medium and full"),
    "batch.s3_text": (
        "同一个网络、同一组初始参数，batch = {sizes}（{n} 个训练点）。上面是损失对**更新次数**，"
        "下面是损失对 **epoch**：batch = 1 每一步都很吵，但一个 epoch 更新 {n} 次；全部数据每步平稳，但一个 epoch 只更新一次。"
        "epoch 轴是对数坐标：每次训练开头的几个 epoch 和后面的一样宽（可以拖动、滚轮缩放）。"
        "在左侧“批次与测量”中可以关掉 shuffle 比较。",
        "One network, one initialization, batch sizes {sizes} ({n} training points). Top: loss "
        "against **updates**; below: loss against **epochs**. Batch 1 is noisy at every step but "
        "updates {n} times per epoch; the full batch is smooth but updates once per epoch. The epoch "
        "axis is logarithmic, so every run's first epochs are as wide as its later ones (drag or "
        "wheel to zoom). Switch shuffle off under “Batches and measurement” to compare."),
    "batch.axis.epoch": ("epoch（对数坐标）", "Epoch (log scale)"),
    "batch.live.epoch_title": ("损失对 epoch", "Loss against epochs"),
}
