"""Every chart of the app, and the only place that imports Altair (docs/ARCHITECTURE.md).

theme     colours, type sizes, heights; spec() finishes every chart
training  the training panel's charts (loss, Hessian extremes, density, decision regions)
live      LiveChart: an animated chart that sends the browser only what changed
"""
from .theme import (CHART_HEIGHT, OKABE_ITO, SMALL_CHART_HEIGHT, STEP_AXIS, STEP_SCALE, legend,
                    solid_then_dashed, spec)
from .training import (data_points, density_frame, density_spec, eig_frame, eig_spec, long_frame,
                       loss_frame, loss_spec, regions_frame, regions_spec, thin)

__all__ = ["CHART_HEIGHT", "OKABE_ITO", "SMALL_CHART_HEIGHT", "STEP_AXIS", "STEP_SCALE", "legend",
           "solid_then_dashed", "spec", "data_points", "density_frame", "density_spec", "eig_frame",
           "eig_spec", "long_frame", "loss_frame", "loss_spec", "regions_frame", "regions_spec", "thin"]
