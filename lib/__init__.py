"""Optimization Lab's engine: data, models, losses, optimizers, a trainer and Hessian spectra.

Nothing here imports Streamlit, so it runs the same in a notebook, a test or a benchmark.
"""
