"""Strings shared by every page: app name, navigation, language, URL notes."""
STRINGS = {
    "app.title": ("优化实验室", "Optimization Lab"),
    "app.tagline": ("实时观察神经网络如何被优化：损失、梯度与海森矩阵的特征值。",
                    "Watch neural networks being optimized, live: loss, gradient and the Hessian's eigenvalues."),
    "sidebar.language": ("语言 / Language", "Language / 语言"),
    "sidebar.pages": ("课程章节", "Lecture sections"),
    # page names, in the lecture's order
    "page.home": ("首页：训练三步与攻略", "Home: the three steps"),
    "page.guide": ("1 优化机器学习：攻略", "1 Guide: what goes wrong"),
    "page.critical_points": ("2 临界点：局部最小值与鞍点", "2 Critical points and saddles"),
    "page.batch": ("3 批次（Batch）", "3 Batch"),
    "page.momentum": ("4 动量（Momentum）", "4 Momentum"),
    "page.learning_rate": ("5 学习率（Learning rate）", "5 Learning rate"),
    "page.batch_norm": ("6 批次标准化（BN）", "6 Batch normalization"),
    "page.classification_loss": ("7 损失函数：分类问题", "7 Loss: classification"),
    "page.overfitting": ("8 过拟合（Overfitting）", "8 Overfitting"),
    "page.optimizers": ("9 总结：优化器", "9 Summary: optimizers"),
    "page.playground": ("实验场（全部控件）", "Playground (every control)"),
    # notes about the URL
    "url.note_title": ("链接中的部分设置无法使用，已忽略或调整：", "Some settings in the link could not be used and were ignored or adjusted:"),
    "url.unknown": ("未知参数 `{key}` 已忽略", "unknown parameter `{key}` ignored"),
    "url.type": ("`{key}={raw}` 不是有效的 {detail}，已忽略", "`{key}={raw}` is not a valid {detail}, ignored"),
    "url.choice": ("`{key}={raw}` 不是可选值（可选：{detail}），已忽略", "`{key}={raw}` is not one of the allowed values ({detail}), ignored"),
    "url.clamped": ("`{key}={raw}` 超出范围，已调整为 {detail}", "`{key}={raw}` is out of range, set to {detail}"),
    "playground.intro": ("所有控件都已解锁：选数据、模型、优化器与批次大小，按“开始”，观察损失和海森矩阵的特征值。",
                         "Every control unlocked: pick data, model, optimizer and batch size, press Play, and watch the loss and the Hessian's eigenvalues."),
    "home.placeholder": ("从左侧选择一个章节开始。", "Pick a section in the sidebar to begin."),
}
