"""Strings of the page "classification_loss" (and its lessons)."""
STRINGS: dict[str, tuple[str, str]] = {
    "cl.intro": ("损失函数的选择也会影响优化的难易。分类问题中，交叉熵（cross-entropy）比均方误差（MSE）更常用：本页说明为什么。",
                 "The choice of loss also decides how hard the optimization is. For classification, cross-entropy "
                 "is used far more than mean squared error (MSE): this page shows why."),
    # 1 surfaces
    "cl.surf.title": ("1 三分类：两个 logit 上的损失曲面", "1 Three classes: the loss over two logits"),
    "cl.surf.text": ("网络输出三个 logit $y_1,y_2,y_3$，经过 softmax 得到 $y'$，与正确类别为第 1 类的 one-hot 向量 $\\hat y$ 比较。"
                     "固定 $y_3$，把损失画在 $(y_1,y_2)$ 平面上。**右下角**（$y_1$ 大、$y_2$ 小）损失小；"
                     "**左上角**（$y_1$ 小、$y_2$ 大）是模型很有把握地选错了类别，损失大。红色菱形是梯度下降的起点。",
                     "The network outputs three logits $y_1,y_2,y_3$; softmax turns them into $y'$, compared with the "
                     "one-hot $\\hat y$ of the correct class 1. With $y_3$ held fixed, the loss is drawn over the "
                     "$(y_1,y_2)$ plane. The **lower right** ($y_1$ large, $y_2$ small) is where the loss is small; "
                     "the **upper left** ($y_1$ small, $y_2$ large) is a confident wrong answer, where the loss is "
                     "large. The red diamond is where gradient descent starts."),
    "cl.surf.y3": ("y₃", "y₃"),
    "cl.surf.y3_help": ("第三个 logit 固定为这个值", "the third logit is held at this value"),
    "cl.surf.start": ("起点 y{i}", "Start y{i}"),
    "cl.surf.lr": ("学习率", "Learning rate"),
    "cl.surf.steps": ("梯度下降步数", "Gradient-descent steps"),
    "cl.surf.loss": ("损失", "loss"),
    "cl.surf.mse_title": ("softmax + 均方误差（MSE）", "softmax + mean squared error (MSE)"),
    "cl.surf.ce_title": ("softmax + 交叉熵（cross-entropy）", "softmax + cross-entropy"),
    "cl.surf.loss_start": ("起点的损失", "Loss at the start"),
    "cl.surf.grad_start": ("起点的梯度范数", "Gradient norm at the start"),
    "cl.surf.loss_end": ("{steps} 步后的损失", "Loss after {steps} steps"),
    "cl.surf.explain": ("在这个起点，交叉熵的梯度是 MSE 的 **{ratio}** 倍。MSE 在损失大的地方非常平坦（梯度接近 0），"
                        "梯度下降几乎走不动，会卡在平台上；交叉熵在同一处仍有明显的坡度，能一路走到损失小的地方。",
                        "At this start the cross-entropy gradient is **{ratio}** times the MSE one. MSE is very flat "
                        "where the loss is large (gradient ≈ 0), so gradient descent barely moves and stalls on the "
                        "plateau; cross-entropy still slopes there and walks all the way down to small loss."),
    # 2 gradient norms
    "cl.grad.title": ("2 同一个坏起点：梯度范数与损失", "2 The same bad start: gradient norms and loss"),
    "cl.grad.text": ("上面两条路径每一步的梯度范数与损失（对数坐标）。", "The gradient norm and the loss at every step "
                     "of the two paths above (log scale)."),
    "cl.grad.norm": ("梯度范数 ‖g‖", "gradient norm ‖g‖"),
    "cl.grad.loss": ("损失", "loss"),
    "cl.grad.step": ("步数", "step"),
    # 3 a network
    "cl.net.title": ("3 训练一个网络：MSE 与交叉熵从同一个坏起点出发", "3 Training a network: MSE and cross-entropy from one bad start"),
    "cl.net.text": ("同样的现象出现在真实网络中。下面的面板从**同一组初始权重**训练两次，只换损失函数；初始时把输出层的权重放大，"
                    "logit 很大，softmax 饱和，许多样本一开始就被“很有把握地分错”。按“开始”，比较损失曲线与梯度范数：MSE 停在平台上（梯度范数接近 0），交叉熵往下走。",
                    "The same happens in a real network. The panel below trains twice from the **same initial weights**, "
                    "changing only the loss; the output layer's weights are scaled up at the start, so the logits are "
                    "large, softmax saturates and many examples begin confidently wrong. Press Play and compare the "
                    "loss curves and gradient norms: MSE sits on its plateau (its gradient norm near 0), cross-entropy goes down."),
    "cl.net.scale": ("坏起点：输出层权重放大倍数", "Bad start: output-layer weights scaled by"),
    "cl.net.scale_help": ("1 = 普通初始化；改变后训练重新开始", "1 = ordinary initialization; changing it starts over"),
    "cl.net.run": ("训练", "run"),
    "cl.net.grad_title": ("每次更新的梯度范数", "Gradient norm of every update"),
}
