"""Strings of the page "guide" (lecture section 1: the task strategy in practice)."""
STRINGS: dict[str, tuple[str, str]] = {
    "guide.intro": (
        "先看训练集上的 *Loss*。训练 *Loss* 大：是**模型偏差**（模型太简单），还是**优化**没做好？"
        "训练 *Loss* 小而测试 *Loss* 大：是**过拟合**，还是训练与测试数据的分布**不匹配**（*Mismatch*）？下面三个实验逐一演示。",
        "Look at the *loss* on the training set first. Training loss large: is it **model bias** (the model is "
        "too simple) or did **optimization** fail? Training loss small but test loss large: is it **overfitting**, "
        "or a **mismatch** between the training and test distributions? The three experiments below show each."),
    # section 1
    "guide.s1.title": ("1 模型偏差还是优化问题？浅层与深层网络并排训练",
                       "1 Model bias or optimization? A shallow and a deep net side by side"),
    "guide.s1.text": (
        "同一份数据、同一个起点：1 个隐藏层的浅层网络与 6 个隐藏层的深层网络（sigmoid，普通 SGD）。"
        "深层网络可以任意接近浅层网络算出的任何函数（多出来的层可以让输入几乎原样通过：sigmoid 在 0 附近几乎是一条直线），"
        "所以它至少能把训练 Loss 降到差不多一样低。如果**深层网络的训练 Loss 明显更高**，问题不在模型，而在**优化**。"
        "按“开始”；然后按课程的步骤打开**批次标准化**，或把优化器换成 **Adam**，看看深层网络能做到什么程度。",
        "Same data, same start: a shallow net with 1 hidden layer and a deep one with 6 (sigmoid, plain SGD). "
        "The deep net can come as close as we like to any function the shallow one computes (its extra layers "
        "can pass their inputs on almost unchanged: near 0 a sigmoid is almost a straight line), so it could "
        "reach at least about the same training loss. If **the deep net ends with the clearly higher training "
        "loss**, the model is not to blame: it is an **optimization** problem. Press Play; then follow the "
        "lesson's steps: switch on **batch normalization**, or change the optimizer to **Adam**, and see how "
        "well the deep net can do."),
    "guide.s1.wait": ("按“开始”：训练 {n} 步后，这里会给出判断。",
                      "Press Play: after {n} updates the verdict appears here."),
    "guide.s1.optimization": (
        "第 {step} 步：深层网络的训练 Loss（{deep:.3f}）明显高于浅层网络（{shallow:.3f}）。深层网络本可以至少差不多一样好——"
        "这是**优化问题，不是模型偏差**。",
        "Update {step}: the deep net's training loss ({deep:.3f}) is clearly higher than the shallow net's "
        "({shallow:.3f}). The deep net could do at least about as well — this is **an optimization problem, "
        "not model bias**."),
    "guide.s1.stuck": (
        "深层网络还停在“常数猜测”的 Loss（{chance:.3f}）：它还什么都没学到。试试批次标准化或换一个优化器。",
        "The deep net is still at the loss of a constant guess ({chance:.3f}): it has learned nothing yet. "
        "Try batch normalization or another optimizer."),
    "guide.s1.behind": (
        "深层网络已经离开“常数猜测”的 Loss（{chance:.3f}），但仍落后于浅层网络。",
        "The deep net has left the loss of a constant guess ({chance:.3f}), but it is still behind the "
        "shallow net."),
    "guide.s1.fine": (
        "第 {step} 步：深层网络的训练 Loss（{deep:.3f}）不比浅层网络（{shallow:.3f}）明显高，"
        "并且远低于“常数猜测”的 Loss（{chance:.3f}）：优化用上了深层网络的能力。",
        "Update {step}: the deep net's training loss ({deep:.3f}) is not clearly higher than the shallow net's "
        "({shallow:.3f}) and far below a constant guess's ({chance:.3f}): optimization is using the deep "
        "net's capacity."),
    "guide.s1.undecided": (
        "第 {step} 步：深层网络的训练 Loss（{deep:.3f}）不比浅层网络（{shallow:.3f}）明显高，"
        "但也还没有远低于“常数猜测”的 Loss（{chance:.3f}）：现在还看不出来，继续训练。",
        "Update {step}: the deep net's training loss ({deep:.3f}) is not clearly higher than the shallow net's "
        "({shallow:.3f}), but not yet far below a constant guess's ({chance:.3f}): too early to tell — keep "
        "training."),
    "guide.s1.how": (
        "训练 Loss 取最近 {k} 次评估的中位数；“明显高”指高出 {margin:.3f}（“常数猜测”Loss 的 {share:.0%}）以上。"
        "“常数猜测”：不看 x、总是输出各类别的比例（回归时输出平均值），两类各半时 Loss = ln 2 ≈ 0.693。",
        "Training losses are the medians of the last {k} evaluations; “clearly higher” means by more than "
        "{margin:.3f} ({share:.0%} of a constant guess's loss). A constant guess ignores x and always "
        "outputs the class frequencies (the mean, for regression); with two balanced classes its loss is ln 2 ≈ 0.693."),
    # section 2
    "guide.s2.title": ("2 过拟合：灵活的模型，很少的数据", "2 Overfitting: a flexible model on few points"),
    "guide.s2.text": (
        "真实函数是 f(x) = cos(2.5x)，观测带有噪声。训练点很少时，灵活的模型会把噪声也背下来：训练 Loss 接近 0，测试 Loss 却很大。"
        "三种解法：**增加训练数据**；**数据增强**——f 是偶函数，所以把 (x, y) 镜像成 (−x, y) 是正确的增强（就像把图片左右翻转）；"
        "把 x 轻微平移是较弱的增强，并不每次都有帮助；**限制模型**——更少的参数、更简单的函数族。但限制过头（一条直线）又会变成模型偏差。",
        "The true function is f(x) = cos(2.5x), observed with noise. With few training points a flexible model "
        "memorizes the noise too: training loss near 0, test loss large. Three cures: **more training data**; "
        "**data augmentation** — f is even, so mirroring (x, y) to (−x, y) is a correct augmentation (like flipping "
        "an image); shifting x slightly is a weaker augmentation that does not help every time; **a constrained "
        "model** — fewer parameters, a simpler family. Constrain "
        "too much (a straight line) and it turns into model bias."),
    "guide.n": ("训练点数 N", "Training points N"),
    "guide.aug": ("数据增强", "Data augmentation"),
    "guide.aug.none": ("无", "none"),
    "guide.aug.mirror": ("镜像 (x, y) → (−x, y)", "mirror (x, y) → (−x, y)"),
    "guide.aug.jitter": ("轻微平移 x", "small shift of x"),
    "guide.family": ("模型", "Model"),
    "guide.family.mlp": ("神经网络 2×32（{p} 个参数）", "neural net 2×32 ({p} parameters)"),
    "guide.family.poly12": ("12 次多项式（{p} 个参数）", "degree-12 polynomial ({p} parameters)"),
    "guide.family.poly4": ("4 次多项式（{p} 个参数）", "degree-4 polynomial ({p} parameters)"),
    "guide.family.line": ("直线（{p} 个参数）", "straight line ({p} parameters)"),
    "guide.train_loss": ("训练 Loss", "Training loss"),
    "guide.test_loss": ("测试 Loss", "Test loss"),
    "guide.gap": ("测试 − 训练", "Test − training"),
    "guide.verdict.overfit": (
        "训练 Loss 小、测试 Loss 大：**过拟合**。试试更多数据、数据增强或更受限制的模型。",
        "Training loss small, test loss large: **overfitting**. Try more data, augmentation, or a more "
        "constrained model."),
    "guide.verdict.bias": (
        "训练 Loss 本身就大（远高于噪声水平 {floor:.3f}）：模型太受限制，这是**模型偏差**。",
        "The training loss itself is large (far above the noise level {floor:.3f}): the model is too "
        "constrained — **model bias**."),
    "guide.verdict.ok": (
        "训练与测试 Loss 都接近噪声水平 {floor:.3f}：拟合得很好。",
        "Training and test loss are both close to the noise level {floor:.3f}: a good fit."),
    "guide.chart.x": ("x", "x"),
    "guide.chart.y": ("y", "y"),
    "guide.chart.series": ("图例", "Legend"),
    "guide.chart.truth": ("真实函数 f(x)", "true f(x)"),
    "guide.chart.fit": ("拟合的函数", "fitted function"),
    "guide.chart.train": ("训练点", "training points"),
    "guide.chart.augmented": ("增强的点", "augmented points"),
    "guide.chart.test": ("测试点", "test points"),
    "guide.chart.shifted": ("偏移的测试点", "shifted test points"),
    "guide.chart.fit_title": ("数据与拟合的函数", "The data and the fitted function"),
    "guide.chart.updates": ("更新次数", "Updates"),
    "guide.chart.loss": ("Loss（MSE）", "Loss (MSE)"),
    "guide.chart.loss_title": ("训练过程中的训练与测试 Loss", "Training and test loss during training"),
    "guide.chart.noise": ("噪声水平 σ²", "noise level σ²"),
    # section 3
    "guide.s3.title": ("3 不匹配（Mismatch）：测试数据来自另一个分布", "3 Mismatch: test data from another distribution"),
    "guide.s3.text": (
        "训练数据的 x 都在 [−1, 1]，而这份测试集的 x 在 [1, 2]——模型从没见过那里。"
        "增加训练数据能让同分布测试集的 Loss 降到噪声水平，却**无法**缩小偏移测试集上的差距：更多数据、更好的优化都治不了不匹配。",
        "The training inputs all lie in [−1, 1]; this test set's x lie in [1, 2], where the model has never seen "
        "data. More training data brings the loss on a test set from the same distribution down to the noise "
        "level, but does **not** close the gap on the shifted test set: neither more data nor better optimization "
        "cures a mismatch."),
    "guide.chart.n": ("训练点数 N", "Training points N"),
    "guide.chart.same": ("同分布测试集 x ∈ [−1, 1]", "same-distribution test, x ∈ [−1, 1]"),
    "guide.chart.shift": ("偏移测试集 x ∈ [1, 2]", "shifted test, x ∈ [1, 2]"),
    "guide.chart.train_loss": ("训练集", "training set"),
    "guide.chart.mismatch_title": ("最终 Loss 随训练点数 N 的变化", "Final loss against the number of training points N"),
    "guide.chart.mismatch_fit": ("N = {n} 时的拟合与偏移的测试点", "The fit at N = {n} and the shifted test points"),
    "guide.computing": ("正在训练……", "Training…"),
}
