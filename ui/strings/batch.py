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
    "batch.axis.batch": ("batch 大小（对数坐标）", "Batch size (log scale)"),
    "batch.axis.ms_update": ("每次更新的时间（毫秒）", "Time per update (ms)"),
    "batch.axis.ms_epoch": ("每个 epoch 的时间（毫秒）", "Time per epoch (ms)"),
    "batch.time.update_title": ("每次更新的时间 · {device}", "Time per update · {device}"),
    "batch.time.epoch_title": ("每个 epoch 的时间 · {device}", "Time per epoch · {device}"),
    "batch.time.summary": (
        "{device}；{n} 张手写数字图片，2×128 的网络。batch = 1：每次更新 {u1:.3f} 毫秒，每个 epoch {e1:.1f} 毫秒；"
        "batch = {bn}（全部数据）：每次更新 {un:.3f} 毫秒，每个 epoch {en:.1f} 毫秒。",
        "{device}; {n} handwritten-digit images, a 2×128 network. Batch 1: {u1:.3f} ms per update, "
        "{e1:.1f} ms per epoch; batch {bn} (all the data): {un:.3f} ms per update, {en:.1f} ms per epoch."),
    "batch.s2": ("2. 小 batch 与大 batch 最后停在哪里", "2. Where small and large batches end up"),
    "batch.s2_text": (
        "小 batch 的更新带噪声、不稳定，这反而可能带来更好的结果。下面在手写数字（{n} 张训练图片，一半留作测试）上，"
        "从同一组初始参数，用 batch = {sizes} 各训练 {epochs} 个 epoch（学习率相同），"
        "然后比较训练/测试正确率和**锐度**（海森矩阵的最大特征值：越大，最小值越“尖”）。",
        "Noisy, unstable small-batch updates may lead to *better* results. Below, on handwritten "
        "digits ({n} training images, as many held out for testing), from one initialization, "
        "batch sizes {sizes} each train {epochs} epochs with the same learning rate; then we compare "
        "training and test accuracy and the **sharpness** (the Hessian's largest eigenvalue: the "
        "larger, the sharper the minimum)."),
    "batch.study.seed": ("随机种子", "Seed"),
    "batch.study.seed_help": ("换一个种子：数据划分和初始参数都会变，看结论是否依然成立。",
                              "Another seed changes the data split and the initial weights: does the result hold?"),
    "batch.study.run": ("训练并比较", "Train and compare"),
    "batch.study.progress": ("正在训练…", "Training…"),
    "batch.study.none": ("按“训练并比较”开始（几秒钟）。", "Press “Train and compare” to run it (a few seconds)."),
    "batch.study.table": ("种子 {seed} 的结果：", "Results for seed {seed}:"),
    "batch.col.batch": ("batch 大小", "Batch size"),
    "batch.col.updates": ("更新次数", "Updates"),
    "batch.col.train_acc": ("训练正确率 %", "Train accuracy %"),
    "batch.col.test_acc": ("测试正确率 %", "Test accuracy %"),
    "batch.col.sharpness": ("锐度 λ_max", "Sharpness λ_max"),
    "batch.verdict.generalizes": (
        "小 batch 泛化得更好：batch = {small} 与 batch = {large} 的训练正确率相近，但测试正确率 {ts:.1%} 对 {tl:.1%}。",
        "The small batch generalizes better: batch {small} and batch {large} fit the training set "
        "about equally well, but reach {ts:.1%} vs {tl:.1%} test accuracy."),
    "batch.verdict.optimization": (
        "同样的 epoch 数，batch = {large} 连训练集都没拟合好（训练正确率 {rl:.1%}，batch = {small} 为 {rs:.1%}），"
        "测试正确率也更低（{tl:.1%} 对 {ts:.1%}）：这正是讲义说的，大 batch 带来的是**优化**上的问题。",
        "With the same epochs, batch {large} has not even fit the training set (training accuracy "
        "{rl:.1%} against {rs:.1%} for batch {small}) and tests worse too ({tl:.1%} vs {ts:.1%}): as "
        "the lecture says, the large batch's trouble is an **optimization** problem."),
    "batch.verdict.no_gap": (
        "这一次 batch = {small} 的测试正确率并不比 batch = {large} 高：这组数字不支持“小 batch 更好”。",
        "This time batch {small} does not test better than batch {large}: these numbers do not show "
        "small batches doing better."),
    "batch.verdict.sharper": (
        "batch 越大，最后的最小值越尖：λ_max 从 {small:.3g} 增加到 {large:.3g}。",
        "The larger the batch, the sharper the minimum it ends in: λ_max rises from {small:.3g} to {large:.3g}."),
    "batch.verdict.not_sharper": (
        "这一次锐度并没有随 batch 增大而单调增加。", "This time the sharpness does not rise steadily with the batch size."),
    "batch.line.alpha": ("α（0 = 小 batch 的解，1 = 大 batch 的解）", "α (0 = small-batch solution, 1 = large-batch solution)"),
    "batch.line.train": ("训练损失", "training loss"),
    "batch.line.test": ("测试损失", "test loss"),
    "batch.line.title": (
        "沿直线 θ(α) = (1−α)·θ(batch {small}) + α·θ(batch {large}) 的损失",
        "Loss along θ(α) = (1−α)·θ(batch {small}) + α·θ(batch {large})"),
    "batch.line.caption": (
        "Keskar 等人的一维图：在两个解之间（及两侧）沿直线取点计算损失。虚线标出 α = 0（batch {small}）和 α = 1（batch {large}）。",
        "Keskar et al.'s 1-D plot: the loss at points on the straight line through the two solutions "
        "(and beyond). Dashed lines mark α = 0 (batch {small}) and α = 1 (batch {large})."),
    "batch.s3": ("3. 实时训练：batch = 1、中等、全部数据", "3. Live: batch 1, medium and full"),
    "batch.s3_text": (
        "同一个网络、同一组初始参数，batch = {sizes}（{n} 个训练点）。上面是损失对**更新次数**，"
        "下面是损失对 **epoch**：batch = 1 每一步都很吵，但一个 epoch 更新 {n} 次；全部数据每步平稳，但一个 epoch 只更新一次。"
        "在左侧“批次与测量”中可以关掉 shuffle 比较。",
        "One network, one initialization, batch sizes {sizes} ({n} training points). Top: loss "
        "against **updates**; below: loss against **epochs**. Batch 1 is noisy at every step but "
        "updates {n} times per epoch; the full batch is smooth but updates once per epoch. Switch "
        "shuffle off under “Batches and measurement” to compare."),
    "batch.axis.epoch": ("epoch", "Epoch"),
    "batch.live.epoch_title": ("损失对 epoch", "Loss against epochs"),
}
