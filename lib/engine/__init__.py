"""The engine: settings, data, models, losses, optimizers, the training run, Hessian spectra,
the sharpness meter, the loss landscape. No Streamlit (docs/ARCHITECTURE.md)."""
