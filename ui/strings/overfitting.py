"""Strings of the page "overfitting" (lecture section 8)."""
STRINGS: dict[str, tuple[str, str]] = {
    "of.intro": (
        "模型中未知参数的可选择性越多，模型越复杂。**过拟合**：训练集上的 *Loss* 很小，测试集上的 *Loss* 却很大。"
        "在一个训练集上训练得到的参数，只能保证 *Loss* 在**这个**数据集上最小。"
        "我们希望训练集足够“好”：对模型中**所有**可能的参数 h，训练集上的 L_train(h) 都与全部数据上的 L_all(h) 相差不大。",
        "The more choices a model's unknown parameters allow, the more complex the model. **Overfitting**: the "
        "*loss* is small on the training set but large on the test set. Parameters trained on one training set are "
        "only guaranteed to minimize the loss on **that** set. We want a \"good\" training set: for **every** "
        "possible h in the model, the training loss L_train(h) stays close to the loss on all data L_all(h)."),
    # section 1: the bound
    "of.s1.title": ("1 坏训练集的概率上界", "1 How likely is a bad training set?"),
    "of.s1.text": (
        "若某个 h ∈ H 满足 |L_train(h) − L_all(h)| > ε，训练集就是“坏”的。对损失在 [0, 1] 之间的 N 个独立样本，"
        "Hoeffding 不等式加上对 H 中每个 h 的联合界给出：**P(坏训练集) ≤ |H| · 2 · exp(−2Nε²)**。"
        "它随样本数 N 变大而下降，随模型复杂度 |H| 变大而上升。",
        "A training set is bad when some h ∈ H has |L_train(h) − L_all(h)| > ε. For N independent samples and a "
        "loss in [0, 1], Hoeffding's inequality plus a union bound over every h in H give "
        "**P(bad training set) ≤ |H| · 2 · exp(−2Nε²)**. It falls as the number of samples N grows and rises "
        "with the model's complexity |H|."),
    "of.h_size": ("模型复杂度 |H|（候选函数个数）", "Model complexity |H| (number of candidate functions)"),
    "of.n": ("训练样本数 N", "Training samples N"),
    "of.eps": ("容许误差 ε", "Tolerance ε"),
    "of.delta": ("可接受的坏集概率 δ", "Acceptable chance of a bad set δ"),
    "of.bound_value": ("上界 |H|·2·exp(−2Nε²)", "Bound |H|·2·exp(−2Nε²)"),
    "of.n_needed": ("上界 ≤ δ 所需的 N", "N for a bound ≤ δ"),
    "of.vacuous": ("上界大于 1：它什么也没说明——需要更多数据，或更简单的模型。",
                   "The bound is above 1: it says nothing yet — more data, or a simpler model, is needed."),
    "of.useful": ("在 N = {n} 个样本下，得到坏训练集的概率至多为 {p}。",
                  "With N = {n} samples, a bad training set has probability at most {p}."),
    "of.bad_input": ("无法计算：{error}", "Cannot compute: {error}"),
    "of.chart.n": ("训练样本数 N", "Training samples N"),
    "of.chart.p": ("概率", "Probability"),
    "of.chart.bound_title": ("P(坏训练集) 的上界随 N 下降", "The bound on P(bad training set) against N"),
    "of.chart.bound": ("上界 |H|·2·exp(−2Nε²)", "bound |H|·2·exp(−2Nε²)"),
    "of.chart.one": ("概率 = 1", "probability = 1"),
    "of.chart.here": ("你选的 N = {n}", "your N = {n}"),
    # section 2: simulation
    "of.s2.title": ("2 模拟：抽很多个训练集，数一数坏的有多少", "2 Simulation: draw many training sets, count the bad ones"),
    "of.s2.text": (
        "像课上的例子一样，输入 x 是一个整数（例如图片中线条的条数，0 … {top}），真实规则是 x ≥ {cut} 时为类别 1，"
        "另有 {noise:.0%} 的标签被随机翻转。模型是**阈值分类器** h_c(x) = [x ≥ c]，H 由 |H| 个均匀分布的阈值 c 组成。"
        "因为全部数据的分布已知，L_all(h) 可以精确算出；每个训练集是从中独立抽取的 N 个样本。",
        "As in the lecture's example, the input x is an integer (say, the number of edges in a picture, 0 … {top}); "
        "the true rule is class 1 when x ≥ {cut}, and {noise:.0%} of labels are flipped at random. The model is a "
        "**threshold classifier** h_c(x) = [x ≥ c]; H holds |H| evenly spread thresholds c. The distribution of "
        "all data is known, so L_all(h) is exact; each training set is N samples drawn from it independently."),
    "of.sim_h": ("|H|（阈值个数）", "|H| (number of thresholds)"),
    "of.sim_eps": ("ε", "ε"),
    "of.trials": ("每个 N 抽取的训练集个数", "Training sets drawn per N"),
    "of.n_max": ("最大 N", "Largest N"),
    "of.seed": ("随机种子", "Random seed"),
    "of.progress": ("已抽取 {done} / {total} 个训练集", "{done} of {total} training sets drawn"),
    "of.run": ("运行模拟", "Run the simulation"),
    "of.stop": ("停止", "Stop"),
    "of.continue": ("继续", "Continue"),
    "of.run_again": ("重新运行", "Run again"),
    "of.run_help": ("对每个 N 抽取许多训练集，数出坏的有多少；随时可以停止，再按继续。改变上面的设定会重新开始。",
                    "Draws many training sets for each N and counts the bad ones; stop at any time and continue later. "
                    "Changing a setting above starts over."),
    "of.not_run": ("按“运行模拟”开始抽取训练集。", "Press “Run the simulation” to start drawing training sets."),
    "of.metric.sets": ("已抽取的训练集", "Training sets drawn"),
    "of.metric.ns": ("已完成的 N", "Values of N done"),
    "of.sim_summary": (
        "共抽取 {sets:,} 个训练集。模拟得到的坏集比例在每个 N 上都不超过上界（考虑抽样误差）：{ok}。"
        "在“好”训练集上，训练得到的 h_train 满足 L_all(h_train) − L_all(h_all) ≤ 2ε：{good_ok}。",
        "{sets:,} training sets drawn. The simulated share of bad sets stays under the bound at every N "
        "(allowing for sampling error): {ok}. On every good training set the trained h_train has "
        "L_all(h_train) − L_all(h_all) ≤ 2ε: {good_ok}."),
    "of.yes": ("是", "yes"),
    "of.no": ("否", "no"),
    "of.chart.sim_title": ("坏训练集：模拟比例与上界", "Bad training sets: simulated share and the bound"),
    "of.chart.simulated": ("模拟的坏集比例（±2 标准误）", "simulated share of bad sets (±2 s.e.)"),
    "of.chart.bound_clip": ("上界（截断到 1）", "bound (clipped at 1)"),
    "of.chart.hist_title": ("N = {n} 时各训练集的 max|L_train − L_all|", "max |L_train − L_all| per training set at N = {n}"),
    "of.chart.gap": ("max over h |L_train(h) − L_all(h)|", "max over h |L_train(h) − L_all(h)|"),
    "of.chart.count": ("训练集个数", "Training sets"),
    "of.chart.eps": ("ε = {eps}", "ε = {eps}"),
    "of.hist_note": ("ε 线右边的训练集是“坏”的（差距 > ε）。", "Training sets right of the ε line are bad (gap > ε)."),
    # section 3: trade-off
    "of.s3.title": ("3 取舍：更复杂的模型，更低的最佳 Loss，却需要更多数据",
                    "3 The trade-off: a larger H reaches a lower best loss but needs more data"),
    "of.s3.text": (
        "阈值越多（|H| 越大），H 里最好的 h_all 越接近真实规则，L_all(h_all) 越低；但上界要求的 N 也越大。"
        "右图是模拟出的真实代价：训练得到的 h_train 在全部数据上的平均 Loss。",
        "The more thresholds (the larger |H|), the closer the best h_all in H gets to the true rule and the lower "
        "L_all(h_all); but the bound asks for a larger N. The right chart is the simulated real cost: the average "
        "loss on all data of the trained h_train."),
    "of.s3.shape": (
        "右图的数字（每个 N 抽取 {trials} 个训练集）：N = {n1} 时，最好的是 |H| = {best1}（平均 Loss {best1_loss}）。"
        "最简单的 |H| = {small1} 最差（{small1_loss}）：模型太简单，离真实规则太远——这是**模型偏差**。"
        "最大的 |H| = {large1} 又比 |H| = {best1} 差（{large1_loss}）：数据少时，候选函数越多，越可能有一个恰好拟合了这个训练集的噪声。"
        "N = {n3} 时，最大的 |H| = {large1} 最好（{large3_loss}）。数据越多，越大的 H 才划算。",
        "The numbers of the right chart ({trials} training sets for each N): with N = {n1}, the best class is "
        "|H| = {best1} (mean loss {best1_loss}). The simplest, |H| = {small1}, is the worst ({small1_loss}): too "
        "simple a model cannot get close to the true rule — **model bias**. The largest, |H| = {large1}, is worse "
        "than |H| = {best1} again ({large1_loss}): with few points, more candidates mean more chances that one of "
        "them fits the noise of this training set. With N = {n3}, the largest, |H| = {large1}, is the best "
        "({large3_loss}). The more data, the larger the class that pays off."),
    "of.chart.size": ("|H|", "|H|"),
    "of.chart.best_title": ("H 中最好的 Loss 与上界所需的 N", "Best loss in H, and the N the bound asks for"),
    "of.chart.best": ("L_all(h_all)", "L_all(h_all)"),
    "of.chart.needed": ("所需 N（ε = {eps}, δ = {delta}）", "N needed (ε = {eps}, δ = {delta})"),
    "of.chart.picked_title": ("训练得到的 h_train 在全部数据上的平均 Loss", "Average loss on all data of the trained h_train"),
    "of.chart.picked": ("平均 L_all(h_train)", "mean L_all(h_train)"),
    "of.chart.n_series": ("N = {n}", "N = {n}"),
}
