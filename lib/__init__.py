"""Optimization Lab's library. Nothing here imports Streamlit, so it runs the same in a notebook,
a test or a benchmark.

lib.engine   settings, data, models, losses, optimizers, the training run, Hessian spectra, the
             sharpness meter, the loss landscape
lib.lecture  the lecture's demos and each page's setups (presets), built on the engine
"""
