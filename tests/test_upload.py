"""Own data: every bad file gets its own clear error; good files become datasets."""
import numpy as np
import pytest

from lib.engine.upload import MAX_BYTES, UploadError, read_csv


def csv_bytes(header, rows):
    lines = [",".join(header)] + [",".join(str(v) for v in r) for r in rows]
    return ("\n".join(lines) + "\n").encode()


GOOD_CLASS = csv_bytes(("x1", "x2", "label"), [(i / 10, -i / 10, i % 2) for i in range(40)])
GOOD_REG = csv_bytes(("x", "y"), [(i / 10, (i / 10) ** 2) for i in range(30)])


def test_classification_file_becomes_a_dataset():
    d = read_csv(GOOD_CLASS, test_fraction=0.25, seed=1)
    assert d.task == "classification" and d.n_classes == 2 and d.n_features == 2
    assert len(d.x_train) == 30 and len(d.x_test) == 10
    together = np.concatenate([d.x_train.numpy(), d.x_test.numpy()])
    assert np.allclose(np.sort(together[:, 0]), [i / 10 for i in range(40)])


def test_regression_file_becomes_a_dataset_and_a_bom_or_case_is_fine():
    d = read_csv(b"\xef\xbb\xbf" + GOOD_REG.replace(b"x,y", b"X,Y"))
    assert d.task == "regression" and d.n_features == 1 and d.y_train.shape[1] == 1


def test_same_seed_same_split():
    a, b = read_csv(GOOD_CLASS, seed=3), read_csv(GOOD_CLASS, seed=3)
    assert np.array_equal(a.x_test.numpy(), b.x_test.numpy())


@pytest.mark.parametrize("raw, code", [
    (b"x1,x2,label\n" + b"0,0,0\n" * (MAX_BYTES // 6), "too_large"),
    (b"\xff\xfe\x00bad", "encoding"),
    (b"", "empty"),
    (csv_bytes(("x1", "label"), [(1, 0)] * 20), "columns"),               # missing column
    (csv_bytes(("x1", "x2", "x3", "label"), [(1, 2, 3, 0)] * 20), "columns"),  # extra column
    (csv_bytes(("x1", "x2", "label"), [(1, 2, i % 2) for i in range(5)]), "too_few_rows"),
    (csv_bytes(("x", "y"), [(i, i) for i in range(2500)]), "too_many_rows"),
    (GOOD_CLASS.replace(b"0.5,-0.5,1", b"0.5,abc,1"), "not_number"),
    (GOOD_CLASS.replace(b"0.5,-0.5,1", b"0.5,nan,1"), "not_finite"),
    (GOOD_CLASS.replace(b"0.5,-0.5,1", b"0.5,"), "row_length"),
    (csv_bytes(("x1", "x2", "label"), [(i, i, 1) for i in range(20)]), "single_class"),
    (csv_bytes(("x1", "x2", "label"), [(i, i, i % 2 + 0.5) for i in range(20)]), "label_not_class"),
    (csv_bytes(("x1", "x2", "label"), [(i, i, i) for i in range(20)]), "too_many_classes"),
])
def test_each_bad_file_has_its_own_error(raw, code):
    with pytest.raises(UploadError) as err:
        read_csv(raw)
    assert err.value.code == code


def test_errors_name_the_row_and_column():
    with pytest.raises(UploadError) as err:
        read_csv(GOOD_CLASS.replace(b"0.5,-0.5,1", b"0.5,abc,1"))
    assert err.value.details == {"row": 7, "column": "x2", "cell": "abc"}
