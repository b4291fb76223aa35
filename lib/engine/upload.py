"""A student's own data from a CSV file, validated strictly.

Two shapes are accepted, with a header row naming the columns:
    x1,x2,label   2-D classification (label: integer class 0, 1, …)
    x,y           1-D regression (y: the target)
Every problem raises UploadError with a code the UI translates and the details it needs
(row and column numbers count as a spreadsheet shows them: the header is row 1).
"""
from __future__ import annotations

import csv
import io
import math

import numpy as np

from .data import Dataset, split

MAX_BYTES = 1_000_000
MIN_ROWS = 10
MAX_ROWS = 2000
MAX_CLASSES = 10
SHAPES = {("x1", "x2", "label"): "classification", ("x", "y"): "regression"}


class UploadError(ValueError):
    def __init__(self, code: str, **details):
        self.code, self.details = code, details
        super().__init__(f"{code}: {details}" if details else code)


def read_csv(raw: bytes, test_fraction: float = 0.3, seed: int = 0) -> Dataset:
    if len(raw) > MAX_BYTES:
        raise UploadError("too_large", size_kb=len(raw) // 1000, limit_kb=MAX_BYTES // 1000)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UploadError("encoding") from None
    rows = [r for r in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in r)]
    if not rows:
        raise UploadError("empty")
    header = tuple(cell.strip().lower() for cell in rows[0])
    task = SHAPES.get(header)
    if task is None:
        raise UploadError("columns", found=", ".join(header) or "—")
    body = rows[1:]
    if len(body) < MIN_ROWS:
        raise UploadError("too_few_rows", rows=len(body), minimum=MIN_ROWS)
    if len(body) > MAX_ROWS:
        raise UploadError("too_many_rows", rows=len(body), maximum=MAX_ROWS)
    values = np.empty((len(body), len(header)))
    for i, row in enumerate(body):
        if len(row) != len(header):
            raise UploadError("row_length", row=i + 2, cells=len(row), expected=len(header))
        for j, cell in enumerate(row):
            try:
                v = float(cell)
            except ValueError:
                raise UploadError("not_number", row=i + 2, column=header[j], cell=cell[:20]) from None
            if not math.isfinite(v):
                raise UploadError("not_finite", row=i + 2, column=header[j], cell=cell[:20])
            values[i, j] = v
    x, y = values[:, :-1], values[:, -1]
    rng = np.random.default_rng(seed)
    if task == "regression":
        return split(x, y, test_fraction, rng, regression=True)
    if not np.all(y == np.round(y)) or y.min() < 0:
        raise UploadError("label_not_class")
    classes = np.unique(y)
    if len(classes) < 2:
        raise UploadError("single_class", label=int(classes[0]))
    if y.max() >= MAX_CLASSES:
        raise UploadError("too_many_classes", maximum=MAX_CLASSES)
    data = split(x, y.astype(int), test_fraction, rng, regression=False)
    if len(np.unique(data.y_train.numpy())) < 2:
        raise UploadError("single_class", label=int(data.y_train[0]))
    return data
